import { createHash } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type pg from 'pg';
import type { User } from '@airfleet/contracts';
import { ForbiddenError } from '../http/errors.catalogue.ts';
import { createSessionsRepository } from '../repositories/sessions.repository.ts';
import { publicUser } from '../repositories/users.repository.ts';

export const SESSION_COOKIE = 'airfleet_session';

/**
 * Only the SHA-256 of a session token is stored. A plain hash (not scrypt) is enough:
 * the token is 256 random bits, so there is nothing to brute-force, and the lookup
 * must be cheap because it runs on every request.
 */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The signed-in user of a request, as the API and the scoping rules see it. */
export type SessionUser = User;

/**
 * Resolves a raw `Cookie` header to the signed-in user, or null. Exported for the
 * WebSocket upgrade (which has no Fastify request lifecycle) so it authenticates
 * exactly like the HTTP API does.
 */
export async function authenticateSessionCookie(
  pool: pg.Pool,
  cookieHeader: string | undefined,
  now: number = Date.now(),
): Promise<SessionUser | null> {
  const token = sessionTokenFromCookieHeader(cookieHeader);
  if (!token) return null;
  const user = await createSessionsRepository(pool).findUser(hashSessionToken(token), new Date(now));
  return user ? publicUser(user) : null;
}

export function sessionTokenFromCookieHeader(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  const token = fastifyCookie.parse(cookieHeader)[SESSION_COOKIE];
  // newToken() yields 43 base64url characters; anything else cannot be a session of ours.
  return token && /^[A-Za-z0-9_-]{20,128}$/.test(token) ? token : null;
}

/**
 * Tenant scope: a customer user sees only its own customer's data; staff roles see all.
 * Keyed on the role, not on customerId being present, so a data error (which the users
 * table's CHECK already prevents) fails closed instead of widening access.
 */
export function customerScopeOf(user: SessionUser): string | null {
  if (user.role !== 'customer') return null;
  if (!user.customerId) throw new ForbiddenError('customer user without a customer');
  return user.customerId;
}
