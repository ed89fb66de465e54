import { createMemoryCredentialStore } from '@airfleet/gateway';
import { describeCredentialStoreContract } from './credential-store.contract.ts';

describeCredentialStoreContract('in-memory', async () => {
  const store = createMemoryCredentialStore();
  // The memory store has no separate device table: a device is its credential row.
  return {
    store,
    async provision(deviceId, tokenHash, options) {
      store.set(deviceId, { tokenHash, enabled: options?.enabled ?? true });
    },
    async rotate(deviceId, tokenHash) {
      const row = await store.lookup(deviceId);
      if (!row) throw new Error(`no device ${deviceId}`);
      store.set(deviceId, { ...row, tokenHash });
    },
    async setEnabled(deviceId, enabled) {
      const row = await store.lookup(deviceId);
      if (!row) throw new Error(`no device ${deviceId}`);
      store.set(deviceId, { ...row, enabled });
    },
    async removeCredential(deviceId) {
      store.delete(deviceId);
    },
    async close() {},
  };
});
