import type pg from 'pg';
import type { Logger } from 'pino';
import { startOfLocalDay, periodsBetween, type Period } from './local-time.domain.ts';
import { emptySums, integrateDevice, withModel, type ModelFigures, type UsageSample, type UsageSums } from './usage.domain.ts';
import { SETTLED_AGE_MS } from '../ingest/late-samples.repository.ts';
import type { DailyRow, StoredSums, UsageRollupRepository } from './usage-rollup.repository.ts';

export interface RollupDevice {
  deviceId: string;
  model: ModelFigures;
  gapCapMs: number;
}

export interface DaySums {
  /** The site-local days of the range, clipped at its edges. */
  days: Period[];
  perDevice: Map<string, UsageSums[]>;
  /** Device-days answered from stored rows / integrated from samples now. */
  fromRollup: number;
  integrated: number;
}

/**
 * Samples per statement (a machine's year at 60 s is 525,600): large enough that a cold year is a
 * handful of statements per machine, small enough that one answer (six base64 arrays, about
 * 80 bytes a sample) stays a few MB; node-postgres copies a message that spans many socket
 * reads as it grows, which made 200,000-sample answers cost more than their decoding.
 */
const MAX_SAMPLES_PER_READ = 60_000;

/** First index whose sample is at or after `ms` (samples sorted). */
function firstAtOrAfter(samples: readonly UsageSample[], ms: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.ts < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const stored = (s: UsageSums): StoredSums => ({
  kwh: s.kwh, airM3: s.airM3, runningHours: s.runningHours, loadedHours: s.loadedHours, unloadedHours: s.unloadedHours,
  leakAirM3: s.leakAirM3, leakMinutes: s.leakMinutes, coveredHours: s.coveredHours, gapHours: s.gapHours,
});

/**
 * Per-machine, per-site-local-day sums for a report. Whole, settled days come from `usage_daily`;
 * the others (stale, missing, the partial days at the range edges, days too recent to be
 * settled) are integrated from raw samples by the same domain function, and the settled ones
 * are stored for the next report (lazily, on read). A machine's missing days are read in runs
 * of consecutive days, one index range scan per run.
 */
export function createUsageRollup(deps: { pool: pg.Pool; rollup: UsageRollupRepository; clock: () => number; log?: Logger }) {
  let lastGcMs = 0;

  async function forDevice(device: RollupDevice, days: readonly Period[], whole: readonly boolean[], have: Map<number, DailyRow>, timeZone: string, nowMs: number): Promise<{ sums: UsageSums[]; integrated: number }> {
    const sums: UsageSums[] = days.map(() => emptySums());
    const runs: Array<[number, number]> = [];
    // Bounded reads: about MAX_SAMPLES_PER_READ samples at the machine's interval (a third of its cap).
    const maxRunDays = Math.max(1, Math.floor((MAX_SAMPLES_PER_READ * (device.gapCapMs / 3)) / 86_400_000));
    days.forEach((day, i) => {
      const row = whole[i] ? have.get(day.startMs) : undefined;
      if (row) {
        sums[i] = withModel(row.sums, device.model);
        return;
      }
      const last = runs[runs.length - 1];
      if (last && last[1] === i && i - last[0] < maxRunDays) last[1] = i + 1;
      else runs.push([i, i + 1]);
    });
    if (runs.length === 0) return { sums, integrated: 0 };
    const settledBefore = nowMs - SETTLED_AGE_MS;
    const anyStorable = runs.some(([a, b]) => days.slice(a, b).some((d, j) => whole[a + j] && d.endMs <= settledBefore));
    // Samples and the rows made of them share one REPEATABLE READ snapshot, recorded with the
    // rows; with nothing to store (only today, say) a plain read will do.
    const client = anyStorable ? await deps.pool.connect() : undefined;
    const db = client ?? deps.pool;
    let integrated = 0;
    try {
      await client?.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const toStore: DailyRow[] = [];
      for (const [a, b] of runs) {
        const runDays = days.slice(a, b);
        const samples = await deps.rollup.samplesWithNeighbours(device.deviceId, runDays[0]!.startMs, runDays[runDays.length - 1]!.endMs, db);
        const daySums = integrateDevice(samples, runDays, device.model, timeZone, device.gapCapMs);
        runDays.forEach((day, j) => {
          sums[a + j] = daySums[j]!;
          integrated += 1;
          if (!whole[a + j] || day.endMs > settledBefore) return;
          const after = firstAtOrAfter(samples, day.endMs);
          const next = samples[after];
          // The right neighbour must be settled too (a later change to it is then a LATE sample);
          // none at all is stored as open, and the next sample will invalidate the day.
          if (next && next.ts > settledBefore) return;
          const before = firstAtOrAfter(samples, day.startMs) - 1;
          toStore.push({
            deviceId: device.deviceId,
            dayStartMs: day.startMs,
            dayEndMs: day.endMs,
            gapCapMs: device.gapCapMs,
            sums: stored(daySums[j]!),
            prevTsMs: before >= 0 ? samples[before]!.ts : null,
            nextTsMs: next ? next.ts : null,
          });
        });
      }
      if (client && toStore.length > 0) await deps.rollup.store(client, timeZone, toStore);
      await client?.query('COMMIT');
    } catch (err) {
      await client?.query('ROLLBACK').catch(() => undefined);
      // Another report (or the rollup job) stored the same days first: under REPEATABLE READ our
      // upsert then fails with a serialisation error. Our sums come from the same settled samples
      // and are complete (reads never raise it), so the answer stands; only the cache write is
      // skipped, and the next report reads the other writer's rows.
      if (!isSerializationConflict(err)) throw err;
      deps.log?.debug({ deviceId: device.deviceId }, 'usage rollup: days stored concurrently, cache write skipped');
    } finally {
      client?.release();
    }
    return { sums, integrated };
  }

  return {
    async daySums(devices: readonly RollupDevice[], timeZone: string, fromMs: number, toMs: number): Promise<DaySums> {
      const nowMs = deps.clock();
      const days = periodsBetween(fromMs, toMs, 'day', timeZone, 100_000);
      // A clipped edge day is not a whole day: it is integrated, never stored.
      const whole = days.map((d) => startOfLocalDay(d.startMs, timeZone) === d.startMs && startOfLocalDay(d.endMs, timeZone) === d.endMs);
      const rows = await deps.rollup.validRows(devices, timeZone, fromMs, toMs);
      const byDevice = new Map<string, Map<number, DailyRow>>(devices.map((d) => [d.deviceId, new Map()]));
      for (const r of rows) byDevice.get(r.deviceId)?.set(r.dayStartMs, r);
      const results = await Promise.all(devices.map((d) => forDevice(d, days, whole, byDevice.get(d.deviceId)!, timeZone, nowMs)));
      if (nowMs - lastGcMs > 3_600_000) {
        lastGcMs = nowMs;
        deps.rollup.collectGarbage().catch((err: unknown) => deps.log?.warn({ err }, 'usage rollup marker clean-up failed'));
      }
      return {
        days,
        perDevice: new Map(devices.map((d, i) => [d.deviceId, results[i]!.sums])),
        fromRollup: rows.length,
        integrated: results.reduce((a, r) => a + r.integrated, 0),
      };
    },
  };
}
export type UsageRollup = ReturnType<typeof createUsageRollup>;

/** 40001 serialization_failure, 40P01 deadlock_detected. */
function isSerializationConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}
