import type pg from 'pg';
import type { UsageSample, UsageSums } from './usage.domain.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

/** Model-independent sums of one machine and site-local day, as stored. */
export type StoredSums = Omit<UsageSums, 'unloadedKwh' | 'ratedWeighted'>;

export interface DailyRow {
  deviceId: string;
  dayStartMs: number;
  dayEndMs: number;
  gapCapMs: number;
  sums: StoredSums;
  prevTsMs: number | null;
  nextTsMs: number | null;
}

const SAMPLE_COLS = `(extract(epoch FROM ts) * 1000)::float8 AS t, state, power_kw::float8 AS p, flow_m3_min::float8 AS f, running_hours AS rh, loaded_hours AS lh`;

export function createUsageRollupRepository(pool: pg.Pool) {
  return {
    /**
     * One machine's samples in [from, to) plus its nearest sample on each side, however far:
     * an interval crossing the range edge is integrated (or counted as a gap) exactly as inside
     * a longer range, which keeps day sums additive. Primary-key index lookups only.
     */
    async samplesWithNeighbours(deviceId: string, fromMs: number, toMs: number, db: Db = pool): Promise<UsageSample[]> {
      const { rows } = await db.query<{ t: number; state: string; p: number | null; f: number | null; rh: number | null; lh: number | null }>(
        `(SELECT ${SAMPLE_COLS} FROM telemetry WHERE device_id = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1)
         UNION ALL
         (SELECT ${SAMPLE_COLS} FROM telemetry WHERE device_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts)
         UNION ALL
         (SELECT ${SAMPLE_COLS} FROM telemetry WHERE device_id = $1 AND ts >= $3 ORDER BY ts LIMIT 1)`,
        [deviceId, new Date(fromMs), new Date(toMs)],
      );
      return rows.map((r) => ({ ts: r.t, state: r.state, powerKw: r.p, flowM3Min: r.f, runningHours: r.rh, loadedHours: r.lh })).sort((a, b) => a.ts - b.ts);
    },

    /**
     * Stored days of these machines in [from, to) still valid: cut in this zone with the
     * machine's current gap cap, and no late-sample marker inside the span the day depends on
     * that the day's snapshot could not see.
     */
    async validRows(devices: ReadonlyArray<{ deviceId: string; gapCapMs: number }>, timeZone: string, fromMs: number, toMs: number, db: Db = pool): Promise<DailyRow[]> {
      if (devices.length === 0 || fromMs >= toMs) return [];
      const { rows } = await db.query<{
        device_id: string; s: number; e: number; cap: number; kwh: number; air: number; run: number; load: number; unl: number; lair: number; lmin: number; cov: number; gap: number; prev: number | null; next: number | null;
      }>(
        `SELECT r.device_id, (extract(epoch FROM r.day_start) * 1000)::float8 AS s, (extract(epoch FROM r.day_end) * 1000)::float8 AS e,
                r.gap_cap_ms AS cap, r.kwh, r.air_m3 AS air, r.running_hours AS run, r.loaded_hours AS load, r.unloaded_hours AS unl,
                r.leak_air_m3 AS lair, r.leak_minutes AS lmin, r.covered_hours AS cov, r.gap_hours AS gap,
                (extract(epoch FROM r.prev_ts) * 1000)::float8 AS prev, (extract(epoch FROM r.next_ts) * 1000)::float8 AS next
           FROM usage_daily r
           JOIN unnest($1::text[], $2::int4[]) AS w(id, cap) ON w.id = r.device_id AND w.cap = r.gap_cap_ms
          WHERE r.timezone = $3 AND r.day_start >= $4 AND r.day_end <= $5
            AND NOT EXISTS (SELECT 1 FROM usage_rollup_dirty m
                             WHERE m.device_id = r.device_id AND (r.next_ts IS NULL OR m.ts_lo <= r.next_ts) AND (r.prev_ts IS NULL OR m.ts_hi >= r.prev_ts)
                               AND NOT pg_visible_in_snapshot(m.xid, r.snap))
            AND (r.next_ts IS NOT NULL OR NOT EXISTS (SELECT 1 FROM telemetry t WHERE t.device_id = r.device_id AND t.ts >= r.day_end))`,
        [devices.map((d) => d.deviceId), devices.map((d) => d.gapCapMs), timeZone, new Date(fromMs), new Date(toMs)],
      );
      return rows.map((r) => ({
        deviceId: r.device_id,
        dayStartMs: r.s,
        dayEndMs: r.e,
        gapCapMs: r.cap,
        sums: { kwh: r.kwh, airM3: r.air, runningHours: r.run, loadedHours: r.load, unloadedHours: r.unl, leakAirM3: r.lair, leakMinutes: r.lmin, coveredHours: r.cov, gapHours: r.gap },
        prevTsMs: r.prev,
        nextTsMs: r.next,
      }));
    },

    /** Upserts days computed from samples read in THIS transaction's snapshot (REPEATABLE READ). */
    async store(client: pg.ClientBase, timeZone: string, rows: readonly DailyRow[]): Promise<void> {
      if (rows.length === 0) return;
      const col = <T>(f: (r: DailyRow) => T): T[] => rows.map(f);
      await client.query(
        `INSERT INTO usage_daily (device_id, timezone, day_start, day_end, gap_cap_ms, kwh, air_m3, running_hours, loaded_hours, unloaded_hours,
                                  leak_air_m3, leak_minutes, covered_hours, gap_hours, prev_ts, next_ts, snap, computed_at)
         SELECT id, $2, to_timestamp(s / 1000.0), to_timestamp(e / 1000.0), cap, kwh, air, run, load, unl, lair, lmin, cov, gap,
                to_timestamp(prev / 1000.0), to_timestamp(next / 1000.0), pg_current_snapshot(), now()
           FROM unnest($1::text[], $3::float8[], $4::float8[], $5::int4[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],
                       $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[])
                AS u(id, s, e, cap, kwh, air, run, load, unl, lair, lmin, cov, gap, prev, next)
         ON CONFLICT (device_id, timezone, day_start) DO UPDATE SET
           day_end = EXCLUDED.day_end, gap_cap_ms = EXCLUDED.gap_cap_ms, kwh = EXCLUDED.kwh, air_m3 = EXCLUDED.air_m3,
           running_hours = EXCLUDED.running_hours, loaded_hours = EXCLUDED.loaded_hours, unloaded_hours = EXCLUDED.unloaded_hours,
           leak_air_m3 = EXCLUDED.leak_air_m3, leak_minutes = EXCLUDED.leak_minutes, covered_hours = EXCLUDED.covered_hours,
           gap_hours = EXCLUDED.gap_hours, prev_ts = EXCLUDED.prev_ts, next_ts = EXCLUDED.next_ts, snap = EXCLUDED.snap, computed_at = EXCLUDED.computed_at`,
        [
          col((r) => r.deviceId), timeZone, col((r) => r.dayStartMs), col((r) => r.dayEndMs), col((r) => r.gapCapMs),
          col((r) => r.sums.kwh), col((r) => r.sums.airM3), col((r) => r.sums.runningHours), col((r) => r.sums.loadedHours), col((r) => r.sums.unloadedHours),
          col((r) => r.sums.leakAirM3), col((r) => r.sums.leakMinutes), col((r) => r.sums.coveredHours), col((r) => r.sums.gapHours),
          col((r) => r.prevTsMs), col((r) => r.nextTsMs),
        ],
      );
    },

    /**
     * Markers older than a day that no stored day still needs (every overlapping day saw them or
     * was recomputed since) are garbage. A day old: no rollup transaction runs that long.
     */
    async collectGarbage(db: Db = pool): Promise<number> {
      const res = await db.query(
        `DELETE FROM usage_rollup_dirty m
          WHERE m.created_at < now() - interval '1 day'
            AND NOT EXISTS (SELECT 1 FROM usage_daily r
                             WHERE r.device_id = m.device_id AND (r.next_ts IS NULL OR m.ts_lo <= r.next_ts) AND (r.prev_ts IS NULL OR m.ts_hi >= r.prev_ts)
                               AND NOT pg_visible_in_snapshot(m.xid, r.snap))`,
      );
      return res.rowCount ?? 0;
    },

  };
}
export type UsageRollupRepository = ReturnType<typeof createUsageRollupRepository>;
