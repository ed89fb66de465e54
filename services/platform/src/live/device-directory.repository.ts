import type pg from 'pg';

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
