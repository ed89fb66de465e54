import type pg from 'pg';
import type { Tariff } from '@airfleet/contracts';
import type { ModelFigures } from './usage.domain.ts';

type Db = pg.Pool | pg.PoolClient;

export interface UsageDevice {
  deviceId: string;
  serial: string;
  modelId: string;
  modelName: string;
  model: ModelFigures;
  modelLoadBar: number;
  siteId: string;
  siteName: string;
  timezone: string;
  customerId: string;
  /** From the birth message; null when the device never stated it. */
  telemetryIntervalMs: number | null;
}

export interface UsageCustomer extends Tariff {
  id: string;
  name: string;
  locale: 'en' | 'zh-CN';
}

interface DeviceRow {
  id: string;
  serial: string;
  model_id: string;
  model_name: string;
  rated_power_kw: number;
  fad_m3_min: number;
  unloaded_power_fraction: number;
  default_load_bar: number;
  site_id: string;
  site_name: string;
  timezone: string;
  customer_id: string;
  telemetry_interval_ms: number | null;
}

const DEVICE_SELECT = `
  SELECT d.id, d.serial, d.model_id, m.name AS model_name, m.rated_power_kw, m.fad_m3_min, m.unloaded_power_fraction,
         m.default_load_bar, s.id AS site_id, s.name AS site_name, s.timezone, s.customer_id, st.telemetry_interval_ms
    FROM devices d JOIN sites s ON s.id = d.site_id JOIN compressor_models m ON m.id = d.model_id
    LEFT JOIN device_status st ON st.device_id = d.id`;

function toDevice(r: DeviceRow): UsageDevice {
  return {
    deviceId: r.id,
    serial: r.serial,
    modelId: r.model_id,
    modelName: r.model_name,
    model: { ratedPowerKw: r.rated_power_kw, fadM3Min: r.fad_m3_min, unloadedPowerFraction: r.unloaded_power_fraction },
    modelLoadBar: r.default_load_bar,
    siteId: r.site_id,
    siteName: r.site_name,
    timezone: r.timezone,
    customerId: r.customer_id,
    telemetryIntervalMs: r.telemetry_interval_ms,
  };
}

/**
 * Read side of the customer usage reports. Tenant scope is applied IN SQL (`$2::text IS NULL OR
 * s.customer_id = $2`): a foreign id simply finds nothing, which the routes answer with 404.
 */
