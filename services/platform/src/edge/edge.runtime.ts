import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DOWNLINK_CHANNEL, judgmentsTopic } from '@airfleet/contracts';
import { listenChannel, type ChannelListener } from '../db/pg-listen.ts';
import { createOutboxEvents } from '../events/outbox.emitter.ts';
import { createPlatformEvents } from '../events/platform-events.ts';
import { createIngestPipeline, type IngestPipeline } from '../ingest/ingest-pipeline.ts';
import type { SamplingPolicy } from '../retention/dead-letter-sampling.domain.ts';
import type { JudgmentPublisher } from '../judgments/judgments.publisher.ts';
import { createIngestMetrics } from '../observability/ingest.metrics.ts';
import { createRulesRuntime, type RulesRuntime } from '../rules/rules.runtime.ts';
import { edgeEvents } from './edge-events.domain.ts';

export interface EdgeIngestOptions {
  pool: pg.Pool;
  log: Logger;
  /** The gateway's registry: ingest and rules metrics are served on its /metrics. */
  registry: Registry;
  /** Writes a QoS 1 message to a device connected to this node; false when it is not connected here. */
  deliver: (deviceId: string, topic: string, payload: string) => Promise<boolean>;
  isConnectedHere: (deviceId: string) => boolean;
  batchMaxRows: number;
  batchWaitMs: number;
  /** Batches written at once, each for its own share of the devices. */
  lanes?: number;
  /** Receive-time clock of the pipeline (benchmarks accelerate it). */
  clock?: () => number;
  /** Wall clock of the rules' bookkeeping (judgment expiry and sending); default `clock`. */
  rulesClock?: () => number;
  /** Wait after a birth message before re-sending judgments, so the device has subscribed first. */
  resendDelayMs?: number;
  /** Dead letters stored in full per source, reason and window (the rest are counted only). */
  deadLetterSampling?: Partial<SamplingPolicy>;
}

export interface EdgeIngest {
  /** Feed from the broker's authorizePublish; PUBACK when the promise resolves. */
  pipeline: IngestPipeline;
  rules: RulesRuntime;
  start(): Promise<void>;
  /** Commits what was received (bounded by `deadlineMs`), then stops listening. */
  stop(deadlineMs?: number): Promise<void>;
}

/**
 * The ingest as it runs inside every process that accepts device connections (the gateway):
 * the pipeline with the rules and the outbox in its transaction, and the downlink of this
 * node — judgments created here go straight to the device; judgments created elsewhere
 * arrive as a NOTIFY on the downlink channel and are sent if the device is connected here.
 */
export function createEdgeIngest(opts: EdgeIngestOptions): EdgeIngest {
  const log = opts.log.child({ component: 'edge' });
  const publisher: JudgmentPublisher = {
    publish: (deviceId, judgment) => opts.deliver(deviceId, judgmentsTopic(deviceId), JSON.stringify(judgment)),
  };
  const rules = createRulesRuntime({
    pool: opts.pool,
    log: opts.log,
    registry: opts.registry,
    // After-commit changes (a judgment marked sent) go through the outbox too.
    events: createOutboxEvents({ pool: opts.pool, log: opts.log, local: createPlatformEvents() }),
    clock: opts.rulesClock ?? opts.clock,
    publisher,
    resendDelayMs: opts.resendDelayMs,
    // Sweeps, expiry and the fleet job belong to the platform instances (once across them).
    sweepIntervalMs: 0,
    fleetCheckIntervalMs: 0,
  });
  const pipeline = createIngestPipeline({
    pool: opts.pool,
    log: opts.log,
    metrics: createIngestMetrics(opts.registry),
    batchMaxRows: opts.batchMaxRows,
    batchWaitMs: opts.batchWaitMs,
    lanes: opts.lanes,
    clock: opts.clock,
    deadLetterSampling: opts.deadLetterSampling,
    inTransaction: async (client, batch, insertedRows) => {
      await rules.inTransaction(client, batch, insertedRows, edgeEvents(batch, insertedRows));
    },
    afterCommit: (batch, result) => rules.afterCommit(batch, result),
  });

  let listener: ChannelListener | undefined;
  let stopped = true;
  const woken = new Set<string>();
  let draining: Promise<void> | undefined;

  const drainWoken = (): void => {
    if (draining || woken.size === 0) return;
    draining = (async () => {
      while (woken.size > 0 && !stopped) {
        const [deviceId] = woken;
        woken.delete(deviceId!);
        await rules.judgments.sendDueFor(deviceId!).catch((err: Error) => log.warn({ err: err.message, deviceId }, 'sending woken judgments failed'));
      }
    })().finally(() => {
      draining = undefined;
      drainWoken();
    });
  };

  const onWake = (deviceId: string): void => {
    // Every node hears every device; sendDueFor costs a query, so only for a device it could reach.
    if (deviceId && !stopped && opts.isConnectedHere(deviceId)) {
      woken.add(deviceId);
      drainWoken();
    }
  };

  return {
    pipeline,
    rules,
    async start() {
      stopped = false;
      await rules.start();
      listener = await listenChannel(opts.pool, DOWNLINK_CHANNEL, onWake, log);
    },
    async stop(deadlineMs) {
      await pipeline.stop(deadlineMs);
      stopped = true;
      await draining;
      await rules.stop();
      listener?.stop();
      listener = undefined;
    },
  };
}
