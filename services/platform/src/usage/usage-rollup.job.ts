import type { Logger } from '@airfleet/runtime';
import { startOfLocalDay } from './local-time.domain.ts';
import { SETTLED_AGE_MS } from './usage-rollup.repository.ts';
import type { UsageRollup } from './usage-rollup.service.ts';
import { gapCapForInterval } from './usage.domain.ts';
import type { UsageRepository } from './usage.repository.ts';

const DAY_MS = 86_400_000;

export interface UsageRollupJobDeps {
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

  const tick = (): void => {
    if (running) return;
    const t0 = Date.now();
    running = runOnce()
      .then((r) => deps.log.info({ ...r, ms: Date.now() - t0 }, 'usage rollup run'))
      .catch((err: unknown) => deps.log.error({ err }, 'usage rollup run failed'))
      .finally(() => (running = null));
  };

  return {
    runOnce,
    start(): void {
      const every = deps.intervalMs ?? 15 * 60_000;
      if (every <= 0 || timer) return;
      stopping = false;
      // The first run a minute after start: the platform comes up first.
      firstRun = setTimeout(tick, Math.min(every, 60_000));
      firstRun.unref();
      timer = setInterval(tick, every);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopping = true;
      if (firstRun) clearTimeout(firstRun);
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type UsageRollupJob = ReturnType<typeof createUsageRollupJob>;
