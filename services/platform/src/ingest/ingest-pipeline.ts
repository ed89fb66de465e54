import type pg from 'pg';
import type { Logger } from 'pino';
import type { IngestMetrics } from '../observability/ingest.metrics.ts';
import { existingDeviceIds, writeBatch, type BatchResult, type InTransactionHook, type IngestBatch } from './ingest-store.repository.ts';
import { DEFAULT_SAMPLING, EMPTY_SAMPLER, sampleDeadLetters, type SamplerState, type SamplingPolicy, type SampleOutcome } from '../retention/dead-letter-sampling.domain.ts';
import { parseUplink, type Uplink } from './uplink-parse.domain.ts';

/**
 * The one ingest pipeline: parse once → micro-batch across devices → one transaction
 * (telemetry, latest values, status, events, acks, dead letters, rules, outbox) → COMMIT →
 * after-commit effects → the submitters learn their message is stored.
 *
 * It knows nothing of MQTT. The gateway calls `submit` from Aedes' `authorizePublish`, which
 * runs before Aedes writes the PUBACK, and releases the callback when the promise resolves:
 * a device's PUBACK therefore means "committed in PostgreSQL".
 */
export interface IngestPipelineOptions {
  pool: pg.Pool;
  log: Logger;
  metrics: IngestMetrics;
  /** A batch closes at this many telemetry rows… */
  batchMaxRows: number;
  /** …or this long after its first message, whichever comes first. */
  batchWaitMs: number;
  /** Batches written at once, each for its own share of the devices and on its own connection. Default 2. */
  lanes?: number;
  /** Back-off after a failed commit: doubles from 100 ms up to this. */
  maxRetryDelayMs?: number;
  clock?: () => number;
  /** Runs inside each batch's transaction, before COMMIT (rules, alarms, outbox). A failure rolls the batch back. */
  inTransaction?: InTransactionHook;
  /** Runs after COMMIT, before the submitters are released (judgment publishing). Must not throw. */
  afterCommit?: (batch: IngestBatch, result: BatchResult) => void;
  /** Dead letters stored in full per source, reason and window; the rest are only counted. */
  deadLetterSampling?: Partial<SamplingPolicy>;
}

export interface IngestPipeline {
  /**
   * Parses and queues one uplink. Resolves once it is committed (as rows or as a dead letter).
   * A failed commit is retried with back-off, so the promise only settles on success, or never
   * for messages whose owner was dropped (their sender never got a PUBACK and sends again).
   */
  submit(topic: string, payload: Buffer, owner?: object): Promise<void>;
  /** The owner's connection is gone: forget what it sent and is not yet being written. */
  drop(owner: object): void;
  /** Messages received and not yet committed. */
  readonly pending: number;
  /** Called whenever a batch finished (committed or failed): `pending` may have dropped. */
  onProgress(listener: () => void): void;
  /** Commits what is queued (retrying while the database is away, up to `deadlineMs`). */
  stop(deadlineMs?: number): Promise<void>;
}

interface Pending {
  topic: string;
  uplink: Uplink;
  rows: number;
  receivedAtMs: number;
  /** Monotonic arrival time: the batch wait counts from the oldest message, not from when its lane freed up. */
  arrivedAt: number;
  owner: object | undefined;
  resolve: () => void;
}

interface Lane {
  queue: Pending[];
  rows: number;
  /** Messages of the batch being written. */
  inFlight: number;
  active: boolean;
  timer?: NodeJS.Timeout;
  /**
   * Dead letters stored per source in the current window. Per lane: a source's dead letters go to
   * one lane (by device id; all without a device to the first), and a lane writes one batch at a time.
   */
  sampler: SamplerState;
}

const LIVE_LAG_WINDOW_MS = 60_000;
/** The topic's channel of each parsed kind; a dead letter's topic may be anything. */
const CHANNEL_OF: Partial<Record<Uplink['kind'], string>> = { telemetry: 'telemetry', status: 'status', event: 'events', ack: 'acks' };
const NO_OWNER = {};

