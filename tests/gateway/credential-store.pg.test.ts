import { createPgCredentialStore } from '@airfleet/gateway';
import { createTestDatabase } from '../support/test-database.ts';
import { describeCredentialStoreContract } from './credential-store.contract.ts';
import { insertTenant, provisionDevice } from './pg-devices.ts';

describeCredentialStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  await insertTenant(db.pool);
  return {
    store: createPgCredentialStore(db.pool),
    provision: (deviceId, tokenHash, options) => provisionDevice(db.pool, deviceId, tokenHash, options),
    async rotate(deviceId, tokenHash) {
      await db.pool.query('UPDATE device_credentials SET token_hash = $2, rotated_at = now() WHERE device_id = $1', [deviceId, tokenHash]);
    },
    async setEnabled(deviceId, enabled) {
      await db.pool.query('UPDATE devices SET enabled = $2 WHERE id = $1', [deviceId, enabled]);
    },
    async removeCredential(deviceId) {
      await db.pool.query('DELETE FROM device_credentials WHERE device_id = $1', [deviceId]);
    },
    close: () => db.drop(),
  };
});
