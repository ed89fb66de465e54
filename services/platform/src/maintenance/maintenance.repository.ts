import type pg from 'pg';
import type { PartQuantity, ServiceHistoryEntry } from '@airfleet/contracts';
import type { DeviceContext } from '../service/inbox.domain.ts';
import type { UsagePoint } from './maintenance-plan.domain.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;
export type CustomerScope = string | null;

export interface DeviceForPlan extends DeviceContext {
  latest: { ts: number; runningHours: number | null; separatorDpBar: number | null; airFilterDpMbar: number | null } | null;
}

export interface DeviceFilter {
  deviceIds?: readonly string[];
  siteId?: string;
  customerId?: string;
  region?: string;
}

const DEVICE_COLUMNS = `d.id AS device_id, d.serial, d.model_id, s.id AS site_id, s.name AS site_name, s.region,
  c.id AS customer_id, c.name AS customer_name`;

/** The columns that name a machine and where it stands; work orders read the same ones (see toDeviceRef). */
export interface DeviceRefRow {
  device_id: string;
  serial: string;
  model_id: string;
  site_id: string;
  site_name: string;
  customer_id: string;
  customer_name: string;
}

interface DeviceRow extends DeviceRefRow {
  region: string;
}

export function toDeviceRef(r: DeviceRefRow): Omit<DeviceContext, 'region'> {
  return {
    deviceId: r.device_id,
    deviceSerial: r.serial,
    modelId: r.model_id,
    siteId: r.site_id,
    siteName: r.site_name,
    customerId: r.customer_id,
    customerName: r.customer_name,
  };
}

export function toDeviceContext(r: DeviceRow): DeviceContext {
  return { ...toDeviceRef(r), region: r.region };
}