export function createIngestPipeline(opts: IngestPipelineOptions): IngestPipeline {
  const clock = opts.clock ?? Date.now;
  const log = opts.log.child({ component: 'ingest' });
  const maxRetryDelayMs = opts.maxRetryDelayMs ?? 5000;
  const knownDevices = new Set<string>();
  const progress: Array<() => void> = [];
  let retryDelayMs = 0;
  let backoffUntil = 0;
  let stopped = false;
  let idle: Promise<void> = Promise.resolve();
  let markIdle: (() => void) | undefined;

  /**
   * Devices are spread over lanes by a hash of their id; each lane writes one batch at a time on
   * its own connection. Concurrent batches therefore never touch the same device: they do not
   * wait for each other's row locks, and a device's samples are committed (and seen by its
   * rules) in the order they arrived.
   */
  const lanes: Lane[] = Array.from({ length: Math.max(1, opts.lanes ?? 2) }, () => ({ queue: [], rows: 0, inFlight: 0, active: false, sampler: EMPTY_SAMPLER }));
  const sampling: SamplingPolicy = { ...DEFAULT_SAMPLING, ...opts.deadLetterSampling };
  const laneOf = (uplink: Uplink): Lane => {
    const id = uplink.kind === 'dead' ? uplink.deadLetter.deviceId : uplink.deviceId;
    if (!id || lanes.length === 1) return lanes[0]!;
    // FNV-1a: cheap and well spread over device ids that differ in their last characters.
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    return lanes[(h >>> 0) % lanes.length]!;
  };
  const concurrentAtRows = Math.max(1, Math.floor(opts.batchMaxRows / 4));
  const pendingCount = (): number => lanes.reduce((n, l) => n + l.queue.length + l.inFlight, 0);
  const busy = (): boolean => lanes.some((l) => l.active || l.queue.length > 0);
  const setGauge = (): void => opts.metrics.pending.set(pendingCount());

  /**
   * Starts the lane's batch when it is full or its oldest message has waited `batchWaitMs`,
   * never while backing off after a failed commit (a full batch waiting must not cut the delay
   * short). Messages that queued up while the previous batch was being written have waited
   * already: they go at once.
   */
  const schedule = (lane: Lane): void => {
    if (lane.active || lane.queue.length === 0) return;
    // Lanes write at once only under a backlog: at moderate load one transaction at a time leaves
    // the (few) cores to the one being written, and its messages commit sooner.
    if (lane.rows < concurrentAtRows && lanes.some((l) => l.active) && !stopped) return;
    const now = Date.now();
    if (backoffUntil > now) {
      lane.timer ??= setTimeout(() => fire(lane), backoffUntil - now);
      return;
    }
    const waitLeft = lane.queue[0]!.arrivedAt + opts.batchWaitMs - performance.now();
    if (!(lane.rows >= opts.batchMaxRows || waitLeft <= 0 || stopped)) {
      lane.timer ??= setTimeout(() => fire(lane), Math.ceil(waitLeft));
      return;
    }
    clearTimeout(lane.timer);
    lane.timer = undefined;
    void flush(lane);
  };
  function fire(lane: Lane): void {
    lane.timer = undefined;
    schedule(lane);
  }

  const takeBatch = (lane: Lane): Pending[] => {
    let rows = 0;
    let i = 0;
    while (i < lane.queue.length && (i === 0 || rows + lane.queue[i]!.rows <= opts.batchMaxRows)) {
      rows += lane.queue[i]!.rows;
      i += 1;
    }
    const items = lane.queue.slice(0, i);
    lane.queue = lane.queue.slice(i);
    lane.rows -= rows;
    return items;
  };

  function toBatch(items: Pending[]): { batch: IngestBatch; liveTs: number[] } {
    const batch: IngestBatch = { telemetry: [], statuses: [], events: [], acks: [], deadLetters: [] };
    const liveTs: number[] = [];
    for (const item of items) {
      const up = item.uplink;
      switch (up.kind) {
        case 'telemetry':
          for (const sample of up.samples) {
            batch.telemetry.push({ deviceId: up.deviceId, sample });
            if (item.receivedAtMs - sample.ts < LIVE_LAG_WINDOW_MS) liveTs.push(sample.ts);
          }
          batch.deadLetters.push(...up.deadLetters);
          break;
        case 'status':
          batch.statuses.push({ deviceId: up.deviceId, status: up.status, receivedAtMs: item.receivedAtMs });
          break;
        case 'event':
          batch.events.push({ deviceId: up.deviceId, event: up.event });
          break;
        case 'ack':
          batch.acks.push({ deviceId: up.deviceId, ack: up.ack });
          break;
        case 'dead':
          batch.deadLetters.push(up.deadLetter);
          break;
      }
    }
    return { batch, liveTs };
  }

  async function flush(lane: Lane): Promise<void> {
    const items = takeBatch(lane);
    if (!lanes.some((l) => l.active)) idle = new Promise((r) => (markIdle = r));
    lane.active = true;
    lane.inFlight = items.length;
    const { batch, liveTs } = toBatch(items);
    const t0 = performance.now();
    let dbClient: pg.PoolClient | undefined;
    let failure: Error | undefined;
    try {
      dbClient = await opts.pool.connect();
      await dropUnknownDevices(dbClient, batch);
      // A flooding device: only the first few of its dead letters per window are stored, all are
      // counted. Sampled from the lane's committed state, so a retried batch is judged the same.
      let sampled: SampleOutcome | undefined;
      if (batch.deadLetters.length > 0) {
        sampled = sampleDeadLetters(lane.sampler, batch.deadLetters, clock(), sampling);
        batch.deadLetters = sampled.keep;
        batch.deadLetterTallies = sampled.tallies;
      }
      const result = await writeBatch(dbClient, batch, opts.inTransaction);
      if (sampled) lane.sampler = sampled.next;
      const committedAt = clock();
      opts.metrics.batchSeconds.observe((performance.now() - t0) / 1000);
      opts.metrics.batchRows.observe(batch.telemetry.length);
      opts.metrics.rowsInserted.inc(result.inserted);
      opts.metrics.duplicates.inc(result.duplicates);
      // Counted per batch and channel: a labelled increment per message costs the hot path.
      const perChannel = new Map<string, number>();
      for (const item of items) {
        const channel = CHANNEL_OF[item.uplink.kind] ?? item.topic.split('/')[3] ?? 'unknown';
        perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
      }
      for (const [channel, n] of perChannel) opts.metrics.messages.inc({ channel }, n);
      let dropped = 0;
      for (const t of batch.deadLetterTallies ?? []) {
        opts.metrics.deadLetters.inc({ reason: t.reason }, t.kept + t.dropped);
        if (t.dropped > 0) opts.metrics.deadLettersDropped.inc({ reason: t.reason }, t.dropped);
        dropped += t.dropped;
      }
      for (const ts of liveTs) opts.metrics.lagSeconds.observe(Math.max(0, committedAt - ts) / 1000);
      try {
        opts.afterCommit?.(batch, result);
      } catch (err) {
        log.error({ err }, 'afterCommit hook failed');
      }
      // Logged when some were stored: a flood logs as often as it stores, not once per batch.
      if (batch.deadLetters.length > 0) {
        log.warn({ count: batch.deadLetters.length, dropped, reasons: [...new Set(batch.deadLetters.map((d) => d.reason))] }, 'dead-lettered messages');
      }
      retryDelayMs = 0;
      backoffUntil = 0;
      // Committed: now, and only now, the senders may forget these messages.
      for (const item of items) item.resolve();
    } catch (err) {
      failure = err as Error;
      opts.metrics.commitFailures.inc();
      // Back to the front of its lane, in order; the batch is rebuilt from them on the retry.
      lane.queue = [...items, ...lane.queue];
      lane.rows += items.reduce((n, p) => n + p.rows, 0);
      retryDelayMs = Math.min(maxRetryDelayMs, Math.max(100, retryDelayMs * 2));
      backoffUntil = Date.now() + retryDelayMs;
      log.warn({ err: failure.message, retryInMs: retryDelayMs, pending: pendingCount() }, 'batch not committed; will retry, messages stay unacknowledged');
    } finally {
      // A connection that failed mid-transaction is discarded, not returned to the pool.
      dbClient?.release(failure);
      lane.inFlight = 0;
      lane.active = false;
      if (!lanes.some((l) => l.active)) markIdle?.();
      setGauge();
      // The other lanes first, round robin: they may have waited for this one.
      const at = lanes.indexOf(lane);
      for (let i = 1; i <= lanes.length; i += 1) schedule(lanes[(at + i) % lanes.length]!);
      for (const listener of progress) listener();
    }
  }

  async function dropUnknownDevices(db: pg.PoolClient, batch: IngestBatch): Promise<void> {
    const ids = new Set<string>();
    for (const r of batch.telemetry) ids.add(r.deviceId);
    for (const s of batch.statuses) ids.add(s.deviceId);
    for (const e of batch.events) ids.add(e.deviceId);
    for (const a of batch.acks) ids.add(a.deviceId);
    const unknown = [...ids].filter((id) => !knownDevices.has(id));
    if (unknown.length === 0) return;
    const found = await existingDeviceIds(db, unknown);
    for (const id of found) knownDevices.add(id);
    const missing = unknown.filter((id) => !found.has(id));
    if (missing.length === 0) return;
    // A deleted device's queued messages: keep the evidence, don't fail the batch on the foreign key.
    const gone = new Set(missing);
    const note = (deviceId: string, channel: string, payload: unknown): void => {
      const text = JSON.stringify(payload);
      batch.deadLetters.push({ topic: `v1/devices/${deviceId}/${channel}`, deviceId, reason: 'unknown_device', detail: 'device is not registered', payload: text, payloadBytes: Buffer.byteLength(text) });
    };
    batch.telemetry = batch.telemetry.filter((r) => (gone.has(r.deviceId) ? (note(r.deviceId, 'telemetry', r.sample), false) : true));
    batch.statuses = batch.statuses.filter((s) => (gone.has(s.deviceId) ? (note(s.deviceId, 'status', s.status), false) : true));
    batch.events = batch.events.filter((e) => (gone.has(e.deviceId) ? (note(e.deviceId, 'events', e.event), false) : true));
    batch.acks = batch.acks.filter((a) => (gone.has(a.deviceId) ? (note(a.deviceId, 'acks', a.ack), false) : true));
  }

  return {
    submit(topic, payload, owner) {
      const receivedAtMs = clock();
      const uplink = parseUplink(topic, payload, receivedAtMs);
      const rows = uplink.kind === 'telemetry' ? Math.max(1, uplink.samples.length) : 1;
      const lane = laneOf(uplink);
      return new Promise<void>((resolve) => {
        lane.queue.push({ topic, uplink, rows, receivedAtMs, arrivedAt: performance.now(), owner: owner ?? NO_OWNER, resolve });
        lane.rows += rows;
        setGauge();
        schedule(lane);
      });
    },
    drop(owner) {
      let changed = false;
      for (const lane of lanes) {
        const before = lane.queue.length;
        if (before === 0) continue;
        lane.queue = lane.queue.filter((p) => p.owner !== owner);
        if (lane.queue.length === before) continue;
        lane.rows = lane.queue.reduce((n, p) => n + p.rows, 0);
        changed = true;
      }
      if (changed) setGauge();
    },
    get pending() {
      return pendingCount();
    },
    onProgress(listener) {
      progress.push(listener);
    },
    async stop(deadlineMs = 10_000) {
      stopped = true;
      const until = Date.now() + deadlineMs;
      for (const l of lanes) schedule(l);
      while (busy() && Date.now() < until) {
        await Promise.race([idle, new Promise((r) => setTimeout(r, Math.max(1, Math.min(100, until - Date.now()))))]);
        for (const l of lanes) schedule(l);
      }
      for (const l of lanes) {
        clearTimeout(l.timer);
        l.timer = undefined;
      }
      if (busy()) log.warn({ pending: pendingCount() }, 'ingest stopped with uncommitted messages; their senders were not acknowledged and will send them again');
    },
  };
}
