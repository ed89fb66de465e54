import { createHmac } from 'node:crypto';
import type pg from 'pg';

/**
 * Bulk provisioning of benchmark devices straight into PostgreSQL: thousands of rows per
 * statement (unnest), so 10,000 devices take seconds rather than the minutes one API call
 * per device would. Tokens are derived from a seed and the id, so a load generator in another
 * process can compute each device's token without being sent the list.
 */
export function benchDeviceId(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(6, '0')}`;
}

/** 32 bytes, base64url: the same shape as a token issued by the platform (newToken). */
export function benchToken(seed: string, deviceId: string): string {
  return createHmac('sha256', seed).update(deviceId).digest('base64url');
}

export interface BulkDevicesOptions {
  prefix: string;
  count: number;
  modelId: string;
  siteIds: readonly string[];
  /** The stored credential of one device (HMAC, or a legacy scrypt hash for a reference run). */
  tokenHashOf: (deviceId: string) => string;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function insertBenchDevices(pool: pg.Pool, opts: BulkDevicesOptions): Promise<string[]> {
  const batchSize = opts.batchSize ?? 2_000;
  const ids: string[] = [];
  for (let from = 0; from < opts.count; from += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, opts.count - from) }, (_, i) => benchDeviceId(opts.prefix, from + i));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO devices (id, serial, model_id, site_id)
         SELECT id, id, $2, site FROM unnest($1::text[], $3::text[]) AS u(id, site)`,
        [batch, opts.modelId, batch.map((_, i) => opts.siteIds[(from + i) % opts.siteIds.length]!)],
      );
      await client.query(
        `INSERT INTO device_credentials (device_id, token_hash) SELECT * FROM unnest($1::text[], $2::text[])`,
        [batch, batch.map((id) => opts.tokenHashOf(id))],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    ids.push(...batch);
    opts.onProgress?.(ids.length, opts.count);
  }
  return ids;
}
