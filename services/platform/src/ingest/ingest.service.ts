import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type pg from 'pg';
import type { Logger } from 'pino';
import { allDevicesFilter, UPLINK_CHANNELS } from '@airfleet/contracts';
import type { IngestMetrics } from '../observability/ingest.metrics.ts';
import { existingDeviceIds, writeBatch, type BatchResult, type InTransactionHook, type IngestBatch } from './ingest-store.repository.ts';
import { assertManualAckSupported, DEFER_ACK, sendPuback } from './mqtt-manual-ack.ts';
import { parseUplink, type Uplink } from './uplink-parse.domain.ts';

export interface IngestOptions {
  mqttUrl: string;
  username: string;
  password: string;
  clientId: string;
  pool: pg.Pool;
  log: Logger;
  metrics: IngestMetrics;
  batchMaxRows: number;
  batchWaitMs: number;
  /** Received-but-uncommitted messages above which ingest stops reading (TCP backpressure to the broker). */
  maxPending: number;
  clock?: () => number;
  /** Runs inside each batch's transaction, before COMMIT (rules, alarms). A failure rolls the batch back. */
  inTransaction?: InTransactionHook;
  /** Runs after COMMIT, before the PUBACKs (live fan-out, judgment publishing). Must not throw. */
  afterCommit?: (batch: IngestBatch, result: BatchResult) => void;
}

interface Pending {
  packet: IPublishPacket;
  /** Parsed on arrival (pure and cheap), so the batch size in rows is known exactly. */
  uplink: Uplink;
  rows: number;
  receivedAtMs: number;
  /** Connection generation: a PUBACK is only valid on the connection that delivered the message. */
  generation: number;
}

export interface Ingest {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly connected: boolean;
}

const LIVE_LAG_WINDOW_MS = 60_000;

