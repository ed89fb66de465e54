import type { CredentialStore, DeviceCredential } from './credential-store.ts';

/** The slice of pg.Pool the store needs; a Pool or a Client both fit. */
export interface Queryable {
  query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[]; rowCount?: number | null }>;
}

interface CredentialRow {
  enabled: boolean;
  token_hash: string;
}

/**
 * Reads the platform's own tables (migrations/1763800000000_init.sql). Provisioning and token
 * rotation stay with the platform API; the gateway's only write is upgradeHash.
 */
const LOOKUP_SQL = `SELECT d.enabled, c.token_hash
  FROM devices d
  JOIN device_credentials c ON c.device_id = d.id
  WHERE d.id = $1`;

/**
 * Conditional on the hash the gateway verified: a rotation committed after the lookup changed
 * token_hash, so this matches no row and the rotated credential stays. rotated_at is left alone:
 * the token is the same, only its stored form changes.
 */
const UPGRADE_SQL = `UPDATE device_credentials SET token_hash = $3
  WHERE device_id = $1 AND token_hash = $2`;

export function createPgCredentialStore(db: Queryable): CredentialStore {
  return {
    async lookup(deviceId): Promise<DeviceCredential | null> {
      const { rows } = await db.query<CredentialRow>(LOOKUP_SQL, [deviceId]);
      const row = rows[0];
      return row ? { tokenHash: row.token_hash, enabled: row.enabled } : null;
    },
    async upgradeHash(deviceId, expectedHash, newHash) {
      const { rowCount } = await db.query(UPGRADE_SQL, [deviceId, expectedHash, newHash]);
      return (rowCount ?? 0) > 0;
    },
  };
}
