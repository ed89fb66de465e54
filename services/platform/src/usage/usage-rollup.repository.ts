import type pg from 'pg';
import { MACHINE_STATES } from '@airfleet/contracts';
import { decodeNumberArray, decodeTextArray } from '../db/pg-binary-array.ts';
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

const SAMPLE_COLS = `ts, state, power_kw, flow_m3_min, running_hours, loaded_hours`;

/**
 * One machine's samples as six binary arrays (one row, one field each): node-postgres parses
 * each field of each row from text, which made a cold year of one machine (525,600 rows) cost
 * about a second of CPU in the driver alone; array_send's binary form is decoded with DataView
 * reads (db/pg-binary-array.ts). The values are the same as the former row-per-sample read gave:
 * real columns widen exactly, timestamps round as `(extract(epoch FROM ts) * 1000)::float8`.
 * The three parts come in ts order (each is an ordered index scan; Append keeps their order and
 * array_agg its input order); the caller checks and sorts if ever not. Base64 is about a third
 * shorter than bytea's hex text and decoded natively.
 */
const PACKED_SAMPLES = `
  SELECT encode(array_send(array_agg(ts)), 'base64') AS t, encode(array_send(array_agg(state)), 'base64') AS s,
         encode(array_send(array_agg(power_kw)), 'base64') AS p, encode(array_send(array_agg(flow_m3_min)), 'base64') AS f,
         encode(array_send(array_agg(running_hours)), 'base64') AS rh, encode(array_send(array_agg(loaded_hours)), 'base64') AS lh
    FROM ((SELECT ${SAMPLE_COLS} FROM telemetry WHERE device_id = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1)
          UNION ALL
          (SELECT ${SAMPLE_COLS} FROM telemetry WHERE device_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts)
          UNION ALL
          (SELECT ${SAMPLE_COLS} FROM telemetry WHERE device_id = $1 AND ts >= $3 ORDER BY ts LIMIT 1)) s`;

export function createUsageRollupRepository(pool: pg.Pool) {
  return {
    /**
     * One machine's samples in [from, to) plus its nearest sample on each side, however far:
     * an interval crossing the range edge is integrated (or counted as a gap) exactly as inside
     * a longer range, which keeps day sums additive. Primary-key index lookups only.
     */
    async samplesWithNeighbours(deviceId: string, fromMs: number, toMs: number, db: Db = pool): Promise<UsageSample[]> {
      type Packed = Record<'t' | 's' | 'p' | 'f' | 'rh' | 'lh', string | null>;
      const { rows } = await db.query<Packed>(PACKED_SAMPLES, [deviceId, new Date(fromMs), new Date(toMs)]);
      const r = rows[0]!;
      const bytes = (b64: string | null) => (b64 === null ? null : Buffer.from(b64, 'base64'));
      const col = (b64: string | null) => decodeNumberArray(bytes(b64));
      const ts = col(r.t);
      const st = decodeTextArray(bytes(r.s), MACHINE_STATES);
      const p = col(r.p);
      const f = col(r.f);
      const rh = col(r.rh);
      const lh = col(r.lh);
      const samples: UsageSample[] = new Array(ts.length);
      let sorted = true;
      for (let i = 0; i < ts.length; i++) {
        const t = ts[i] as number;
        samples[i] = { ts: t, state: st[i] ?? '', powerKw: p[i] ?? null, flowM3Min: f[i] ?? null, runningHours: rh[i] ?? null, loadedHours: lh[i] ?? null };
        if (i > 0 && t < (ts[i - 1] as number)) sorted = false;
      }
      return sorted ? samples : samples.sort((a, b) => a.ts - b.ts);
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
