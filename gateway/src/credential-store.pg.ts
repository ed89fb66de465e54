import type { CredentialStore, DeviceCredential } from './credential-store.ts';

/** The slice of pg.Pool the store needs; a Pool or a Client both fit. */
export interface Queryable {
  query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

interface CredentialRow {
  enabled: boolean;
  token_hash: string;
}

/**
 * Reads the platform's own tables (migrations/1763800000000_init.sql): the gateway never writes
 * credentials, so provisioning and token rotation stay with the platform API.
 */
const LOOKUP_SQL = `SELECT d.enabled, c.token_hash
  FROM devices d
  JOIN device_credentials c ON c.device_id = d.id
  WHERE d.id = $1`;

export function createPgCredentialStore(db: Queryable): CredentialStore {
  return {
    async lookup(deviceId): Promise<DeviceCredential | null> {
      const { rows } = await db.query<CredentialRow>(LOOKUP_SQL, [deviceId]);
      const row = rows[0];
      return row ? { tokenHash: row.token_hash, enabled: row.enabled } : null;
    },
  };
}
