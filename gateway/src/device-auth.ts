import { createHash } from 'node:crypto';
import { verifySecret } from '@airfleet/runtime';
import type { Clock } from './clock.ts';
import type { CredentialStore } from './credential-store.ts';

/**
 * Outcome of checking a device's token. `bad_credentials` covers both an unknown device and a
 * wrong token: the device must not learn which (CONNACK 4 for both, MQTT 3.1.1 §3.2.2.3).
 * `disabled` is only reported to a caller that presented the right token, so the difference
 * between 4 and 5 never lets an outsider probe which device ids exist.
 */
export type DeviceAuthOutcome = 'ok' | 'bad_credentials' | 'disabled';

export interface DeviceAuthenticator {
  /** Rejects only when the credential store fails (the caller answers CONNACK 3). */
  verify(deviceId: string, token: Uint8Array): Promise<DeviceAuthOutcome>;
}

export interface DeviceAuthenticatorOptions {
  store: CredentialStore;
  clock: Clock;
  /** How long an outcome is reused. A rotated token or a disabled device takes effect within it. */
  ttlMs: number;
  /** Bound on cached outcomes, so random ids/tokens cannot grow memory without limit. */
  maxEntries?: number;
  onCacheHit?: () => void;
  onCacheMiss?: () => void;
}

interface CacheEntry {
  outcome: DeviceAuthOutcome;
  expiresAt: number;
}

/**
 * scrypt is deliberately expensive (tens of ms of CPU). After a broker restart or a site-wide
 * network blip, every device reconnects at once, and mqtt.js clients retry every few seconds:
 * without a cache, that storm is thousands of scrypt runs. The cache key is the device id plus
 * the SHA-256 of the presented token, so only the exact same credential reuses an outcome and
 * the token itself is never kept in memory. Concurrent checks of the same key share one run.
 */
export function createDeviceAuthenticator(options: DeviceAuthenticatorOptions): DeviceAuthenticator {
  const { store, clock, ttlMs } = options;
  const maxEntries = options.maxEntries ?? 50_000;
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<DeviceAuthOutcome>>();

  function keyOf(deviceId: string, token: Uint8Array): string {
    return `${deviceId}\n${createHash('sha256').update(token).digest('base64url')}`;
  }

  function remember(key: string, outcome: DeviceAuthOutcome): void {
    if (ttlMs <= 0) return;
    const now = clock.now();
    if (cache.size >= maxEntries) {
      for (const [k, entry] of cache) if (entry.expiresAt <= now) cache.delete(k);
      // Still full: drop the oldest entry (Map keeps insertion order).
      const oldest = cache.keys().next();
      if (cache.size >= maxEntries && !oldest.done) cache.delete(oldest.value);
    }
    cache.delete(key); // re-insert at the end so eviction order follows freshness
    cache.set(key, { outcome, expiresAt: now + ttlMs });
  }

  async function check(deviceId: string, token: Uint8Array): Promise<DeviceAuthOutcome> {
    const credential = await store.lookup(deviceId);
    if (!credential) return 'bad_credentials';
    const matches = await verifySecret(Buffer.from(token).toString('utf8'), credential.tokenHash);
    if (!matches) return 'bad_credentials';
    return credential.enabled ? 'ok' : 'disabled';
  }

  return {
    async verify(deviceId, token) {
      const key = keyOf(deviceId, token);
      const cached = cache.get(key);
      if (cached && cached.expiresAt > clock.now()) {
        options.onCacheHit?.();
        return cached.outcome;
      }
      if (cached) cache.delete(key);
      const pending = inFlight.get(key);
      if (pending) {
        options.onCacheHit?.();
        return pending;
      }
      options.onCacheMiss?.();
      const run = check(deviceId, token).then(
        (outcome) => {
          remember(key, outcome);
          return outcome;
        },
      );
      inFlight.set(key, run);
      // Store errors are not cached: the next attempt after the database recovers must succeed.
      return run.finally(() => inFlight.delete(key));
    },
  };
}
