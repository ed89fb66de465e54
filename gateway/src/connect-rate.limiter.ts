import type { Clock } from './clock.ts';

export interface ConnectRateLimiterOptions {
  /** Sustained CONNECT attempts per second allowed from one address. */
  ratePerSec: number;
  /** Attempts allowed in a burst (bucket size), e.g. a whole site reconnecting after a power cut. */
  burst: number;
  clock: Clock;
  /** Upper bound on tracked addresses, so a spoofed-source flood cannot grow memory without limit. */
  maxTrackedAddresses?: number;
}

export interface ConnectRateLimiter {
  /** Takes one token for this address; false means refuse the connection. */
  tryAcquire(address: string): boolean;
  /** Addresses currently tracked (for tests and diagnostics). */
  size(): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token bucket per remote address (pure: no timers, time comes from the clock). Checked in
 * Aedes' preConnect, i.e. before authentication, so a reconnect storm or a credential-guessing
 * client is throttled before it costs a database lookup or a scrypt verification.
 */
export function createConnectRateLimiter(options: ConnectRateLimiterOptions): ConnectRateLimiter {
  const { ratePerSec, burst, clock } = options;
  if (!(ratePerSec > 0) || !(burst >= 1)) throw new Error('rate limiter needs ratePerSec > 0 and burst >= 1');
  const maxTracked = options.maxTrackedAddresses ?? 100_000;
  const buckets = new Map<string, Bucket>();
  // A bucket idle this long has refilled completely and carries no information any more.
  const refillMs = (burst / ratePerSec) * 1000;

  function refill(bucket: Bucket, now: number): void {
    const elapsedMs = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsedMs / 1000) * ratePerSec);
    bucket.updatedAt = now;
  }

  function evict(now: number): void {
    for (const [address, bucket] of buckets) {
      if (now - bucket.updatedAt >= refillMs) buckets.delete(address);
    }
    // Still too many live buckets: drop the oldest (Map keeps insertion order).
    for (const address of buckets.keys()) {
      if (buckets.size < maxTracked) break;
      buckets.delete(address);
    }
  }

  return {
    tryAcquire(address) {
      const now = clock.now();
      let bucket = buckets.get(address);
      if (bucket) {
        refill(bucket, now);
      } else {
        if (buckets.size >= maxTracked) evict(now);
        bucket = { tokens: burst, updatedAt: now };
        buckets.set(address, bucket);
      }
      // Tolerance for binary floating point: ten 0.1-token refills must make one whole token.
      if (bucket.tokens < 1 - 1e-9) return false;
      bucket.tokens -= 1;
      return true;
    },
    size: () => buckets.size,
  };
}
