import type { Clock } from './clock.ts';

export interface ConnectBackoffOptions {
  clock: Clock;
  /** Consecutive failed credential checks of one device id before attempts are refused unchecked. */
  afterFailures?: number;
  /** First refusal window; each further failure doubles it. */
  baseMs?: number;
  /** Longest refusal window. */
  maxMs?: number;
  /** A device id with no failure for this long is forgotten and starts from zero again. */
  forgetAfterMs?: number;
  /** Upper bound on tracked device ids, so random ids cannot grow memory without limit. */
  maxTracked?: number;
}

export type BackoffVerdict = { allowed: true } | { allowed: false; retryInMs: number };

export interface ConnectBackoff {
  /** Whether a credential check may run for this id now. Does not count as an attempt. */
  check(deviceId: string): BackoffVerdict;
  /** A credential check of this id failed (unknown id or wrong token). */
  recordFailure(deviceId: string): void;
  /** The right token was presented: the id starts from zero again. */
  recordSuccess(deviceId: string): void;
  /** Ids currently tracked (for tests and diagnostics). */
  size(): number;
}

interface FailureRecord {
  failures: number;
  /** Attempts before this instant are refused without a check; 0 while under the threshold. */
  blockedUntil: number;
  lastFailureAt: number;
}

export const DEFAULT_CONNECT_BACKOFF = {
  afterFailures: 5,
  baseMs: 1_000,
  maxMs: 60_000,
  forgetAfterMs: 10 * 60_000,
  maxTracked: 100_000,
} as const;

/**
 * Per-device-id backoff after failed credential checks (pure: no timers, time from the clock).
 * A device retrying with a rotated token, or someone guessing tokens for a known id, costs a
 * database lookup per attempt; after `afterFailures` consecutive failures further attempts within
 * a window growing 1 s, 2 s, 4 s … up to `maxMs` are answered CONNACK 4 without any lookup.
 * The per-address rate limit (connect-rate.limiter.ts) bounds attempts from one source; this
 * bounds attempts against one identity from many sources.
 *
 * Trade-off: during a window the right token is refused too, so whoever knows a device id can
 * delay that device's reconnect by up to `maxMs` at a time. CONNACK 4 is what a wrong token gets
 * anyway, and devices retry with back-off, so the device connects after the window.
 */
export function createConnectBackoff(options: ConnectBackoffOptions): ConnectBackoff {
  const { clock } = options;
  const afterFailures = options.afterFailures ?? DEFAULT_CONNECT_BACKOFF.afterFailures;
  const baseMs = options.baseMs ?? DEFAULT_CONNECT_BACKOFF.baseMs;
  const maxMs = options.maxMs ?? DEFAULT_CONNECT_BACKOFF.maxMs;
  const forgetAfterMs = options.forgetAfterMs ?? DEFAULT_CONNECT_BACKOFF.forgetAfterMs;
  const maxTracked = options.maxTracked ?? DEFAULT_CONNECT_BACKOFF.maxTracked;
  if (!(afterFailures >= 1) || !(baseMs > 0) || !(maxMs >= baseMs) || !(maxTracked >= 1)) {
    throw new Error('connect backoff needs afterFailures >= 1, 0 < baseMs <= maxMs and maxTracked >= 1');
  }
  // Insertion order = order of the latest failure (re-inserted on each), so the first entry is
  // always the one that has been quiet longest: eviction never needs a scan.
  const records = new Map<string, FailureRecord>();

  function isForgotten(record: FailureRecord, now: number): boolean {
    return now >= Math.max(record.lastFailureAt, record.blockedUntil) + forgetAfterMs;
  }

  function current(deviceId: string, now: number): FailureRecord | undefined {
    const record = records.get(deviceId);
    if (record && isForgotten(record, now)) {
      records.delete(deviceId);
      return undefined;
    }
    return record;
  }

  function evictOldest(): void {
    const oldest = records.keys().next();
    if (!oldest.done) records.delete(oldest.value);
  }

  return {
    check(deviceId) {
      const now = clock.now();
      const record = current(deviceId, now);
      if (!record || record.blockedUntil <= now) return { allowed: true };
      return { allowed: false, retryInMs: record.blockedUntil - now };
    },

    recordFailure(deviceId) {
      const now = clock.now();
      const previous = current(deviceId, now);
      const record: FailureRecord = previous ?? { failures: 0, blockedUntil: 0, lastFailureAt: now };
      record.failures += 1;
      record.lastFailureAt = now;
      if (record.failures >= afterFailures) {
        // 2^k grows past maxMs long before it could overflow; cap the exponent anyway.
        const exponent = Math.min(record.failures - afterFailures, 30);
        record.blockedUntil = now + Math.min(maxMs, baseMs * 2 ** exponent);
      }
      records.delete(deviceId);
      if (records.size >= maxTracked) evictOldest();
      records.set(deviceId, record);
    },

    recordSuccess(deviceId) {
      records.delete(deviceId);
    },

    size: () => records.size,
  };
}
