import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { runExclusive } from '../db/job-lease.ts';
import type { RetentionPolicy } from './retention.repository.ts';

export interface RetentionJobOptions {
  pool: pg.Pool;
  log: Logger;
  policies: RetentionPolicy[];
  /** Counters of deleted rows per policy and the last run's time are served here. */
  registry?: Registry;
  clock?: () => number;
  /** Rows per DELETE statement. */
  batchRows?: number;
  /** Time between runs; 0 = no timer (tests call run()). */
  everyMs?: number;
  /** The first run after start (a platform restarted more often than everyMs still runs retention). */
  firstRunAfterMs?: number;
  /** Progress is logged at most this often per policy while it deletes (and once when it is done). */
  progressEveryMs?: number;
}

export interface RetentionRun {
  /** Rows deleted per policy name (only policies that ran). */
  deleted: Record<string, number>;
  /** The run stopped early (shutdown); the rest is left for the next one. */
  interrupted: boolean;
}

/**
 * Retention: runs the policies one after the other, on one platform instance at a time (the job
 * lease), each deleting in bounded batches. Progress is logged per table as it goes, so a first
 * run over a large backlog is visible while it works.
 */
export function createRetentionJob(opts: RetentionJobOptions) {
  const clock = opts.clock ?? Date.now;
  const batchRows = opts.batchRows ?? 5000;
  const progressEveryMs = opts.progressEveryMs ?? 10_000;
  const log = opts.log.child({ component: 'retention' });
  const registers = opts.registry ? [opts.registry] : [];
  const deletedTotal = new Counter({ name: 'airfleet_retention_deleted_rows_total', help: 'Rows deleted by the retention job, per policy', labelNames: ['policy', 'table'], registers });
  const lastRun = new Gauge({ name: 'airfleet_retention_last_run_timestamp_seconds', help: 'When the retention job last finished a run on this instance (Unix time)', registers });
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopping = false;

  async function body(): Promise<RetentionRun> {
    const nowMs = clock();
    const t0 = performance.now();
    const deleted: Record<string, number> = {};
    for (const policy of opts.policies) {
      if (stopping) break;
      let soFar = 0;
      let loggedAt = performance.now();
      const progress = {
        deleted(rows: number) {
          soFar += rows;
          deletedTotal.inc({ policy: policy.name, table: policy.table }, rows);
          if (performance.now() - loggedAt >= progressEveryMs) {
            loggedAt = performance.now();
            log.info({ policy: policy.name, table: policy.table, deleted: soFar }, 'retention progress');
          }
        },
        stopping: () => stopping,
      };
      try {
        deleted[policy.name] = await policy.run(opts.pool, nowMs, batchRows, progress);
      } catch (err) {
        // One table's failure (a lock timeout, say) must not keep the others from their retention.
        deleted[policy.name] = soFar;
        log.warn({ policy: policy.name, table: policy.table, deleted: soFar, err: (err as Error).message }, 'retention policy failed; next run retries');
        continue;
      }
      if (soFar > 0) log.info({ policy: policy.name, table: policy.table, deleted: soFar, what: policy.describe }, 'retention deleted');
    }
    const total = Object.values(deleted).reduce((a, b) => a + b, 0);
    log.info({ deleted: total, seconds: Math.round(performance.now() - t0) / 1000, interrupted: stopping }, 'retention run done');
    lastRun.set(clock() / 1000);
    return { deleted, interrupted: stopping };
  }

  /** One run, once across instances: null when skipped (running here, or another instance holds the lease). */
  async function run(): Promise<RetentionRun | null> {
    if (running || stopping) return null;
    const p = runExclusive(opts.pool, 'retention', body);
    running = p;
    try {
      const r = await p;
      return r.ran ? r.value : null;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'retention run failed');
      return null;
    } finally {
      running = undefined;
    }
  }

  return {
    run,
    start(): void {
      stopping = false;
      const every = opts.everyMs ?? 3_600_000;
      if (every <= 0) return;
      first = setTimeout(() => void run(), opts.firstRunAfterMs ?? 60_000);
      first.unref();
      timer = setInterval(() => void run(), every);
      timer.unref();
    },
    /** Stops the timers; a run in progress ends after its current statement. */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(first);
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
export type RetentionJob = ReturnType<typeof createRetentionJob>;
