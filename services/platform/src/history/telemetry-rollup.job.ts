import type pg from 'pg';
import type { Logger } from '@airfleet/runtime';
import { createLeasedTimer } from '../db/job-lease.ts';
import { withTransaction } from '../db/transaction.ts';
import { SETTLED_AGE_MS } from '../ingest/late-samples.repository.ts';
import { detectBucketFlavour } from '../repositories/telemetry-query.repository.ts';
import { bucketSpans, staleBuckets } from './history-plan.domain.ts';
import { ROLLUP_LEVELS, type RollupLevel } from './rollup-levels.ts';
import type { TelemetryRollupRepository } from './telemetry-rollup.repository.ts';

export interface TelemetryRollupJobDeps {
  pool: pg.Pool;
  rollup: TelemetryRollupRepository;
  log: Logger;
  clock?: () => number;
  /** How often the job runs (0 = never by itself; tests call runOnce). */
  intervalMs?: number;
}

/** Finest first: each level is built from the one before it (the finest from raw samples). */
const FINEST_FIRST = [...ROLLUP_LEVELS].sort((a, b) => a.ms - b.ms);
const finerThan = (level: RollupLevel): RollupLevel | undefined => FINEST_FIRST[FINEST_FIRST.indexOf(level) - 1];
/** Buckets per transaction while catching up: 6 hours of 5-minute buckets, 3 days of hours, per device. */
const STEP_BUCKETS = 72;
const MARKERS_PER_TRANSACTION = 1000;
const floorTo = (ms: number, step: number): number => Math.floor(ms / step) * step;

export interface RollupRun {
  /** Late-sample markers folded in. */
  markers: number;
  /** Buckets written per level (new and recomputed). */
  written: Record<string, number>;
  /** Where each level is stored up to after the run (epoch ms). */
  upTo: Record<string, number | null>;
}

/**
 * Keeps the history levels current. On plain PostgreSQL it stores every settled bucket (all
 * samples it can hold are past the late-sample horizon) and recomputes the buckets late samples
 * touched; on TimescaleDB the refresh policies do the former and this job refreshes the spans of
 * late samples at once. One platform instance at a time (job lease); a first run over existing
 * history catches up in bounded steps and logs its progress.
 */
export function createTelemetryRollupJob(deps: TelemetryRollupJobDeps) {
  const clock = deps.clock ?? Date.now;
  let stopping = false;

  /** Plain PostgreSQL: recompute what late samples made stale, a bounded batch per transaction. */
  async function foldLateSamples(run: RollupRun): Promise<void> {
    for (;;) {
      const taken = await withTransaction(deps.pool, async (client) => {
        const markers = await deps.rollup.takeDirty(client, MARKERS_PER_TRANSACTION);
        for (const level of FINEST_FIRST) {
          const upTo = await deps.rollup.storedUpTo(level, client);
          if (upTo === null) continue;
          run.written[level.name]! += await deps.rollup.recompute(client, level, finerThan(level), staleBuckets(markers, level.ms, upTo));
        }
        return markers.length;
      });
      run.markers += taken;
      if (taken < MARKERS_PER_TRANSACTION || stopping) return;
    }
  }

  /** TimescaleDB: the markers' spans are refreshed now instead of at the policy's next run. */
  async function refreshLateSamples(run: RollupRun): Promise<void> {
    for (;;) {
      // Taken in autocommit: refresh_continuous_aggregate cannot run inside a transaction. A crash
      // in between loses only the hurry: the refresh policy covers the same window.
      const markers = await deps.rollup.takeDirty(deps.pool, MARKERS_PER_TRANSACTION);
      // A refresh covers every device of its time span: the markers' spans, merged across devices.
      for (const level of FINEST_FIRST) {
        for (const span of bucketSpans(markers, level.ms, Number.POSITIVE_INFINITY)) {
          await deps.rollup.refreshContinuousAggregate(level, span.lo, span.hi);
        }
      }
      run.markers += markers.length;
      if (markers.length < MARKERS_PER_TRANSACTION || stopping) return;
    }
  }

  /** Plain PostgreSQL: stores the buckets of `level` up to `targetMs`, a step per transaction. */
  async function advance(level: RollupLevel, targetMs: number, run: RollupRun): Promise<void> {
    let upTo = run.upTo[level.name]!;
    if (upTo === null || upTo >= targetMs) return;
    const startMs = upTo;
    let lastLog = Date.now();
    while (upTo < targetMs && !stopping) {
      const from = upTo;
      const to = Math.min(targetMs, from + STEP_BUCKETS * level.ms);
      run.written[level.name]! += await withTransaction(deps.pool, async (client) => {
        const n = await deps.rollup.materialise(client, level, finerThan(level), from, to);
        await deps.rollup.setStoredUpTo(level, to, client);
        return n;
      });
      upTo = to;
      run.upTo[level.name] = to;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        const done = (upTo - startMs) / (targetMs - startMs);
        deps.log.info({ level: level.name, upTo: new Date(upTo).toISOString(), percent: Math.round(done * 100), buckets: run.written[level.name] }, 'history rollup catching up');
      }
    }
  }

  async function runOnce(): Promise<RollupRun> {
    const run: RollupRun = { markers: 0, written: {}, upTo: {} };
    for (const level of FINEST_FIRST) run.written[level.name] = 0;
    if ((await detectBucketFlavour(deps.pool)) === 'timescale') {
      await refreshLateSamples(run);
      return run;
    }
    const coarsest = FINEST_FIRST[FINEST_FIRST.length - 1]!;
    for (const level of FINEST_FIRST) run.upTo[level.name] = await deps.rollup.storedUpTo(level);
    if (FINEST_FIRST.some((l) => run.upTo[l.name] === null)) {
      // First run: start at the oldest sample (or now, on an empty database), aligned to the
      // coarsest level so that every level starts on a whole bucket.
      const oldest = (await deps.rollup.oldestSample()) ?? clock() - SETTLED_AGE_MS;
      const start = floorTo(oldest, coarsest.ms);
      for (const level of FINEST_FIRST) {
        if (run.upTo[level.name] !== null) continue;
        await deps.rollup.setStoredUpTo(level, start);
        run.upTo[level.name] = start;
      }
      deps.log.info({ from: new Date(start).toISOString() }, 'history rollup: first run, building the stored levels from the oldest sample');
    }
    await foldLateSamples(run);
    // Each level up to what its source has settled: the finest up to the late-sample horizon,
    // the hour up to the last whole hour of stored 5-minute buckets.
    let settled = clock() - SETTLED_AGE_MS;
    for (const level of FINEST_FIRST) {
      await advance(level, floorTo(settled, level.ms), run);
      settled = run.upTo[level.name]!;
    }
    return run;
  }

  const timer = createLeasedTimer({
    pool: deps.pool,
    name: 'telemetry-rollup',
    log: deps.log,
    everyMs: deps.intervalMs ?? 60_000,
    run: runOnce,
    onRan: (run, ms) => {
      if (run.markers > 0 || Object.values(run.written).some((n) => n > 0)) deps.log.debug({ ...run, ms }, 'history rollup run');
    },
  });

  return {
    runOnce,
    tick: timer.tick,
    start(): void {
      stopping = false;
      timer.start();
    },
    async stop(): Promise<void> {
      stopping = true;
      await timer.stop();
    },
  };
}
export type TelemetryRollupJob = ReturnType<typeof createTelemetryRollupJob>;
