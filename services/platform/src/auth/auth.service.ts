import { hashSecret, newToken, verifySecret } from '@airfleet/runtime';
import type { SessionsRepository } from '../repositories/sessions.repository.ts';
import { publicUser, type UsersRepository } from '../repositories/users.repository.ts';
import { hashSessionToken, type SessionUser } from './session.ts';

export interface AuthServiceDeps {
  users: UsersRepository;
  sessions: SessionsRepository;
  clock: () => number;
  sessionTtlHours: number;
}

export type LoginResult = { ok: true; user: SessionUser; token: string; expiresAt: number } | { ok: false };

/**
 * Hash verified when the email is unknown, so "no such user" costs the same scrypt work
 * as "wrong password" and response time does not reveal which emails exist. Made with the
 * default scrypt parameters, the ones production password hashes use.
 */
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashSecret(newToken());
  return dummyHash;
}

export function createAuthService({ users, sessions, clock, sessionTtlHours }: AuthServiceDeps) {
  const ttlMs = sessionTtlHours * 3_600_000;
  return {
    sessionTtlMs: ttlMs,

    async login(email: string, password: string): Promise<LoginResult> {
      const user = await users.findByEmail(email);
      if (!user) {
        await verifySecret(password, await getDummyHash());
        return { ok: false };
      }
      const valid = await verifySecret(password, user.passwordHash);
      // A disabled account answers exactly like a wrong password: no account-state oracle.
      if (!valid || user.disabled) return { ok: false };
      const now = clock();
      const token = newToken();
      await sessions.deleteExpired(new Date(now), user.id);
      await sessions.create({ idHash: hashSessionToken(token), userId: user.id, createdAt: new Date(now), expiresAt: new Date(now + ttlMs) });
      return { ok: true, user: publicUser(user), token, expiresAt: now + ttlMs };
    },

    async logout(token: string): Promise<void> {
      await sessions.delete(hashSessionToken(token));
    },

    async authenticate(token: string): Promise<SessionUser | null> {
      const user = await sessions.findUser(hashSessionToken(token), new Date(clock()));
      return user ? publicUser(user) : null;
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
