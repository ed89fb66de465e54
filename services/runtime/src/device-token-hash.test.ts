import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSecret } from './credential-hash.ts';
import { createDeviceTokenHasher, deviceTokenPepperSchema, isDeviceTokenHmac } from './device-token-hash.ts';

const PEPPER = 'unit-test-pepper-0123456789abcdef0123';
const TOKEN = 'Yk3v9zQ0m7wJ2sL5nB8xC1dF4gH6jK0pR3tU5wZ8a2c';

describe('device token hashing (HMAC-SHA-256 with a pepper)', () => {
  const hasher = createDeviceTokenHasher(PEPPER);

  it('stores a self-describing hmac-sha256$<hex> string, the HMAC of the token under the pepper', () => {
    const stored = hasher.hash(TOKEN);
    expect(stored).toBe(`hmac-sha256$${createHmac('sha256', PEPPER).update(TOKEN).digest('hex')}`);
    expect(isDeviceTokenHmac(stored)).toBe(true);
    expect(stored).not.toContain(TOKEN);
  });

  it('verifies the right token, given as a string or as the MQTT password bytes', async () => {
    const stored = hasher.hash(TOKEN);
    expect(await hasher.verify(TOKEN, stored)).toEqual({ matches: true, legacy: false });
    expect(await hasher.verify(Buffer.from(TOKEN, 'utf8'), stored)).toEqual({ matches: true, legacy: false });
  });

  it('refuses a wrong token, and the right token under another pepper', async () => {
    const stored = hasher.hash(TOKEN);
    expect((await hasher.verify(`${TOKEN.slice(0, -1)}d`, stored)).matches).toBe(false);
    expect((await hasher.verify('', stored)).matches).toBe(false);
    const other = createDeviceTokenHasher(`${PEPPER}-rotated`);
    expect((await other.verify(TOKEN, stored)).matches).toBe(false);
  });

  it('does not let two different invalid UTF-8 passwords collide', async () => {
    const a = Buffer.from([0xff, 0x41]);
    const b = Buffer.from([0xfe, 0x41]);
    expect((await hasher.verify(b, hasher.hash(a))).matches).toBe(false);
  });

  it('verifies a legacy scrypt hash and flags it for re-hashing', async () => {
    const legacy = await hashSecret(TOKEN, { N: 1024, r: 8, p: 1 });
    expect(await hasher.verify(Buffer.from(TOKEN), legacy)).toEqual({ matches: true, legacy: true });
    expect(await hasher.verify('wrong', legacy)).toEqual({ matches: false, legacy: true });
  });

  it.each([
    ['a truncated digest', `hmac-sha256$${'a'.repeat(63)}`],
    ['upper-case hex', `hmac-sha256$${'A'.repeat(64)}`],
    ['an unknown scheme', `argon2id$${'a'.repeat(64)}`],
    ['an empty string', ''],
  ])('never matches a malformed stored value: %s', async (_name, stored) => {
    expect((await hasher.verify(TOKEN, stored)).matches).toBe(false);
  });

  it('refuses a pepper shorter than 32 characters', () => {
    expect(() => createDeviceTokenHasher('x'.repeat(31))).toThrow(/at least 32/);
    expect(() => createDeviceTokenHasher('')).toThrow(/at least 32/);
    expect(deviceTokenPepperSchema.safeParse('x'.repeat(31)).success).toBe(false);
    expect(deviceTokenPepperSchema.safeParse(undefined).success).toBe(false);
    expect(deviceTokenPepperSchema.safeParse('x'.repeat(32)).success).toBe(true);
  });
});
