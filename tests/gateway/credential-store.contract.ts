import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceTokenHasher, hashSecret } from '@airfleet/runtime';
import type { CredentialStore } from '@airfleet/gateway';

/**
 * One behavioural contract for every CredentialStore implementation (memory, PostgreSQL).
 * Each implementation supplies a fixture that can provision and change devices its own way.
 */
export interface CredentialStoreFixture {
  store: CredentialStore;
  provision(deviceId: string, tokenHash: string, options?: { enabled?: boolean }): Promise<void>;
  rotate(deviceId: string, tokenHash: string): Promise<void>;
  setEnabled(deviceId: string, enabled: boolean): Promise<void>;
  /** Removes the credential but keeps the device (if the implementation separates the two). */
  removeCredential(deviceId: string): Promise<void>;
  close(): Promise<void>;
}

const FAST = { N: 1024, r: 8, p: 1 };
const hasher = createDeviceTokenHasher('credential-store-contract-pepper-0123456789');

export function describeCredentialStoreContract(name: string, createFixture: () => Promise<CredentialStoreFixture>): void {
  describe(`CredentialStore contract: ${name}`, () => {
    let fx: CredentialStoreFixture;
    let hashA: string;
    beforeAll(async () => {
      fx = await createFixture();
      hashA = hasher.hash('token-a');
      await fx.provision('AF37-000001', hashA);
      await fx.provision('AF37-000002', hasher.hash('token-b'), { enabled: false });
      await fx.provision('AF37-000003', hasher.hash('token-c'));
    });
    afterAll(async () => fx?.close());

    it('returns null for an unknown device', async () => {
      expect(await fx.store.lookup('AF37-999999')).toBeNull();
    });

    it("returns an enabled device's stored hash, which verifies its token", async () => {
      const credential = await fx.store.lookup('AF37-000001');
      expect(credential).toEqual({ tokenHash: hashA, enabled: true });
      expect((await hasher.verify('token-a', credential!.tokenHash)).matches).toBe(true);
      expect((await hasher.verify('token-b', credential!.tokenHash)).matches).toBe(false);
    });

    it('reports a disabled device as disabled', async () => {
      expect(await fx.store.lookup('AF37-000002')).toMatchObject({ enabled: false });
    });

    it('reflects a token rotation and enabling/disabling immediately (caching is not its job)', async () => {
      const rotated = hasher.hash('token-c2');
      await fx.rotate('AF37-000003', rotated);
      expect(await fx.store.lookup('AF37-000003')).toEqual({ tokenHash: rotated, enabled: true });
      await fx.setEnabled('AF37-000003', false);
      expect(await fx.store.lookup('AF37-000003')).toEqual({ tokenHash: rotated, enabled: false });
      await fx.setEnabled('AF37-000003', true);
      expect(await fx.store.lookup('AF37-000003')).toMatchObject({ enabled: true });
    });

    it('returns null for a device without a credential', async () => {
      await fx.provision('AF37-000004', hasher.hash('token-d'));
      await fx.removeCredential('AF37-000004');
      expect(await fx.store.lookup('AF37-000004')).toBeNull();
    });

    it('upgrades a hash only while it is still the one expected, so a concurrent rotation wins', async () => {
      const legacy = await hashSecret('token-e', FAST);
      await fx.provision('AF37-000005', legacy, { enabled: false });
      expect(await fx.store.upgradeHash('AF37-000005', legacy, hasher.hash('token-e'))).toBe(true);
      expect(await fx.store.lookup('AF37-000005')).toEqual({ tokenHash: hasher.hash('token-e'), enabled: false });

      const legacyF = await hashSecret('token-f', FAST);
      await fx.provision('AF37-000006', legacyF);
      await fx.rotate('AF37-000006', hasher.hash('token-f2'));
      expect(await fx.store.upgradeHash('AF37-000006', legacyF, hasher.hash('token-f'))).toBe(false);
      expect(await fx.store.lookup('AF37-000006')).toEqual({ tokenHash: hasher.hash('token-f2'), enabled: true });
      expect(await fx.store.upgradeHash('AF37-999999', legacyF, hasher.hash('token-f'))).toBe(false);
    });

    it.each([
      ['a different case', 'af37-000001'],
      ['a pattern character', 'AF37-00000_'],
      ['a percent sign', 'AF37-%'],
      ['a prefix', 'AF37-00000'],
      ['an SQL fragment', "AF37-000001' OR '1'='1"],
      ['an empty id', ''],
    ])('matches the id exactly: %s finds nothing', async (_name, id) => {
      expect(await fx.store.lookup(id)).toBeNull();
    });
  });
}
