import type pg from 'pg';
import type { Logger } from '@airfleet/runtime';
import { runExclusive } from '../db/job-lease.ts';
import { startOfLocalDay } from './local-time.domain.ts';
import { SETTLED_AGE_MS } from '../ingest/late-samples.repository.ts';
import type { UsageRollup } from './usage-rollup.service.ts';
import { gapCapForInterval } from './usage.domain.ts';
import type { UsageRepository } from './usage.repository.ts';

const DAY_MS = 86_400_000;

export interface UsageRollupJobDeps {
  /** Where the job's lease is taken: of several platform instances, one runs it at a time. */
  pool: pg.Pool;
  usage: UsageRepository;
  rollup: UsageRollup;
  log: Logger;
  clock?: () => number;
  /** How often yesterday and the days before are rolled up (0 = never by itself; tests call runOnce). */
  intervalMs?: number;
  /** Days the first run after start covers (a report may span 400), later runs only `recentDays`. */
  backfillDays?: number;
  recentDays?: number;
}

/**
 * Keeps the daily usage rollup warm, so even the first report of a long range reads day rows:
 * every run rolls up the recent settled days of every machine (the same lazy path a report takes:
 * valid rows are left alone), the first run after start the whole reportable history. One machine
 * at a time: this is background work and must not crowd out requests.
 */
export function createUsageRollupJob(deps: UsageRollupJobDeps) {
  const clock = deps.clock ?? Date.now;
  let timer: NodeJS.Timeout | null = null;
  let firstRun: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let backfilled = false;
  let stopping = false;

  async function runOnce(days: number = backfilled ? (deps.recentDays ?? 3) : (deps.backfillDays ?? 400)): Promise<{ machines: number; integratedDays: number }> {
    const nowMs = clock();
    let integratedDays = 0;
    const devices = await deps.usage.devicesOf(null);
    for (const d of devices) {
      if (stopping) break;
      // Only days that can be settled already (a report integrates the younger ones itself).
      const toMs = startOfLocalDay(nowMs - SETTLED_AGE_MS, d.timezone);
      const fromMs = startOfLocalDay(toMs - days * DAY_MS + DAY_MS / 2, d.timezone);
      const r = await deps.rollup.daySums([{ deviceId: d.deviceId, model: d.model, gapCapMs: gapCapForInterval(d.telemetryIntervalMs) }], d.timezone, fromMs, toMs);
      integratedDays += r.integrated;
    }
    backfilled = true;
    return { machines: devices.length, integratedDays };
  }

  /**
   * One timer run, on one platform instance at a time: false when a run is going on here or
   * another instance holds the job's lease (it does the same work; this one skips the round).
   */
  const tick = async (): Promise<boolean> => {
    if (running) return false;
    const t0 = Date.now();
    const run = runExclusive(deps.pool, 'usage-rollup', () => runOnce());
    running = run;
    try {
      const r = await run;
      if (r.ran) deps.log.info({ ...r.value, ms: Date.now() - t0 }, 'usage rollup run');
      return r.ran;
    } catch (err) {
      deps.log.error({ err }, 'usage rollup run failed');
      return false;
    } finally {
      running = null;
    }
  };

  return {
    runOnce,
    tick,
    start(): void {
      const every = deps.intervalMs ?? 15 * 60_000;
      if (every <= 0 || timer) return;
      stopping = false;
      // The first run a minute after start: the platform comes up first.
      firstRun = setTimeout(() => void tick(), Math.min(every, 60_000));
      firstRun.unref();
      timer = setInterval(() => void tick(), every);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopping = true;
      if (firstRun) clearTimeout(firstRun);
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
export type UsageRollupJob = ReturnType<typeof createUsageRollupJob>;
