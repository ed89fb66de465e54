import type pg from 'pg';
import type { Logger } from '@airfleet/runtime';
import { createLeasedTimer } from '../db/job-lease.ts';
import { detectBucketFlavour } from '../repositories/telemetry-query.repository.ts';
import type { TelemetryPartitionsRepository } from './telemetry-partitions.repository.ts';

const DAY_MS = 86_400_000;
/** The ingest accepts samples up to 7 days old; partitions exist from a day before that. */
const DAYS_BACK = 8;
const DAYS_AHEAD = 3;

export interface TelemetryPartitionsJobDeps {
  pool: pg.Pool;
  partitions: TelemetryPartitionsRepository;
  log: Logger;
  /** Raw samples are kept this many days (0 = for ever); whole days go at once. */
  retentionDays: number;
  clock?: () => number;
  intervalMs?: number;
}

export interface PartitionsRun {
  created: string[];
  dropped: string[];
  /** Rows moved out of the DEFAULT partition into the day created for them. */
  moved: number;
}

/**
 * Plain PostgreSQL: keeps a partition for every day the ingest may write to (from 8 days back to 3
 * ahead) and drops the days past retention whole (no DELETE, no bloat; the drop waits at most 2 s
 * for a lock and is retried on the next run). TimescaleDB: drops the chunks past retention
 * instead. One platform instance at a time.
 */
export function createTelemetryPartitionsJob(deps: TelemetryPartitionsJobDeps) {
  const clock = deps.clock ?? Date.now;

  async function runOnce(): Promise<PartitionsRun> {
    const run: PartitionsRun = { created: [], dropped: [], moved: 0 };
    const nowMs = clock();
    const cutoffMs = deps.retentionDays > 0 ? nowMs - deps.retentionDays * DAY_MS : null;
    if ((await detectBucketFlavour(deps.pool)) === 'timescale') {
      if (cutoffMs !== null) {
        const { rows } = await deps.pool.query<{ c: string }>(`SELECT drop_chunks('telemetry', older_than => $1::timestamptz) AS c`, [new Date(cutoffMs)]);
        run.dropped = rows.map((r) => r.c);
      }
      return run;
    }
    const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
    for (const made of await deps.partitions.ensureDays(today - DAYS_BACK * DAY_MS, today + (DAYS_AHEAD + 1) * DAY_MS)) {
      run.created.push(made.name);
      run.moved += made.moved;
      if (made.moved > 0) deps.log.warn({ partition: made.name, rows: made.moved }, 'telemetry partition created for rows that had arrived before it existed');
    }
    if (cutoffMs !== null) {
      for (const p of await deps.partitions.list()) {
        if (p.toMs === null || p.toMs > cutoffMs) continue;
        try {
          await deps.partitions.drop(p.name);
        } catch (err) {
          // 55P03 lock_not_available: the ingest was busy on the table; the next run drops it.
          if ((err as { code?: string }).code !== '55P03') throw err;
          deps.log.info({ partition: p.name }, 'telemetry partition drop postponed: table busy');
          continue;
        }
        run.dropped.push(p.name);
        deps.log.info({ partition: p.name, until: new Date(p.toMs).toISOString() }, 'telemetry partition past retention dropped');
      }
    }
    return run;
  }

  const timer = createLeasedTimer({
    pool: deps.pool,
    name: 'telemetry-partitions',
    log: deps.log,
    everyMs: deps.intervalMs ?? 3_600_000,
    run: runOnce,
    onRan: (run) => {
      if (run.created.length > 0 || run.dropped.length > 0) deps.log.info(run, 'telemetry partitions maintained');
    },
  });

  return { runOnce, tick: timer.tick, start: timer.start, stop: timer.stop };
}
export type TelemetryPartitionsJob = ReturnType<typeof createTelemetryPartitionsJob>;
