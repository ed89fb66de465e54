import type pg from 'pg';
import type { Telemetry } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

/** Which customer owns each device (through its site): the live channel's tenant filter. */
export function createDeviceDirectoryRepository(pool: pg.Pool) {
  return {
    async listOwners(db: Db = pool): Promise<Map<string, string>> {
      const { rows } = await db.query<{ id: string; customer_id: string }>(
        'SELECT d.id, s.customer_id FROM devices d JOIN sites s ON s.id = d.site_id',
      );
      return new Map(rows.map((r) => [r.id, r.customer_id]));
    },
  };
}
export type DeviceDirectoryRepository = ReturnType<typeof createDeviceDirectoryRepository>;

/** Newest committed samples of these devices: the outbox says which changed, this says to what. */
export async function latestSamples(db: Db, deviceIds: readonly string[]): Promise<Array<{ deviceId: string; sample: Telemetry }>> {
  const { rows } = await db.query<{ device_id: string; ts_ms: number; seq: number; state: Telemetry['state']; metrics: Telemetry['metrics'] }>(
    `SELECT device_id, round(extract(epoch FROM ts) * 1000)::float8 AS ts_ms, seq, state, metrics
       FROM device_latest WHERE device_id = ANY($1::text[])`,
    [deviceIds],
  );
  return rows.map((r) => ({ deviceId: r.device_id, sample: { ts: r.ts_ms, seq: Number(r.seq), state: r.state, metrics: r.metrics } }));
}
