export interface LookupRateLimiterOptions {
  /** Sustained requests per minute per client; also the burst (bucket size). */
  perMinute: number;
  clock: () => number;
  /** Upper bound on tracked clients, so a spoofed-source flood cannot grow memory without limit. */
  maxTracked?: number;
}

export interface LookupRateLimiter {
  /** Takes one token for this client: 0 when allowed, else the milliseconds until a token is back. */
  take(client: string): number;
  /** Clients currently tracked (tests, diagnostics). */
  size(): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * In-memory token bucket per client address for the public parts lookup (pure: time comes
 * from the clock, no timers). The address lives only as a map key while its bucket is not
 * full again: a full bucket carries no information and is dropped, so no address is kept
 * longer than about a minute after its last request and none is ever stored or logged.
 */
export function createLookupRateLimiter({ perMinute, clock, maxTracked = 50_000 }: LookupRateLimiterOptions): LookupRateLimiter {
  if (!(perMinute >= 1)) throw new Error('perMinute must be >= 1');
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  const fullAfterMs = perMinute / perMs;
  let lastSweep = clock();

  function sweep(now: number): void {
    for (const [client, b] of buckets) if (now - b.updatedAt >= fullAfterMs) buckets.delete(client);
    // Still too many live buckets: drop the oldest (a Map keeps insertion order).
    for (const client of buckets.keys()) {
      if (buckets.size < maxTracked) break;
      buckets.delete(client);
    }
    lastSweep = now;
  }

  return {
    take(client) {
      const now = clock();
      if (now - lastSweep >= 60_000 || buckets.size >= maxTracked) sweep(now);
      let b = buckets.get(client);
      if (!b) {
        b = { tokens: perMinute, updatedAt: now };
        buckets.set(client, b);
      } else {
        b.tokens = Math.min(perMinute, b.tokens + Math.max(0, now - b.updatedAt) * perMs);
        b.updatedAt = now;
      }
      // Tolerance for binary floating point in the refill arithmetic.
      if (b.tokens >= 1 - 1e-9) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / perMs);
    },
    size: () => buckets.size,
  };
}
