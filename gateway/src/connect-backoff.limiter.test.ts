import { describe, expect, it } from 'vitest';
import { createConnectBackoff } from './connect-backoff.limiter.ts';

function fakeClock() {
  let t = 5_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function setup(overrides: Partial<Parameters<typeof createConnectBackoff>[0]> = {}) {
  const clock = fakeClock();
  const backoff = createConnectBackoff({ clock, afterFailures: 3, baseMs: 1_000, maxMs: 60_000, forgetAfterMs: 600_000, ...overrides });
  const fail = (id: string, times = 1) => {
    for (let i = 0; i < times; i += 1) backoff.recordFailure(id);
  };
  return { clock, backoff, fail };
}

describe('per-device connect backoff', () => {
  it('allows attempts until the threshold of consecutive failures, then refuses for the base window', () => {
    const { backoff, fail, clock } = setup();
    fail('AF37-000001', 2);
    expect(backoff.check('AF37-000001')).toEqual({ allowed: true });
    fail('AF37-000001');
    expect(backoff.check('AF37-000001')).toEqual({ allowed: false, retryInMs: 1_000 });
    clock.advance(999);
    expect(backoff.check('AF37-000001')).toEqual({ allowed: false, retryInMs: 1 });
    clock.advance(1);
    expect(backoff.check('AF37-000001')).toEqual({ allowed: true });
  });

  it('doubles the window with each further failure, capped at maxMs', () => {
    const { backoff, fail, clock } = setup();
    const windows: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      fail('AF37-000001');
      const verdict = backoff.check('AF37-000001');
      if (!verdict.allowed) {
        windows.push(verdict.retryInMs);
        clock.advance(verdict.retryInMs); // the device waits out each window, then fails again
      }
    }
    expect(windows).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('recovers after a success: the next failures start from zero', () => {
    const { backoff, fail } = setup();
    fail('AF37-000001', 5);
    expect(backoff.check('AF37-000001').allowed).toBe(false);
    backoff.recordSuccess('AF37-000001');
    expect(backoff.check('AF37-000001')).toEqual({ allowed: true });
    fail('AF37-000001', 2);
    expect(backoff.check('AF37-000001')).toEqual({ allowed: true });
    expect(backoff.size()).toBe(1);
  });

  it('keeps ids apart: one device failing does not slow another', () => {
    const { backoff, fail } = setup();
    fail('AF37-000001', 10);
    expect(backoff.check('AF37-000001').allowed).toBe(false);
    expect(backoff.check('AF37-000002')).toEqual({ allowed: true });
  });

  it('forgets an id that has been quiet for forgetAfterMs, so it starts from zero', () => {
    const { backoff, fail, clock } = setup({ forgetAfterMs: 300_000 });
    fail('AF37-000001', 4); // blocked for 2 s
    clock.advance(2_000 + 299_999);
    fail('AF37-000001'); // still remembered: fifth failure, 4 s window
    expect(backoff.check('AF37-000001')).toEqual({ allowed: false, retryInMs: 4_000 });
    clock.advance(4_000 + 300_000);
    fail('AF37-000001'); // forgotten: first failure again
    expect(backoff.check('AF37-000001')).toEqual({ allowed: true });
  });

  it('bounds memory: beyond maxTracked the id quiet for longest is dropped', () => {
    const { backoff, fail, clock } = setup({ maxTracked: 100 });
    for (let i = 0; i < 1_000; i += 1) {
      fail(`X-${i}`);
      clock.advance(1);
    }
    expect(backoff.size()).toBe(100);
    // A blocked id that keeps failing stays tracked while others churn through.
    fail('AF37-000001', 3);
    for (let i = 0; i < 99; i += 1) fail(`Y-${i}`);
    expect(backoff.check('AF37-000001').allowed).toBe(false);
    expect(backoff.size()).toBe(100);
  });

  it('refuses nonsensical settings', () => {
    const clock = fakeClock();
    expect(() => createConnectBackoff({ clock, afterFailures: 0 })).toThrow();
    expect(() => createConnectBackoff({ clock, baseMs: 2_000, maxMs: 1_000 })).toThrow();
  });
});
