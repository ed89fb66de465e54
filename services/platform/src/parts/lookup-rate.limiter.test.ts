import { describe, expect, it } from 'vitest';
import { createLookupRateLimiter } from './lookup-rate.limiter.ts';

describe('lookup rate limiter (token bucket per client, injected clock)', () => {
  it('allows a burst of perMinute, then answers the wait until the next token', () => {
    let now = 0;
    const limiter = createLookupRateLimiter({ perMinute: 60, clock: () => now });
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1000); // one token per second at 60/min
    now += 500;
    expect(limiter.take('a')).toBe(500);
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('b')).toBe(0); // another client has its own bucket
  });

  it('forgets a client once its bucket is full again, and bounds the clients it tracks', () => {
    let now = 0;
    const limiter = createLookupRateLimiter({ perMinute: 10, clock: () => now, maxTracked: 3 });
    limiter.take('a');
    limiter.take('b');
    expect(limiter.size()).toBe(2);
    now += 61_000; // full again: nothing worth keeping
    limiter.take('c');
    expect(limiter.size()).toBe(1);
    for (const client of ['d', 'e', 'f', 'g']) limiter.take(client);
    expect(limiter.size()).toBeLessThanOrEqual(3);
  });
});
