import { MODEL_JSON_SQL } from '../repositories/catalogue.repository.ts';
import type pg from 'pg';
import type { CompressorModel } from '@airfleet/contracts';
import type { PeerResult } from './fleet-peers.domain.ts';
import type { HealthCheck } from './health-score.domain.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

export interface DeviceDayFigures {
  deviceId: string;
  siteId: string;
  model: CompressorModel;
  samples: number;
  loadedSamples: number;
  loadedPowerKw: number | null;
  loadedFlowM3Min: number | null;
  loadedPressureBar: number | null;
  adtDeltaK: number | null;
  adtSamples: number;
  unloadedSamples: number;
  runningSamples: number;
  maxElementTempC: number | null;
  maxSeparatorDpBar: number | null;
  maxAirFilterDpMbar: number | null;
  pressureLowBar: number | null;
  pressureHighBar: number | null;
  /** bar/day over the trailing week, with how much time it spans. */
  separatorSlope: number | null;
  separatorSpanDays: number;
  separatorSamples: number;
}

export interface DeviceDayAlarms {
  critical: boolean;
  dataGap: boolean;
  serviceOverdue: boolean;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function createFleetRepository(pool: pg.Pool) {
  return {
    /**
     * One pass over the day's telemetry per device, grouped in SQL: loaded power, flow and
     * pressure; ADT − ambient at load; time shares (samples are evenly spaced); maxima; the
     * pressure band while running; plus the separator-ΔP slope over the trailing seven days.
     * Devices heard in the 30 days before but silent that day come back with 0 samples.
     */
    async dayFigures(dayStartMs: number, dayEndMs: number, db: Db = pool): Promise<DeviceDayFigures[]> {
      const { rows } = await db.query(
        `WITH day AS (
           SELECT t.device_id, count(*)::int AS samples,
                  count(*) FILTER (WHERE t.state = 'loaded' AND t.flow_m3_min > 0 AND t.power_kw IS NOT NULL)::int AS loaded_samples,
                  avg(t.power_kw) FILTER (WHERE t.state = 'loaded' AND t.flow_m3_min > 0) AS loaded_power,
                  avg(t.flow_m3_min) FILTER (WHERE t.state = 'loaded' AND t.flow_m3_min > 0) AS loaded_flow,
                  avg(t.pressure_bar) FILTER (WHERE t.state = 'loaded' AND t.flow_m3_min > 0) AS loaded_pressure,
                  avg(t.element_temp_c - t.ambient_temp_c) FILTER (WHERE t.state = 'loaded') AS adt_delta,
                  count(t.element_temp_c - t.ambient_temp_c) FILTER (WHERE t.state = 'loaded')::int AS adt_samples,
                  count(*) FILTER (WHERE t.state = 'unloaded')::int AS unloaded,
                  count(*) FILTER (WHERE t.state IN ('loaded', 'unloaded'))::int AS running,
                  max(t.element_temp_c) AS max_adt,
                  max(t.separator_dp_bar) FILTER (WHERE t.state = 'loaded') AS max_sep,
                  max(t.air_filter_dp_mbar) FILTER (WHERE t.state = 'loaded') AS max_af,
                  percentile_cont(0.05) WITHIN GROUP (ORDER BY t.pressure_bar) FILTER (WHERE t.state IN ('loaded', 'unloaded')) AS p_low,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY t.pressure_bar) FILTER (WHERE t.state IN ('loaded', 'unloaded')) AS p_high
             FROM telemetry t
            WHERE t.ts >= to_timestamp($1 / 1000.0) AND t.ts < to_timestamp($2 / 1000.0)
            GROUP BY t.device_id),
         sep AS (
           SELECT t.device_id, regr_slope(t.separator_dp_bar, extract(epoch FROM t.ts) / 86400.0) AS slope,
                  extract(epoch FROM max(t.ts) - min(t.ts)) / 86400.0 AS span_days, count(*)::int AS n
             FROM telemetry t
            WHERE t.ts >= to_timestamp($2 / 1000.0) - interval '7 days' AND t.ts < to_timestamp($2 / 1000.0)
              AND t.state = 'loaded' AND t.separator_dp_bar IS NOT NULL
            GROUP BY t.device_id)
         -- day.* first: its device_id is NULL for a silent device, and the later d.id must win the name.
         SELECT day.*, sep.slope, sep.span_days, sep.n AS sep_n, d.id AS device_id, d.site_id,
                ${MODEL_JSON_SQL} AS model
           FROM devices d
           JOIN compressor_models m ON m.id = d.model_id
           LEFT JOIN day ON day.device_id = d.id
           LEFT JOIN sep ON sep.device_id = d.id
          WHERE d.enabled AND (day.device_id IS NOT NULL
                 -- Silent that day but heard within the last 30 days (docs/domain.md §7: "disconnected" after 30).
                 OR EXISTS (SELECT 1 FROM telemetry t WHERE t.device_id = d.id
                             AND t.ts >= to_timestamp($2 / 1000.0) - interval '30 days' AND t.ts < to_timestamp($1 / 1000.0)))
          ORDER BY d.id`,
        [dayStartMs, dayEndMs],
      );
      return rows.map((r) => ({
        deviceId: r.device_id,
        siteId: r.site_id,
        model: r.model as CompressorModel,
        samples: r.samples ?? 0,
        loadedSamples: r.loaded_samples ?? 0,
        loadedPowerKw: num(r.loaded_power),
        loadedFlowM3Min: num(r.loaded_flow),
        loadedPressureBar: num(r.loaded_pressure),
        adtDeltaK: num(r.adt_delta),
        adtSamples: r.adt_samples ?? 0,
        unloadedSamples: r.unloaded ?? 0,
        runningSamples: r.running ?? 0,
        maxElementTempC: num(r.max_adt),
        maxSeparatorDpBar: num(r.max_sep),
        maxAirFilterDpMbar: num(r.max_af),
        pressureLowBar: num(r.p_low),
        pressureHighBar: num(r.p_high),
        separatorSlope: num(r.slope),
        separatorSpanDays: num(r.span_days) ?? 0,
        separatorSamples: r.sep_n ?? 0,
      }));
    },

    /** Alarms that overlapped the day (event-time start, clear time end). */
    async dayAlarms(dayStartMs: number, dayEndMs: number, db: Db = pool): Promise<Map<string, DeviceDayAlarms>> {
      const { rows } = await db.query<{ device_id: string; critical: boolean; data_gap: boolean; overdue: boolean }>(
        `SELECT device_id, bool_or(severity = 'critical') AS critical, bool_or(type = 'data_gap') AS data_gap,
                bool_or(type LIKE 'service\\_overdue\\_%') AS overdue
           FROM alarms
          WHERE started_at < to_timestamp($2 / 1000.0) AND COALESCE(cleared_at, 'infinity'::timestamptz) > to_timestamp($1 / 1000.0)
          GROUP BY device_id`,
        [dayStartMs, dayEndMs],
      );
      return new Map(rows.map((r) => [r.device_id, { critical: r.critical, dataGap: r.data_gap, serviceOverdue: r.overdue }]));
    },

    async startRun(day: string, atMs: number, db: Db = pool): Promise<void> {
      await db.query(
        `INSERT INTO fleet_runs (day, started_at) VALUES ($1, to_timestamp($2 / 1000.0))
         ON CONFLICT (day) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = NULL`,
        [day, atMs],
      );
    },

    async finishRun(day: string, atMs: number, counts: { devices: number; outliers: number; judgments: number }, db: Db = pool): Promise<void> {
      await db.query(`UPDATE fleet_runs SET finished_at = to_timestamp($2 / 1000.0), devices = $3, outliers = $4, judgments = $5 WHERE day = $1`, [
        day,
        atMs,
        counts.devices,
        counts.outliers,
        counts.judgments,
      ]);
    },

    async lastFinishedDay(db: Db = pool): Promise<string | null> {
      const { rows } = await db.query<{ day: string }>(`SELECT to_char(max(day), 'YYYY-MM-DD') AS day FROM fleet_runs WHERE finished_at IS NOT NULL`);
      return rows[0]?.day ?? null;
    },

    /** Replaces the day's results (the job is re-runnable for a day). */
    async saveDay(
      day: string,
      figures: ReadonlyArray<{ deviceId: string; modelId: string; samples: number; specificPower: number | null; adtDelta: number | null; unloadedShare: number | null; separatorGrowth: number | null; f: DeviceDayFigures }>,
      checks: readonly PeerResult[],
      health: ReadonlyArray<{ deviceId: string; siteId: string; score: number; passed: number; total: number; checks: HealthCheck[] }>,
      sites: ReadonlyArray<{ siteId: string; score: number; devices: number }>,
      db: Db,
    ): Promise<void> {
      for (const table of ['fleet_device_days', 'fleet_checks', 'device_health', 'site_health']) {
        await db.query(`DELETE FROM ${table} WHERE day = $1`, [day]);
      }
      if (figures.length > 0) {
        await db.query(
          `INSERT INTO fleet_device_days (day, device_id, model_id, samples, specific_power, adt_delta_k, unloaded_share, separator_dp_growth,
                                          max_element_temp_c, max_separator_dp_bar, max_air_filter_dp_mbar, pressure_low_bar, pressure_high_bar)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
                                    $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[])`,
          [
            day,
            figures.map((x) => x.deviceId),
            figures.map((x) => x.modelId),
            figures.map((x) => x.samples),
            figures.map((x) => x.specificPower),
            figures.map((x) => x.adtDelta),
            figures.map((x) => x.unloadedShare),
            figures.map((x) => x.separatorGrowth),
            figures.map((x) => x.f.maxElementTempC),
            figures.map((x) => x.f.maxSeparatorDpBar),
            figures.map((x) => x.f.maxAirFilterDpMbar),
            figures.map((x) => x.f.pressureLowBar),
            figures.map((x) => x.f.pressureHighBar),
          ],
        );
      }
      if (checks.length > 0) {
        await db.query(
          `INSERT INTO fleet_checks (day, device_id, "check", value, peer_median, peer_mad, robust_z, percentile, peers, unit, outlier)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::int[], $10::text[], $11::bool[])`,
          [
            day,
            checks.map((c) => c.deviceId),
            checks.map((c) => c.check),
            checks.map((c) => c.value),
            checks.map((c) => c.peerMedian),
            checks.map((c) => c.peerMad),
            checks.map((c) => c.robustZ),
            checks.map((c) => c.percentile),
            checks.map((c) => c.peers),
            checks.map((c) => c.unit),
            checks.map((c) => c.outlier),
          ],
        );
      }
      if (health.length > 0) {
        await db.query(
          `INSERT INTO device_health (day, device_id, site_id, score, passed, total, checks)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[], $5::int[], $6::int[], $7::jsonb[])`,
          [
            day,
            health.map((h) => h.deviceId),
            health.map((h) => h.siteId),
            health.map((h) => h.score),
            health.map((h) => h.passed),
            health.map((h) => h.total),
            health.map((h) => JSON.stringify(h.checks)),
          ],
        );
      }
      if (sites.length > 0) {
        await db.query(`INSERT INTO site_health (day, site_id, score, devices) SELECT $1, * FROM unnest($2::text[], $3::float8[], $4::int[])`, [
          day,
          sites.map((s) => s.siteId),
          sites.map((s) => s.score),
          sites.map((s) => s.devices),
        ]);
      }
    },

    /** Newest days first. Null when the device does not exist in the scope. */
    async deviceHealth(deviceId: string, days: number, scope: string | null, db: Db = pool) {
      const found = await db.query(`SELECT 1 FROM devices d JOIN sites s ON s.id = d.site_id WHERE d.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`, [
        deviceId,
        scope,
      ]);
      if ((found.rowCount ?? 0) === 0) return null;
      const { rows } = await db.query<{ day: string; score: number; passed: number; total: number; checks: HealthCheck[] }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, score, passed, total, checks FROM device_health WHERE device_id = $1 ORDER BY day DESC LIMIT $2`,
        [deviceId, days],
      );
      return rows;
    },

    async siteHealth(siteId: string, days: number, scope: string | null, db: Db = pool) {
      const found = await db.query(`SELECT 1 FROM sites WHERE id = $1 AND ($2::text IS NULL OR customer_id = $2)`, [siteId, scope]);
      if ((found.rowCount ?? 0) === 0) return null;
      const [site, devices] = await Promise.all([
        db.query<{ day: string; score: number; devices: number }>(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, score, devices FROM site_health WHERE site_id = $1 ORDER BY day DESC LIMIT $2`,
          [siteId, days],
        ),
        db.query<{ device_id: string; day: string; score: number }>(
          `SELECT DISTINCT ON (device_id) device_id, to_char(day, 'YYYY-MM-DD') AS day, score
             FROM device_health WHERE site_id = $1 ORDER BY device_id, day DESC`,
          [siteId],
        ),
      ]);
      return { days: site.rows, devices: devices.rows.map((r) => ({ deviceId: r.device_id, day: r.day, score: r.score })) };
    },
  };
}
export type FleetRepository = ReturnType<typeof createFleetRepository>;
