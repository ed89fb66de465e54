import { createHash } from 'node:crypto';
import { createDeviceTokenHasher } from '@airfleet/runtime';
import type { Clock } from './clock.ts';
import { createConnectBackoff, type ConnectBackoffOptions } from './connect-backoff.limiter.ts';
import type { CredentialStore } from './credential-store.ts';

/**
 * Outcome of checking a device's token. `bad_credentials` covers both an unknown device and a
 * wrong token: the device must not learn which (CONNACK 4 for both, MQTT 3.1.1 §3.2.2.3).
 * `disabled` is only reported to a caller that presented the right token, so the difference
 * between 4 and 5 never lets an outsider probe which device ids exist. `backed_off` means the id
 * failed too often recently and nothing was checked; it is answered like `bad_credentials`.
 */
export type DeviceAuthOutcome = 'ok' | 'bad_credentials' | 'disabled' | 'backed_off';

export interface DeviceAuthenticator {
  /** Rejects only when the credential store fails (the caller answers CONNACK 3). */
  verify(deviceId: string, token: Uint8Array): Promise<DeviceAuthOutcome>;
  /** The device's credential changed (rotated, disabled, deleted): drop its cached outcomes. */
  forget(deviceId: string): void;
}

export interface DeviceAuthenticatorOptions {
  store: CredentialStore;
  clock: Clock;
  /** DEVICE_TOKEN_PEPPER: the HMAC key of stored device token hashes. */
  pepper: string;
  /** How long an outcome is reused. A rotated token or a disabled device takes effect within it. */
  ttlMs: number;
  /** Bound on cached outcomes, so random ids/tokens cannot grow memory without limit. */
  maxEntries?: number;
  /** Per-device-id backoff after repeated failures (defaults: connect-backoff.limiter.ts). */
  backoff?: Omit<ConnectBackoffOptions, 'clock'>;
  onCacheHit?: () => void;
  onCacheMiss?: () => void;
  /** An attempt refused by the backoff, without a lookup or a hash. */
  onBackedOff?: () => void;
  /** A legacy (scrypt) hash was replaced by the HMAC form after its token matched. */
  onHashUpgraded?: () => void;
  /** The upgrade write failed; the connect still succeeds and the next one tries again. */
  onHashUpgradeFailed?: (deviceId: string, err: unknown) => void;
}

interface CacheEntry {
  outcome: Exclude<DeviceAuthOutcome, 'backed_off'>;
  expiresAt: number;
}

/**
 * Checks device tokens against the stored HMAC (or, once per device, a legacy scrypt hash that is
 * then upgraded). A check is one database lookup plus a microsecond HMAC, so after a broker
 * restart the reconnect storm is bounded by the database, not by hashing. Outcomes are still
 * cached: mqtt.js clients retry every few seconds, and a cache hit saves the round trip. The
 * cache key is the device id plus the SHA-256 of the presented token, so only the exact same
 * credential reuses an outcome and the token itself is never kept in memory. Concurrent checks
 * of the same key share one lookup.
 */
export function createDeviceAuthenticator(options: DeviceAuthenticatorOptions): DeviceAuthenticator {
  const { store, clock, ttlMs } = options;
  const maxEntries = options.maxEntries ?? 50_000;
  const hasher = createDeviceTokenHasher(options.pepper);
  const backoff = createConnectBackoff({ ...options.backoff, clock });
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<CacheEntry['outcome']>>();

  function keyOf(deviceId: string, token: Uint8Array): string {
    return `${deviceId}\n${createHash('sha256').update(token).digest('base64url')}`;
  }

  function remember(key: string, outcome: CacheEntry['outcome']): void {
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

  async function upgrade(deviceId: string, legacyHash: string, token: Uint8Array): Promise<void> {
    try {
      if (await store.upgradeHash(deviceId, legacyHash, hasher.hash(token))) options.onHashUpgraded?.();
    } catch (err) {
      options.onHashUpgradeFailed?.(deviceId, err);
    }
  }

  async function check(deviceId: string, token: Uint8Array): Promise<CacheEntry['outcome']> {
    const credential = await store.lookup(deviceId);
    if (!credential) return 'bad_credentials';
    const { matches, legacy } = await hasher.verify(token, credential.tokenHash);
    if (!matches) return 'bad_credentials';
    if (legacy) await upgrade(deviceId, credential.tokenHash, token);
    return credential.enabled ? 'ok' : 'disabled';
  }

  function outcomeOf(deviceId: string, token: Uint8Array): Promise<CacheEntry['outcome']> {
    const key = keyOf(deviceId, token);
    const cached = cache.get(key);
    if (cached && cached.expiresAt > clock.now()) {
      options.onCacheHit?.();
      return Promise.resolve(cached.outcome);
    }
    if (cached) cache.delete(key);
    const pending = inFlight.get(key);
    if (pending) {
      options.onCacheHit?.();
      return pending;
    }
    options.onCacheMiss?.();
    const run = check(deviceId, token).then((outcome) => {
      remember(key, outcome);
      return outcome;
    });
    inFlight.set(key, run);
    // Store errors are not cached: the next attempt after the database recovers must succeed.
    return run.finally(() => inFlight.delete(key));
  }

  return {
    forget(deviceId) {
      const prefix = `${deviceId}\n`;
      for (const key of cache.keys()) if (key.startsWith(prefix)) cache.delete(key);
    },
    async verify(deviceId, token) {
      // First, before hashing the token for the cache key or asking the store: a refused attempt
      // must cost next to nothing.
      if (!backoff.check(deviceId).allowed) {
        options.onBackedOff?.();
        return 'backed_off';
      }
      const outcome = await outcomeOf(deviceId, token);
      // Every attempt counts, cached or not; a store error (thrown above) counts as neither.
      if (outcome === 'bad_credentials') backoff.recordFailure(deviceId);
      else backoff.recordSuccess(deviceId);
      return outcome;
    },
  };
}