export function createUsageRepository(pool: pg.Pool) {
  return {
    async device(deviceId: string, customerScope: string | null, db: Db = pool): Promise<UsageDevice | null> {
      const { rows } = await db.query<DeviceRow>(`${DEVICE_SELECT} WHERE d.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`, [deviceId, customerScope]);
      return rows[0] ? toDevice(rows[0]) : null;
    },

    /** The site's machines; null when the site is unknown or not the customer's. */
    async site(siteId: string, customerScope: string | null, db: Db = pool): Promise<{ id: string; name: string; timezone: string; customerId: string; devices: UsageDevice[] } | null> {
      const site = await db.query<{ id: string; name: string; timezone: string; customer_id: string }>(
        `SELECT id, name, timezone, customer_id FROM sites WHERE id = $1 AND ($2::text IS NULL OR customer_id = $2)`,
        [siteId, customerScope],
      );
      const s = site.rows[0];
      if (!s) return null;
      const { rows } = await db.query<DeviceRow>(`${DEVICE_SELECT} WHERE d.site_id = $1 ORDER BY d.id`, [siteId]);
      return { id: s.id, name: s.name, timezone: s.timezone, customerId: s.customer_id, devices: rows.map(toDevice) };
    },

    /** Every machine of a customer (null scope: the whole fleet). */
    async devicesOf(customerScope: string | null, db: Db = pool): Promise<UsageDevice[]> {
      const { rows } = await db.query<DeviceRow>(`${DEVICE_SELECT} WHERE ($1::text IS NULL OR s.customer_id = $1) ORDER BY s.name, d.id`, [customerScope]);
      return rows.map(toDevice);
    },

    /**
     * Same-model machines of the whole fleet (any customer: only their median is ever shown) with
     * samples in [from, to) (one index probe each); the others have no day to contribute.
     */
    async peersOf(modelIds: readonly string[], fromMs: number, toMs: number, db: Db = pool): Promise<UsageDevice[]> {
      const { rows } = await db.query<DeviceRow>(
        // The machine's first sample from the range start on, if before its end: one ordered
        // primary-key probe per candidate. The EXISTS this replaces was planned as a semi-join
        // reading every sample of the range (0.5 s for a year of four machines).
        `${DEVICE_SELECT} WHERE d.model_id = ANY($1::text[])
           AND (SELECT t.ts FROM telemetry t WHERE t.device_id = d.id AND t.ts >= $2 ORDER BY t.ts LIMIT 1) < $3 ORDER BY d.id`,
        [modelIds, new Date(fromMs), new Date(toMs)],
      );
      return rows.map(toDevice);
    },

    async customer(customerId: string, db: Db = pool): Promise<UsageCustomer | null> {
      const { rows } = await db.query<{ id: string; name: string; currency: string; tariff: string; grid: string; locale: 'en' | 'zh-CN' }>(
        `SELECT id, name, currency, tariff_per_kwh AS tariff, grid_co2_kg_per_kwh AS grid, locale FROM customers WHERE id = $1`,
        [customerId],
      );
      const r = rows[0];
      // numeric comes back as a string from pg: parse once here.
      return r ? { id: r.id, name: r.name, currency: r.currency, tariffPerKwh: Number(r.tariff), gridCo2KgPerKwh: Number(r.grid), locale: r.locale } : null;
    },

    /**
     * Same-model peers' median specific energy (kWh/m³ = Σ kWh / Σ air over their rolled-up days
     * in the range), each machine's own figure left out. Reads day rows, never peers' telemetry.
     */
    async peerMedians(devices: ReadonlyArray<{ deviceId: string; modelId: string }>, fromMs: number, toMs: number, db: Db = pool): Promise<Map<string, number | null>> {
      const out = new Map<string, number | null>();
      if (devices.length === 0) return out;
      const { rows } = await db.query<{ id: string; median: number | null }>(
        `WITH wanted AS (
           SELECT * FROM unnest($1::text[], $2::text[]) AS w(id, model_id)
         ), per_device AS (
           SELECT r.device_id, d.model_id, sum(r.kwh) / nullif(sum(r.air_m3), 0) AS se
             FROM usage_daily r JOIN devices d ON d.id = r.device_id JOIN sites s ON s.id = d.site_id AND s.timezone = r.timezone
            WHERE d.model_id = ANY($2::text[]) AND r.day_start >= $3 AND r.day_end <= $4
            GROUP BY r.device_id, d.model_id
         )
         SELECT w.id, (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY p.se)
                         FROM per_device p WHERE p.model_id = w.model_id AND p.device_id <> w.id AND p.se IS NOT NULL) AS median
           FROM wanted w`,
        [devices.map((d) => d.deviceId), devices.map((d) => d.modelId), new Date(fromMs), new Date(toMs)],
      );
      for (const r of rows) out.set(r.id, r.median === null ? null : Number(r.median));
      return out;
    },

    /** Average discharge pressure while loaded, per machine (savings advice). */
    async loadedPressure(deviceIds: readonly string[], fromMs: number, toMs: number, db: Db = pool): Promise<Map<string, number | null>> {
      const { rows } = await db.query<{ device_id: string; p: number | null }>(
        `SELECT device_id, avg(pressure_bar)::float8 AS p FROM telemetry
          WHERE device_id = ANY($1::text[]) AND ts >= $2 AND ts < $3 AND state = 'loaded'
          GROUP BY device_id`,
        [deviceIds, new Date(fromMs), new Date(toMs)],
      );
      return new Map(rows.map((r) => [r.device_id, r.p]));
    },
  };
}
export type UsageRepository = ReturnType<typeof createUsageRepository>;
