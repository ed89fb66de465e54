import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createAlarmsRepository } from '../alarms/alarms.repository.ts';
import { countAlarmChange, createAlarmNotifier, createAlarmsService, type AlarmsService } from '../alarms/alarms.service.ts';
import { sweepDataGaps } from '../alarms/data-gap.sweep.ts';
import { runExclusive } from '../db/job-lease.ts';
import type { PlatformEvents } from '../events/platform-events.ts';
import { createFleetRepository } from '../fleet/fleet.repository.ts';
import { createFleetService, previousUtcDay, type FleetService } from '../fleet/fleet.service.ts';
import type { BatchResult, IngestBatch } from '../ingest/ingest-store.repository.ts';
import type { JudgmentPublisher } from '../judgments/judgments.publisher.ts';
import { createJudgmentsRepository } from '../judgments/judgments.repository.ts';
import { createJudgmentsService, type JudgmentsService } from '../judgments/judgments.service.ts';
import { createDeviceServiceRepository } from './device-service.repository.ts';
import { createRuleStateRepository } from './rule-state.repository.ts';
import { createRulesHook, type RulesInTransaction } from './rules.hook.ts';
import { createRulesMetrics } from './rules.metrics.ts';

export interface RulesRuntimeOptions {
  pool: pg.Pool;
  log: Logger;
  /** The platform's registry (served at /metrics). */
  registry: Registry;
  events?: PlatformEvents;
  /** Wall clock for sweeps, API actions and delivery bookkeeping; rules themselves run on event time. */
  clock?: () => number;
  /**
   * Sends judgments to connected devices: given on a gateway node (the edge runtime). Without
   * it judgments are stored `pending` and `wake` tells the gateways (a platform instance).
   */
  publisher?: JudgmentPublisher;
  wake?: (deviceIds: readonly string[]) => void;
  /** Connectivity and expiry sweep period; 0 = no timer (tests call sweep()). Default 5 s. */
  sweepIntervalMs?: number;
  /** How often to check whether yesterday's fleet analysis is due; 0 = no timer. Default 10 min. */
  fleetCheckIntervalMs?: number;
  /** Wait after a birth message before re-sending, so the device has subscribed (protocol §7.4 order). */
  resendDelayMs?: number;
  /** Unanswered judgments to an online device are re-sent after this long. Default 10 min. */
  resendAfterMs?: number;
  dataGapIntervals?: number;
}

export interface SweepResult {
  dataGapsRaised: number;
  dataGapsCleared: number;
  expired: number;
  sent: number;
}

