import { describe, expect, it } from 'vitest';
import { createDeviceTokenHasher, hashSecret, isDeviceTokenHmac } from '@airfleet/runtime';
import { createMemoryCredentialStore, type CredentialStore } from './credential-store.ts';
import { createDeviceAuthenticator, type DeviceAuthenticatorOptions } from './device-auth.ts';

const PEPPER = 'device-auth-test-pepper-0123456789abcdef';
const hasher = createDeviceTokenHasher(PEPPER);
/** Cheap scrypt parameters for legacy rows: the upgrade logic is under test, not the hash strength. */
const FAST = { N: 1024, r: 8, p: 1 };
const token = (s: string) => Buffer.from(s, 'utf8');

function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

async function setup(ttlMs = 30_000, extra: Partial<DeviceAuthenticatorOptions> = {}) {
  const clock = fakeClock();
  const memory = createMemoryCredentialStore([['AF37-000001', { tokenHash: hasher.hash('right-token'), enabled: true }]]);
  let lookups = 0;
  let failing = false;
  let failUpgrades = false;
  // Counts and can fail lookups; delegates to the real in-memory store.
  const store: CredentialStore = {
    async lookup(id) {
      lookups++;
      if (failing) throw new Error('connection terminated');
      return memory.lookup(id);
    },
    async upgradeHash(id, expected, next) {
      if (failUpgrades) throw new Error('connection terminated');
      return memory.upgradeHash(id, expected, next);
    },
  };
  const counters = { hits: 0, misses: 0, backedOff: 0, upgraded: 0, upgradeFailed: 0 };
  const auth = createDeviceAuthenticator({
    store,
    clock,
    ttlMs,
    pepper: PEPPER,
    onCacheHit: () => counters.hits++,
    onCacheMiss: () => counters.misses++,
    onBackedOff: () => counters.backedOff++,
    onHashUpgraded: () => counters.upgraded++,
    onHashUpgradeFailed: () => counters.upgradeFailed++,
    ...extra,
  });
  return {
    auth,
    memory,
    clock,
    counters,
    lookups: () => lookups,
    setFailing: (v: boolean) => void (failing = v),
    setFailUpgrades: (v: boolean) => void (failUpgrades = v),
  };
}

describe('device authenticator: HMAC token hashes', () => {
  it('accepts the right token and refuses a wrong one or an unknown device alike', async () => {
    const { auth } = await setup();
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
    expect(await auth.verify('AF37-000001', token('wrong-token'))).toBe('bad_credentials');
    expect(await auth.verify('AF37-999999', token('right-token'))).toBe('bad_credentials');
  });

  it('refuses the right token when the row was hashed under another pepper', async () => {
    const { auth, memory } = await setup();
    memory.set('AF37-000003', { tokenHash: createDeviceTokenHasher(`${PEPPER}-old`).hash('t3'), enabled: true });
    expect(await auth.verify('AF37-000003', token('t3'))).toBe('bad_credentials');
  });

  it('reports a disabled device only to a caller holding the right token', async () => {
    const { auth, memory } = await setup();
    memory.set('AF37-000002', { tokenHash: hasher.hash('t2'), enabled: false });
    expect(await auth.verify('AF37-000002', token('t2'))).toBe('disabled');
    expect(await auth.verify('AF37-000002', token('guess'))).toBe('bad_credentials');
  });
});

describe('device authenticator: legacy scrypt hashes', () => {
  it('accepts a legacy scrypt hash and replaces it with the HMAC form', async () => {
    const { auth, memory, counters } = await setup();
    memory.set('AF37-000004', { tokenHash: await hashSecret('legacy-token', FAST), enabled: true });
    expect(await auth.verify('AF37-000004', token('legacy-token'))).toBe('ok');
    const row = await memory.lookup('AF37-000004');
    expect(row?.tokenHash).toBe(hasher.hash('legacy-token'));
    expect(isDeviceTokenHmac(row!.tokenHash)).toBe(true);
    expect(counters.upgraded).toBe(1);
  });

  it('leaves a legacy hash alone when the token is wrong', async () => {
    const { auth, memory, counters } = await setup();
    const legacy = await hashSecret('legacy-token', FAST);
    memory.set('AF37-000004', { tokenHash: legacy, enabled: true });
    expect(await auth.verify('AF37-000004', token('not-it'))).toBe('bad_credentials');
    expect((await memory.lookup('AF37-000004'))?.tokenHash).toBe(legacy);
    expect(counters.upgraded).toBe(0);
  });

  it('lets a rotation that happened between lookup and upgrade win', async () => {
    const memory = createMemoryCredentialStore([['AF37-000005', { tokenHash: await hashSecret('old-token', FAST), enabled: true }]]);
    const rotated = hasher.hash('rotated-token');
    // The platform rotates right after the gateway has read the old row.
    const racing: CredentialStore = {
      async lookup(id) {
        const row = await memory.lookup(id);
        memory.set(id, { tokenHash: rotated, enabled: true });
        return row;
      },
      upgradeHash: (id, expected, next) => memory.upgradeHash(id, expected, next),
    };
    let upgraded = 0;
    const auth = createDeviceAuthenticator({ store: racing, clock: fakeClock(), ttlMs: 0, pepper: PEPPER, onHashUpgraded: () => upgraded++ });
    expect(await auth.verify('AF37-000005', token('old-token'))).toBe('ok'); // verified against what it read
    expect((await memory.lookup('AF37-000005'))?.tokenHash).toBe(rotated);
    expect(upgraded).toBe(0);
  });

  it('still lets the device in when the upgrade write fails, and upgrades on a later connect', async () => {
    const { auth, memory, counters, setFailUpgrades } = await setup(0);
    const legacy = await hashSecret('legacy-token', FAST);
    memory.set('AF37-000004', { tokenHash: legacy, enabled: true });
    setFailUpgrades(true);
    expect(await auth.verify('AF37-000004', token('legacy-token'))).toBe('ok');
    expect(counters.upgradeFailed).toBe(1);
    expect((await memory.lookup('AF37-000004'))?.tokenHash).toBe(legacy);
    setFailUpgrades(false);
    expect(await auth.verify('AF37-000004', token('legacy-token'))).toBe('ok');
    expect((await memory.lookup('AF37-000004'))?.tokenHash).toBe(hasher.hash('legacy-token'));
  });
});