export function createMaintenanceRepository(pool: pg.Pool) {
  return {
    /** Enabled machines in scope with their newest counters and ΔP readings. */
    async devices(filter: DeviceFilter, scope: CustomerScope, db: Db = pool): Promise<DeviceForPlan[]> {
      const { rows } = await db.query<DeviceRow & { ts: Date | null; running_hours: number | null; separator_dp_bar: number | null; air_filter_dp_mbar: number | null }>(
        `SELECT ${DEVICE_COLUMNS}, l.ts,
                (l.metrics->>'runningHours')::float8 AS running_hours,
                (l.metrics->>'separatorDpBar')::float8 AS separator_dp_bar,
                (l.metrics->>'airFilterDpMbar')::float8 AS air_filter_dp_mbar
           FROM devices d JOIN sites s ON s.id = d.site_id JOIN customers c ON c.id = s.customer_id
           LEFT JOIN device_latest l ON l.device_id = d.id
          WHERE d.enabled
            AND ($1::text[] IS NULL OR d.id = ANY($1::text[]))
            AND ($2::text IS NULL OR s.id = $2)
            AND ($3::text IS NULL OR c.id = $3)
            AND ($4::text IS NULL OR s.region = $4)
            AND ($5::text IS NULL OR c.id = $5)
          ORDER BY d.id`,
        [filter.deviceIds ?? null, filter.siteId ?? null, filter.customerId ?? null, filter.region ?? null, scope],
      );
      return rows.map((r) => ({
        ...toDeviceContext(r),
        latest: r.ts ? { ts: r.ts.getTime(), runningHours: r.running_hours, separatorDpBar: r.separator_dp_bar, airFilterDpMbar: r.air_filter_dp_mbar } : null,
      }));
    },

    /** Oldest running-hours reading of each device since `sinceMs` (the start of the usage window). */
    async oldestReadings(deviceIds: readonly string[], sinceMs: number, db: Db = pool): Promise<Map<string, UsagePoint>> {
      const out = new Map<string, UsagePoint>();
      if (deviceIds.length === 0) return out;
      // One index probe per device on the (device_id, ts) primary key.
      const { rows } = await db.query<{ device_id: string; ts: Date; running_hours: number }>(
        `SELECT u.id AS device_id, t.ts, t.running_hours
           FROM unnest($1::text[]) AS u(id)
           CROSS JOIN LATERAL (
             SELECT ts, running_hours FROM telemetry
              WHERE device_id = u.id AND ts >= to_timestamp($2 / 1000.0) AND running_hours IS NOT NULL
              ORDER BY ts ASC LIMIT 1) t`,
        [deviceIds, sinceMs],
      );
      for (const r of rows) out.set(r.device_id, { ts: r.ts.getTime(), runningHours: r.running_hours });
      return out;
    },

    /**
     * Service history: completed work orders, plus services recorded without one (a
     * service_reset made by hand). device_service.last_at equals the judgment's ts, which
     * ties a recorded service to the judgment and its author.
     */
    async history(deviceId: string, db: Db = pool): Promise<ServiceHistoryEntry[]> {
      const orders = await db.query<{ id: string; completed_at: Date; completion: { runningHours: number; level: ServiceHistoryEntry['level']; partsUsed: PartQuantity[]; notes: string; technicianId: string }; tech_name: string | null; judgment_status: ServiceHistoryEntry['deviceAck'] }>(
        `SELECT w.id::text, w.completed_at, w.completion, u.name AS tech_name, j.status AS judgment_status
           FROM work_orders w
           LEFT JOIN users u ON u.id = (w.completion->>'technicianId')::uuid
           LEFT JOIN judgments j ON j.id = w.judgment_id
          WHERE w.device_id = $1 AND w.status = 'done'`,
        [deviceId],
      );
      const records = await db.query<{ last_at: Date; levels: string[]; last_hours: number; judgment_status: ServiceHistoryEntry['deviceAck']; by_id: string | null; by_name: string | null; params: { level?: string } | null }>(
        `SELECT ds.last_at, array_agg(ds.level ORDER BY ds.level) AS levels, max(ds.last_hours) AS last_hours,
                j.status AS judgment_status, u.id::text AS by_id, u.name AS by_name, j.params
           FROM device_service ds
           LEFT JOIN judgments j ON j.device_id = ds.device_id AND j.kind = 'service_reset' AND j.ts = ds.last_at
           LEFT JOIN users u ON u.id = j.created_by
          WHERE ds.device_id = $1 AND ds.source = 'service'
            AND NOT EXISTS (SELECT 1 FROM work_orders w WHERE w.judgment_id = j.id)
          GROUP BY ds.last_at, j.status, u.id, u.name, j.params`,
        [deviceId],
      );
      const RANK: Record<string, number> = { first: 0, A: 1, B: 2, C: 3 };
      const covered = (level: string): ServiceHistoryEntry['levelsReset'] =>
        (['first', 'A', 'B', 'C'] as const).filter((l) => RANK[l]! <= RANK[level]!);
      const items: ServiceHistoryEntry[] = [
        ...orders.rows.map((r) => ({
          source: 'work_order' as const,
          at: r.completed_at.toISOString(),
          level: r.completion.level,
          levelsReset: r.completion.level ? covered(r.completion.level) : [],
          runningHours: r.completion.runningHours,
          parts: r.completion.partsUsed,
          technician: r.tech_name ? { id: r.completion.technicianId, name: r.tech_name } : null,
          notes: r.completion.notes,
          workOrderId: r.id,
          deviceAck: r.judgment_status,
        })),
        ...records.rows.map((r) => {
          const levels = r.levels.filter((l): l is 'first' | 'A' | 'B' | 'C' => l in RANK).sort((a, b) => RANK[a]! - RANK[b]!);
          const level = (r.params?.level as ServiceHistoryEntry['level'] | undefined) ?? levels.at(-1) ?? null;
          return {
            source: 'service_record' as const,
            at: r.last_at.toISOString(),
            level,
            levelsReset: levels,
            runningHours: r.last_hours,
            parts: [],
            technician: r.by_id && r.by_name ? { id: r.by_id, name: r.by_name } : null,
            notes: null,
            workOrderId: null,
            deviceAck: r.judgment_status,
          };
        }),
      ];
      return items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    },
  };
}
export type MaintenanceRepository = ReturnType<typeof createMaintenanceRepository>;
