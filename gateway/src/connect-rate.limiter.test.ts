import { describe, expect, it } from 'vitest';
import { createConnectRateLimiter } from './connect-rate.limiter.ts';

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function acquireMany(limiter: { tryAcquire(a: string): boolean }, address: string, n: number): number {
  let granted = 0;
  for (let i = 0; i < n; i++) if (limiter.tryAcquire(address)) granted++;
  return granted;
}

describe('connect rate limiter (token bucket per address)', () => {
  it('allows a burst, then refuses until tokens refill', () => {
    const clock = fakeClock();
    const limiter = createConnectRateLimiter({ ratePerSec: 2, burst: 5, clock });
    expect(acquireMany(limiter, '10.0.0.1', 5)).toBe(5);
    expect(limiter.tryAcquire('10.0.0.1')).toBe(false);
    clock.advance(499); // 0.998 tokens: not yet one
    expect(limiter.tryAcquire('10.0.0.1')).toBe(false);
    clock.advance(1);
    expect(limiter.tryAcquire('10.0.0.1')).toBe(true);
    expect(limiter.tryAcquire('10.0.0.1')).toBe(false);
  });

  it('sustains exactly the configured rate over time', () => {
    const clock = fakeClock();
    const limiter = createConnectRateLimiter({ ratePerSec: 10, burst: 10, clock });
    acquireMany(limiter, 'a', 10);
    let granted = 0;
    for (let ms = 0; ms < 5000; ms += 10) {
      clock.advance(10);
      granted += acquireMany(limiter, 'a', 3);
    }
    expect(granted).toBe(50);
  });

  it('never refills above the burst size', () => {
    const clock = fakeClock();
    const limiter = createConnectRateLimiter({ ratePerSec: 100, burst: 3, clock });
    clock.advance(60_000);
    expect(acquireMany(limiter, 'a', 10)).toBe(3);
  });

  it('keeps addresses independent', () => {
    const clock = fakeClock();
    const limiter = createConnectRateLimiter({ ratePerSec: 1, burst: 2, clock });
    expect(acquireMany(limiter, '10.0.0.1', 3)).toBe(2);
    expect(acquireMany(limiter, '10.0.0.2', 3)).toBe(2);
    expect(acquireMany(limiter, '::1', 1)).toBe(1);
  });

  it('does not let a clock step backwards mint tokens', () => {
    const clock = fakeClock();
    const limiter = createConnectRateLimiter({ ratePerSec: 1, burst: 1, clock });
    expect(limiter.tryAcquire('a')).toBe(true);
    clock.advance(-10_000);
    expect(limiter.tryAcquire('a')).toBe(false);
  });

  it('bounds the number of tracked addresses, forgetting fully refilled ones first', () => {
    const clock = fakeClock();
    const limiter = createConnectRateLimiter({ ratePerSec: 1, burst: 1, clock, maxTrackedAddresses: 3 });
    limiter.tryAcquire('old');
    clock.advance(5_000); // 'old' has refilled completely
    limiter.tryAcquire('b');
    limiter.tryAcquire('c');
    limiter.tryAcquire('d'); // over the bound: 'old' is swept
    expect(limiter.size()).toBe(3);
    expect(limiter.tryAcquire('b')).toBe(false); // 'b' is still tracked and empty
    expect(limiter.size()).toBeLessThanOrEqual(3);
  });

  it('rejects nonsensical settings', () => {
    const clock = fakeClock();
    expect(() => createConnectRateLimiter({ ratePerSec: 0, burst: 1, clock })).toThrow();
    expect(() => createConnectRateLimiter({ ratePerSec: 1, burst: 0, clock })).toThrow();
  });
});