describe('device authenticator: credential cache', () => {
  it('serves a repeated credential from the cache within the TTL', async () => {
    const { auth, counters, lookups } = await setup();
    await auth.verify('AF37-000001', token('right-token'));
    await auth.verify('AF37-000001', token('right-token'));
    await auth.verify('AF37-000001', token('right-token'));
    expect(lookups()).toBe(1);
    expect(counters).toMatchObject({ hits: 2, misses: 1 });
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
    memory.set('AF37-000001', { tokenHash: hasher.hash('new-token'), enabled: true });
    clock.advance(29_999);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok'); // still cached
    expect(await auth.verify('AF37-000001', token('new-token'))).toBe('ok'); // new token works at once
    clock.advance(1);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('bad_credentials');

    memory.set('AF37-000001', { tokenHash: hasher.hash('new-token'), enabled: false });
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

describe('device authenticator: backoff after repeated failures', () => {
  const backoff = { afterFailures: 3, baseMs: 1_000, maxMs: 60_000 };

  it('refuses further attempts for that id without a lookup, even with the right token', async () => {
    const { auth, lookups, counters } = await setup(0, { backoff });
    for (let i = 0; i < 3; i += 1) expect(await auth.verify('AF37-000001', token(`guess-${i}`))).toBe('bad_credentials');
    const before = lookups();
    expect(await auth.verify('AF37-000001', token('guess-3'))).toBe('backed_off');
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('backed_off');
    expect(lookups()).toBe(before);
    expect(counters.backedOff).toBe(2);
  });

  it('counts failures answered from the cache too', async () => {
    const { auth, lookups } = await setup(30_000, { backoff });
    for (let i = 0; i < 3; i += 1) await auth.verify('AF37-000001', token('same-wrong'));
    expect(lookups()).toBe(1);
    expect(await auth.verify('AF37-000001', token('same-wrong'))).toBe('backed_off');
  });

  it('lets the device in after the window, and a success resets the count', async () => {
    const { auth, clock } = await setup(0, { backoff });
    for (let i = 0; i < 3; i += 1) await auth.verify('AF37-000001', token('wrong'));
    clock.advance(999);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('backed_off');
    clock.advance(1);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
    // Reset: two more failures do not block (a third would).
    await auth.verify('AF37-000001', token('wrong'));
    await auth.verify('AF37-000001', token('wrong'));
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
  });

  it('doubles the window for an id that keeps failing after each window', async () => {
    const { auth, clock } = await setup(0, { backoff });
    for (let i = 0; i < 3; i += 1) await auth.verify('AF37-000001', token('wrong'));
    clock.advance(1_000);
    expect(await auth.verify('AF37-000001', token('wrong'))).toBe('bad_credentials'); // 4th failure: 2 s
    clock.advance(1_999);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('backed_off');
    clock.advance(1);
    expect(await auth.verify('AF37-000001', token('right-token'))).toBe('ok');
  });

  it('keeps other devices unaffected and does not count store failures', async () => {
    const { auth, memory, setFailing } = await setup(0, { backoff });
    memory.set('AF37-000002', { tokenHash: hasher.hash('t2'), enabled: true });
    for (let i = 0; i < 5; i += 1) await auth.verify('AF37-000001', token('wrong'));
    expect(await auth.verify('AF37-000002', token('t2'))).toBe('ok');
    setFailing(true);
    for (let i = 0; i < 5; i += 1) await expect(auth.verify('AF37-000002', token('t2'))).rejects.toThrow();
    setFailing(false);
    expect(await auth.verify('AF37-000002', token('t2'))).toBe('ok');
  });
});