export interface RulesRuntime {
  /** Pass to the ingest pipeline ({ inTransaction }); extra events commit in the same outbox write. */
  inTransaction: RulesInTransaction;
  /** Call from the pipeline's afterCommit. Never throws. */
  afterCommit(batch: IngestBatch, result: BatchResult): void;
  alarms: AlarmsService;
  judgments: JudgmentsService;
  fleet: FleetService;
  publisher: JudgmentPublisher | undefined;
  /** Data gaps, judgment expiry and (re)sending, at `nowMs` (default: the clock). */
  sweep(nowMs?: number): Promise<SweepResult>;
  /** The sweep as its timer runs it: on one platform instance at a time; null when another one is sweeping now. */
  sweepExclusive(nowMs?: number): Promise<SweepResult | null>;
  /** Starts the timers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition of the rules side of the platform: rules in the ingest transaction, alarms,
 * judgments with their MQTT publisher, the connectivity/expiry sweep and the daily fleet
 * job. main.ts and the system-test harness build one and wire it into ingest and the app.
 */
export function createRulesRuntime(opts: RulesRuntimeOptions): RulesRuntime {
  const clock = opts.clock ?? Date.now;
  const log = opts.log.child({ component: 'rules' });
  const metrics = createRulesMetrics(opts.registry);
  const alarmsRepo = createAlarmsRepository(opts.pool);
  const ruleState = createRuleStateRepository(opts.pool);
  const deviceService = createDeviceServiceRepository(opts.pool);
  const notifyAlarm = createAlarmNotifier({ events: opts.events, metrics });
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const publisher = opts.publisher;
  const j: JudgmentsService = createJudgmentsService({
    pool: opts.pool,
    judgments: createJudgmentsRepository(opts.pool),
    ruleState,
    deviceService,
    alarms: alarmsRepo,
    notifyAlarm,
    publisher,
    wake: opts.wake,
    events: opts.events,
    metrics,
    log,
    clock,
    resendAfterMs: opts.resendAfterMs,
  });
  const alarms = createAlarmsService({ alarms: alarmsRepo, notify: notifyAlarm, clock });
  const fleet = createFleetService({ pool: opts.pool, fleet: createFleetRepository(opts.pool), ruleState, judgments: j, log, clock });
  const hook = createRulesHook({ ruleState, deviceService, alarms: alarmsRepo, judgments: j, metrics, log, clock });

  const later = (ms: number, fn: () => Promise<unknown>): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn().catch((err: Error) => log.warn({ err: err.message }, 'rules follow-up failed'));
    }, ms);
    timers.add(t);
  };

  async function sweep(nowMs = clock()): Promise<SweepResult> {
    const gaps = await sweepDataGaps({ alarms: alarmsRepo, notify: notifyAlarm, intervals: opts.dataGapIntervals }, nowMs);
    const expired = await j.expireDue(nowMs);
    const sent = await j.sendDue();
    return { dataGapsRaised: gaps.raised, dataGapsCleared: gaps.cleared, expired: expired.length, sent };
  }

  /** Several platform instances run the sweep timer: the sweep itself runs on one at a time. */
  async function sweepExclusive(nowMs?: number): Promise<SweepResult | null> {
    const r = await runExclusive(opts.pool, 'rules-sweep', () => sweep(nowMs));
    return r.ran ? r.value : null;
  }

  /** Runs yesterday's fleet analysis once, whichever instance gets there first. */
  async function fleetIfDue(): Promise<void> {
    const day = previousUtcDay(clock());
    const last = await fleet.lastFinishedDay();
    if (last !== null && last >= day) return;
    await runExclusive(opts.pool, 'fleet-analysis', async () => {
      // Checked again under the lease: another instance may have just finished the day.
      const again = await fleet.lastFinishedDay();
      if (again === null || again < day) await fleet.runFleetAnalysis({ day });
    });
  }

  const every = (ms: number, fn: () => Promise<unknown>, what: string): void => {
    let running = false;
    const t = setInterval(() => {
      if (running || stopped) return;
      running = true;
      fn()
        .catch((err: Error) => log.warn({ err: err.message }, `${what} failed`))
        .finally(() => (running = false));
    }, ms);
    t.unref();
    timers.add(t);
  };

  return {
    inTransaction: hook.inTransaction,
    afterCommit(batch) {
      try {
        const fx = hook.takeEffects(batch);
        if (!fx) return;
        // The outbox rows were written inside the transaction: only the metrics are left.
        for (const { alarm, change } of fx.alarms) countAlarmChange(metrics, alarm, change);
        for (const r of fx.judgments) metrics.judgments.inc({ kind: r.judgment.kind, status: r.status });
        if (fx.toSend.length > 0) void j.send(fx.toSend).catch((err: Error) => log.warn({ err: err.message }, 'publishing judgments failed'));
        for (const { deviceId, atMs } of fx.reconnected) later(opts.resendDelayMs ?? 500, () => j.resendOpen(deviceId, atMs));
      } catch (err) {
        log.error({ err }, 'rules afterCommit failed');
      }
    },
    alarms,
    judgments: j,
    fleet,
    publisher,
    sweep,
    sweepExclusive,
    async start() {
      stopped = false;
      const sweepMs = opts.sweepIntervalMs ?? 5000;
      if (sweepMs > 0) every(sweepMs, () => sweepExclusive(), 'rules sweep');
      const fleetMs = opts.fleetCheckIntervalMs ?? 10 * 60_000;
      if (fleetMs > 0) {
        every(fleetMs, fleetIfDue, 'fleet analysis');
        // Also once shortly after start: a platform that was down at midnight (or a fresh
        // install with backfilled history) should not show "no health yet" for ten minutes.
        later(Math.min(fleetMs, 5000), fleetIfDue);
      }
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
