import type pg from 'pg';
import type { ServiceRecord } from './rule-types.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

/**
 * The service records of the device whose id is `deviceIdSql`, as a JSON array of
 * `ServiceRecord`s (null when it has none): for reads that take them along in one statement.
 */
export const serviceRecordsJsonSql = (deviceIdSql: string): string => `
  (SELECT json_agg(json_build_object('level', ds.level, 'lastHours', ds.last_hours,
                                     'lastAt', floor(extract(epoch FROM ds.last_at) * 1000)::float8,
                                     'done', ds.done, 'source', ds.source))
     FROM device_service ds WHERE ds.device_id = ${deviceIdSql})`;

export function createDeviceServiceRepository(pool: pg.Pool) {
  return {
    async load(deviceIds: readonly string[], db: Db = pool): Promise<Map<string, ServiceRecord[]>> {
      const out = new Map<string, ServiceRecord[]>();
      if (deviceIds.length === 0) return out;
      const { rows } = await db.query<{ device_id: string; level: ServiceRecord['level']; last_hours: number; last_at: Date; done: boolean; source: ServiceRecord['source'] }>(
        `SELECT device_id, level, last_hours, last_at, done, source FROM device_service WHERE device_id = ANY($1::text[])`,
        [deviceIds],
      );
      for (const r of rows) {
        const list = out.get(r.device_id) ?? [];
        list.push({ level: r.level, lastHours: r.last_hours, lastAt: r.last_at.getTime(), done: r.done, source: r.source });
        out.set(r.device_id, list);
      }
      return out;
    },

    /** First sight: never overwrites a record that exists (a real service or an earlier seed). */
    async seed(deviceId: string, records: readonly ServiceRecord[], db: Db = pool): Promise<void> {
      if (records.length === 0) return;
      await db.query(
        `INSERT INTO device_service (device_id, level, last_hours, last_at, source, done)
         SELECT $1, level, last_hours, to_timestamp(last_ms / 1000.0), 'seed', done
           FROM unnest($2::text[], $3::float8[], $4::float8[], $5::bool[]) AS u(level, last_hours, last_ms, done)
         ON CONFLICT (device_id, level) DO NOTHING`,
        [deviceId, records.map((r) => r.level), records.map((r) => r.lastHours), records.map((r) => r.lastAt), records.map((r) => r.done)],
      );
    },

    /** A service was done: these levels restart their intervals from the current counters. */
    async recordService(deviceId: string, levels: readonly string[], runningHours: number | null, atMs: number, db: Db = pool): Promise<void> {
      await db.query(
        `INSERT INTO device_service (device_id, level, last_hours, last_at, source, done)
         SELECT $1, level, COALESCE($3::float8, 0), to_timestamp($4 / 1000.0), 'service', level = 'first'
           FROM unnest($2::text[]) AS level
         ON CONFLICT (device_id, level) DO UPDATE SET
           last_hours = COALESCE($3::float8, device_service.last_hours), last_at = EXCLUDED.last_at,
           source = 'service', done = device_service.done OR EXCLUDED.done, updated_at = now()`,
        [deviceId, levels, runningHours, atMs],
      );
    },
  };
}
export type DeviceServiceRepository = ReturnType<typeof createDeviceServiceRepository>;