export function createIngest(opts: IngestOptions): Ingest {
  const clock = opts.clock ?? Date.now;
  const log = opts.log.child({ component: 'ingest' });
  const knownDevices = new Set<string>();
  let pending: Pending[] = [];
  let pendingRows = 0;
  const inFlight = new Set<Pending>();
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let stopped = false;
  let pausedCallback: ((err?: Error) => void) | undefined;
  let retryDelayMs = 0;
  let client: MqttClient | undefined;

  const fire = (): void => {
    timer = undefined;
    schedule(true);
  };

  const schedule = (timerFired = false): void => {
    if (flushing || stopped || pending.length === 0) return;
    const due = timerFired || pendingRows >= opts.batchMaxRows || (opts.batchWaitMs === 0 && retryDelayMs === 0);
    if (due) {
      clearTimeout(timer);
      timer = undefined;
      flushing = flush();
      return;
    }
    if (!timer) timer = setTimeout(fire, retryDelayMs || opts.batchWaitMs);
  };

  const takeBatch = (): Pending[] => {
    let rows = 0;
    let i = 0;
    while (i < pending.length && (i === 0 || rows + pending[i]!.rows <= opts.batchMaxRows)) {
      rows += pending[i]!.rows;
      i += 1;
    }
    return pending.slice(0, i);
  };

  const removePending = (done: Set<Pending>): void => {
    pending = pending.filter((p) => !done.has(p));
    pendingRows = pending.reduce((n, p) => n + p.rows, 0);
    opts.metrics.pending.set(pending.length);
  };

  async function flush(): Promise<void> {
    const items = takeBatch();
    if (items.length === 0) {
      flushing = undefined;
      return;
    }
    for (const item of items) inFlight.add(item);
    const batch: IngestBatch = { telemetry: [], statuses: [], events: [], acks: [], deadLetters: [] };
    const liveTs: number[] = [];
    for (const item of items) {
      const up = item.uplink;
      const channel = item.packet.topic.split('/')[3] ?? 'unknown';
      opts.metrics.messages.inc({ channel });
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
    const t0 = performance.now();
    const dbClient = await opts.pool.connect().catch((err: Error) => err);
    let failure: Error | undefined;
    try {
      if (dbClient instanceof Error) throw dbClient;
      await dropUnknownDevices(dbClient, batch);
      const result = await writeBatch(dbClient, batch, opts.inTransaction);
      const committedAt = clock();
      opts.metrics.batchSeconds.observe((performance.now() - t0) / 1000);
      opts.metrics.batchRows.observe(batch.telemetry.length);
      opts.metrics.rowsInserted.inc(result.inserted);
      opts.metrics.duplicates.inc(result.duplicates);
      for (const d of batch.deadLetters) opts.metrics.deadLetters.inc({ reason: d.reason });
      for (const ts of liveTs) opts.metrics.lagSeconds.observe(Math.max(0, committedAt - ts) / 1000);
      try {
        opts.afterCommit?.(batch, result);
      } catch (err) {
        log.error({ err }, 'afterCommit hook failed');
      }
      if (batch.deadLetters.length > 0) {
        log.warn({ count: batch.deadLetters.length, reasons: [...new Set(batch.deadLetters.map((d) => d.reason))] }, 'dead-lettered messages');
      }
      // Committed: now, and only now, the broker may forget these messages.
      removePending(new Set(items));
      for (const item of items) {
        if (item.packet.qos > 0 && item.packet.messageId !== undefined && item.generation === generation && client?.connected) {
          sendPuback(client, item.packet.messageId);
        }
      }
      retryDelayMs = 0;
    } catch (err) {
      failure = err as Error;
      opts.metrics.commitFailures.inc();
      // Items of a dropped connection can no longer be acknowledged; the broker redelivers them.
      removePending(new Set(items.filter((p) => p.generation !== generation)));
      retryDelayMs = Math.min(5000, Math.max(100, retryDelayMs * 2));
      log.warn({ err: (err as Error).message, retryInMs: retryDelayMs, pending: pending.length }, 'batch not committed; will retry, messages stay unacknowledged');
    } finally {
      inFlight.clear();
      // A connection that failed mid-transaction is discarded, not returned to the pool.
      if (!(dbClient instanceof Error)) dbClient.release(failure);
      flushing = undefined;
      if (pausedCallback && pending.length < opts.maxPending / 2) {
        const cb = pausedCallback;
        pausedCallback = undefined;
        cb(DEFER_ACK);
      }
      if (pending.length > 0) schedule();
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
    get connected() {
      return client?.connected ?? false;
    },
    async start() {
      client = mqtt.connect(opts.mqttUrl, {
        clientId: opts.clientId,
        username: opts.username,
        password: opts.password,
        protocolVersion: 4,
        // Persistent session: the broker queues QoS 1 messages while ingest is away.
        clean: false,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
        keepalive: 30,
      });
      assertManualAckSupported(client);
      const c = client;
      c.handleMessage = (packet, callback) => {
        const receivedAtMs = clock();
        const uplink = parseUplink(packet.topic, packet.payload as Buffer, receivedAtMs);
        const rows = uplink.kind === 'telemetry' ? Math.max(1, uplink.samples.length) : 1;
        pending.push({ packet, uplink, rows, receivedAtMs, generation });
        pendingRows += rows;
        opts.metrics.pending.set(pending.length);
        schedule();
        if (pending.length >= opts.maxPending) {
          // Stop reading until commits catch up; the broker buffers, the socket applies backpressure.
          pausedCallback = callback;
          log.warn({ pending: pending.length }, 'ingest paused: database is behind');
          return;
        }
        callback(DEFER_ACK);
      };
      c.on('connect', (connack) => {
        generation += 1;
        pausedCallback = undefined;
        // Messages of the previous connection that were not committed will be redelivered.
        removePending(new Set(pending.filter((p) => p.generation !== generation && !inFlight.has(p))));
        log.info({ sessionPresent: connack.sessionPresent }, 'ingest connected to broker');
        c.subscribe(
          UPLINK_CHANNELS.map((ch) => allDevicesFilter(ch)),
          { qos: 1 },
          (err, granted) => {
            if (err) log.error({ err: err.message }, 'ingest subscribe failed');
            else if (granted?.some((g) => g.qos === 128)) log.error({ granted }, 'ingest subscription refused by broker');
          },
        );
      });
      c.on('close', () => log.warn('ingest disconnected from broker'));
      c.on('error', (err) => log.warn({ err: err.message }, 'ingest mqtt error'));
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        c.once('connect', done);
        // Don't block start-up forever on a missing broker; readiness reports it and mqtt.js keeps retrying.
        setTimeout(done, 5000).unref();
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (flushing) await flushing;
      // Flush what is left so a clean shutdown acknowledges everything it received.
      if (pending.length > 0 && client?.connected) {
        stopped = false;
        flushing = flush();
        await flushing;
        stopped = true;
      }
      await new Promise<void>((resolve) => (client ? client.end(false, {}, () => resolve()) : resolve()));
    },
  };
}
