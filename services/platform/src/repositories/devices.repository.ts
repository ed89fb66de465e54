import type pg from 'pg';
import type { Device, DevicesQuery, MachineState } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

/**
 * Tenant scope of a read: null = every customer (staff roles), otherwise one customer's id.
 * Scoping is applied in SQL so a customer can never page or count into another tenant.
 */
export type CustomerScope = string | null;

export type DeviceFilter = Omit<DevicesQuery, 'sort' | 'order' | 'limit' | 'offset'> &
  Partial<Pick<DevicesQuery, 'sort' | 'order' | 'limit' | 'offset'>>;

export interface NewDevice {
  id: string;
  serial: string;
  modelId: string;
  siteId: string;
  tokenHash: string;
}

/** Why a device could not be created; mapped from constraint names so concurrent creates stay race-free. */
export type CreateDeviceResult = { ok: true } | { ok: false; conflict: 'id' | 'serial' | 'model' | 'site' };

interface DeviceRow {
  id: string;
  serial: string;
  model_id: string;
  site_id: string;
  customer_id: string;
  enabled: boolean;
  created_at: Date;
  online: boolean | null;
  firmware: string | null;
  status_at: Date | null;
  latest_ts: Date | null;
  latest_seq: string | null;
  latest_state: MachineState | null;
  latest_metrics: Record<string, number> | null;
  last_seen_at: Date | null;
}

/** Joins shared by the page and the count, so a filter can never apply to one and not the other. */
const FROM_DEVICES = `
    FROM devices d
    JOIN sites s ON s.id = d.site_id
    JOIN customers c ON c.id = s.customer_id
    LEFT JOIN device_latest l ON l.device_id = d.id
    LEFT JOIN device_status st ON st.device_id = d.id`;

const SELECT_DEVICE = `
  SELECT d.id, d.serial, d.model_id, d.site_id, s.customer_id, d.enabled, d.created_at,
         st.online, st.firmware, st.updated_at AS status_at,
         l.ts AS latest_ts, l.seq AS latest_seq, l.state AS latest_state, l.metrics AS latest_metrics,
         l.received_at AS last_seen_at
  ${FROM_DEVICES}`;

/** Whitelisted ORDER BY fragments: the sort key never reaches SQL as text. Ties break on id for stable paging. */
const SORT_SQL: Record<DevicesQuery['sort'], (dir: 'ASC' | 'DESC') => string> = {
  id: (dir) => `d.id ${dir}`,
  lastSeenAt: (dir) => `l.received_at ${dir} NULLS LAST, d.id`,
  site: (dir) => `s.name ${dir}, d.id`,
  model: (dir) => `d.model_id ${dir}, d.id`,
};

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    serial: row.serial,
    modelId: row.model_id,
    siteId: row.site_id,
    customerId: row.customer_id,
    enabled: row.enabled,
    // No status row yet means the device never announced itself: offline.
    online: row.online ?? false,
    firmware: row.firmware,
    statusAt: row.status_at?.toISOString() ?? null,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    latest:
      row.latest_ts && row.latest_state
        ? { ts: row.latest_ts.toISOString(), seq: Number(row.latest_seq), state: row.latest_state, metrics: row.latest_metrics ?? {} }
        : null,
    createdAt: row.created_at.toISOString(),
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereClause(filter: DeviceFilter, scope: CustomerScope): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (sqlWithPlaceholder: (p: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(sqlWithPlaceholder(`$${params.length}`));
  };
  if (scope !== null) add((p) => `s.customer_id = ${p}`, scope);
  if (filter.q) {
    add((p) => `(d.id ILIKE ${p} OR d.serial ILIKE ${p} OR s.name ILIKE ${p} OR c.name ILIKE ${p})`, `%${escapeLike(filter.q)}%`);
  }
  if (filter.customerId) add((p) => `s.customer_id = ${p}`, filter.customerId);
  if (filter.siteId) add((p) => `d.site_id = ${p}`, filter.siteId);
  if (filter.modelId) add((p) => `d.model_id = ${p}`, filter.modelId);
  if (filter.state) add((p) => `l.state = ${p}`, filter.state);
  if (filter.online !== undefined) add((p) => `coalesce(st.online, false) = ${p}`, filter.online);
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

export function createDevicesRepository(pool: pg.Pool) {
  return {
    async list(filter: DeviceFilter, scope: CustomerScope, db: Db = pool): Promise<{ items: Device[]; total: number }> {
      const { sql: where, params } = whereClause(filter, scope);
      const limit = filter.limit ?? 100;
      const offset = filter.offset ?? 0;
      const order = SORT_SQL[filter.sort ?? 'id'](filter.order === 'desc' ? 'DESC' : 'ASC');
      const [page, count] = await Promise.all([
        db.query<DeviceRow>(`${SELECT_DEVICE} ${where} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
          ...params,
          limit,
          offset,
        ]),
        db.query<{ total: number }>(`SELECT count(*)::int AS total ${FROM_DEVICES} ${where}`, params),
      ]);
      return { items: page.rows.map(toDevice), total: count.rows[0]?.total ?? 0 };
    },

    /** Null when the device does not exist OR is outside the scope: callers answer 404 for both. */
    async findById(id: string, scope: CustomerScope, db: Db = pool): Promise<Device | null> {
      const { rows } = await db.query<DeviceRow>(`${SELECT_DEVICE} WHERE d.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`, [
        id,
        scope,
      ]);
      return rows[0] ? toDevice(rows[0]) : null;
    },

    /**
     * Device row and credential hash in one statement (a data-modifying CTE), so a device
     * can never exist without a credential nor the other way round, with no explicit transaction.
     */
    async createWithCredential(device: NewDevice, db: Db = pool): Promise<CreateDeviceResult> {
      try {
        await db.query(
          `WITH d AS (
             INSERT INTO devices (id, serial, model_id, site_id) VALUES ($1, $2, $3, $4) RETURNING id
           )
           INSERT INTO device_credentials (device_id, token_hash) SELECT id, $5 FROM d`,
          [device.id, device.serial, device.modelId, device.siteId, device.tokenHash],
        );
        return { ok: true };
      } catch (err) {
        const conflict = conflictOf(err);
        if (conflict) return { ok: false, conflict };
        throw err;
      }
    },

    /**
     * Replaces (or creates) a device's credential hash. False when the device does not exist.
     * The old hash is overwritten in the same statement, so the old token stops working
     * as soon as the gateway's credential cache expires.
     */
    async replaceCredential(deviceId: string, tokenHash: string, db: Db = pool): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO device_credentials (device_id, token_hash, rotated_at)
         SELECT id, $2, now() FROM devices WHERE id = $1
         ON CONFLICT (device_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, rotated_at = EXCLUDED.rotated_at`,
        [deviceId, tokenHash],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}
export type DevicesRepository = ReturnType<typeof createDevicesRepository>;

/** Maps the migration's constraint names (1763800000000_init.sql) to a domain reason. */
function conflictOf(err: unknown): 'id' | 'serial' | 'model' | 'site' | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, constraint } = err as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'devices_pkey') return 'id';
  if (code === '23505' && constraint === 'devices_serial_key') return 'serial';
  if (code === '23503' && constraint === 'devices_model_id_fkey') return 'model';
  if (code === '23503' && constraint === 'devices_site_id_fkey') return 'site';
  return null;
}
