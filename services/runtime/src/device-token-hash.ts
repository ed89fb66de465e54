import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { verifySecret } from './credential-hash.ts';

/**
 * Device tokens are 256-bit random values (newToken), not passwords a person chose: nothing can
 * be guessed, so a slow hash buys nothing and costs tens of milliseconds of gateway CPU per
 * connect. They are stored as HMAC-SHA-256 under a server-side pepper instead:
 *
 *   `hmac-sha256$<64 hex digits>`
 *
 * The pepper lives only in the environment of the gateway and the platform, never in the
 * database, so a leaked `device_credentials` table alone does not allow checking candidate
 * tokens. Changing the pepper invalidates every stored device hash (all tokens are re-issued).
 *
 * Older rows hold scrypt hashes (`scrypt$N$r$p$salt$hash`, credential-hash.ts). They still verify,
 * reported as `legacy` so the gateway can replace them with the HMAC form on a successful connect.
 * User passwords stay on scrypt: people choose guessable passwords.
 */
export const DEVICE_TOKEN_HASH_SCHEME = 'hmac-sha256';
export const DEVICE_TOKEN_PEPPER_MIN_LENGTH = 32;

const PREFIX = `${DEVICE_TOKEN_HASH_SCHEME}$`;
const DIGEST_HEX = /^[0-9a-f]{64}$/;

/** The env rule for DEVICE_TOKEN_PEPPER, shared so the gateway and the platform accept the same values. */
export const deviceTokenPepperSchema = z
  .string({ error: 'DEVICE_TOKEN_PEPPER is required (at least 32 characters, the same value for gateway and platform)' })
  .min(DEVICE_TOKEN_PEPPER_MIN_LENGTH, `DEVICE_TOKEN_PEPPER must be at least ${DEVICE_TOKEN_PEPPER_MIN_LENGTH} characters`);

export interface DeviceTokenCheck {
  matches: boolean;
  /** The stored hash is in an older scheme; re-hash with `hash()` once the token has matched. */
  legacy: boolean;
}

export interface DeviceTokenHasher {
  /** The stored form of a token. The platform writes it when it provisions or rotates. */
  hash(token: string | Uint8Array): string;
  /** Checks a presented token (the MQTT password bytes) against a stored hash of any known scheme. */
  verify(token: string | Uint8Array, stored: string): Promise<DeviceTokenCheck>;
}

export function isDeviceTokenHmac(stored: string): boolean {
  return stored.startsWith(PREFIX) && DIGEST_HEX.test(stored.slice(PREFIX.length));
}

export function createDeviceTokenHasher(pepper: string): DeviceTokenHasher {
  // Checked here as well as in the env schemas, so no code path can hash under a short or empty key.
  if (typeof pepper !== 'string' || pepper.length < DEVICE_TOKEN_PEPPER_MIN_LENGTH) {
    throw new Error(`device token pepper must be at least ${DEVICE_TOKEN_PEPPER_MIN_LENGTH} characters`);
  }
  const key = Buffer.from(pepper, 'utf8');
  // Raw bytes, not a decoded string: two different invalid UTF-8 passwords must not collide.
  const digest = (token: string | Uint8Array): Buffer => createHmac('sha256', key).update(token).digest();

  return {
    hash: (token) => `${PREFIX}${digest(token).toString('hex')}`,

    async verify(token, stored) {
      if (stored.startsWith(PREFIX)) {
        if (!isDeviceTokenHmac(stored)) return { matches: false, legacy: false };
        // Both sides are 32-byte digests, so the comparison time reveals nothing about either.
        return { matches: timingSafeEqual(digest(token), Buffer.from(stored.slice(PREFIX.length), 'hex')), legacy: false };
      }
      if (stored.startsWith('scrypt$')) {
        const secret = typeof token === 'string' ? token : Buffer.from(token).toString('utf8');
        return { matches: await verifySecret(secret, stored), legacy: true };
      }
      return { matches: false, legacy: false };
    },
  };
}
