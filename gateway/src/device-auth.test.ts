import { describe, expect, it } from 'vitest';
import { hashSecret } from '@airfleet/runtime';
import { createMemoryCredentialStore, type CredentialStore } from './credential-store.ts';
import { createDeviceAuthenticator } from './device-auth.ts';

/** Cheap scrypt parameters: the cache logic is under test here, not the hash strength. */
const FAST = { N: 1024, r: 8, p: 1 };
const token = (s: string) => Buffer.from(s, 'utf8');

function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

async function setup(ttlMs = 30_000) {
  const clock = fakeClock();
  const memory = createMemoryCredentialStore([['AF37-000001', { tokenHash: await hashSecret('right-token', FAST), enabled: true }]]);
  let lookups = 0;
  let failing = false;
  // Counts and can fail lookups; delegates to the real in-memory store.
  const store: CredentialStore = {
    async lookup(id) {
      lookups++;
      if (failing) throw new Error('connection terminated');
      return memory.lookup(id);
    },
  };
  const counters = { hits: 0, misses: 0 };
  const auth = createDeviceAuthenticator({
    store,
    clock,
    ttlMs,
    onCacheHit: () => counters.hits++,
    onCacheMiss: () => counters.misses++,
  });
  return { auth, memory, clock, counters, lookups: () => lookups, setFailing: (v: boolean) => void (failing = v) };
}

describe('caching device authenticator', () => {
  it('accepts the right token and refuses a wrong one or an unknown device alike', async () => {
    const { auth } = await setup();
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
    expect(await auth.verify('AF37-000001', token('wrong-token'))).toBe('bad_credentials');
    expect(await auth.verify('AF37-999999', token('right-token'))).toBe('bad_credentials');
  });

  it('reports a disabled device only to a caller holding the right token', async () => {
    const { auth, memory } = await setup();
    memory.set('AF37-000002', { tokenHash: await hashSecret('t2', FAST), enabled: false });
    expect(await auth.verify('AF37-000002', token('t2'))).toBe('disabled');
    expect(await auth.verify('AF37-000002', token('guess'))).toBe('bad_credentials');
  });

  it('serves a repeated credential from the cache within the TTL', async () => {
    const { auth, counters, lookups } = await setup();
    await auth.verify('AF37-000001', token('right-token'));
    await auth.verify('AF37-000001', token('right-token'));
    await auth.verify('AF37-000001', token('right-token'));
    expect(lookups()).toBe(1);
    expect(counters).toEqual({ hits: 2, misses: 1 });
  });

  it('never answers a different token from the cache', async () => {
    const { auth, lookups } = await setup();
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
    expect(await auth.verify('AF37-000001', token('right-tokeN'))).toBe('bad_credentials');
    expect(lookups()).toBe(2);
  });

  it('makes a rotated token and a disabled device take effect once the TTL has passed', async () => {
    const { auth, memory, clock } = await setup(30_000);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
    memory.set('AF37-000001', { tokenHash: await hashSecret('new-token', FAST), enabled: true });
    clock.advance(29_999);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok'); // still cached
    expect(await auth.verify('AF37-000001', token('new-token'))).toBe('ok'); // new token works at once
    clock.advance(1);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('bad_credentials');

    memory.set('AF37-000001', { tokenHash: await hashSecret('new-token', FAST), enabled: false });
    clock.advance(30_000);
    expect(await auth.verify('AF37-000001', token('new-token'))).toBe('disabled');
  });

  it('coalesces concurrent checks of the same credential into one lookup', async () => {
    const { auth, lookups } = await setup();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => auth.verify('AF37-000001', token('right-token'))));
    expect(new Set(outcomes)).toEqual(new Set(['ok']));
    expect(lookups()).toBe(1);
  });

  it('does not cache a store failure', async () => {
    const { auth, setFailing } = await setup();
    setFailing(true);
    await expect(auth.verify('AF37-000001', token('right-token'))).rejects.toThrow('connection terminated');
    setFailing(false);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
  });

  it('with a TTL of 0 checks the store every time', async () => {
    const { auth, lookups } = await setup(0);
    await auth.verify('AF37-000001', token('right-token'));
    await auth.verify('AF37-000001', token('right-token'));
    expect(lookups()).toBe(2);
  });
});
