import path from 'node:path';
import type { MqttClient } from 'mqtt';
import {
  eventsTopic,
  judgmentSchema,
  judgmentsTopic,
  PROTOCOL_LIMITS,
  statusTopic,
  telemetryTopic,
  type DeviceEvent,
  type DeviceStatus,
  type Judgment,
} from '@airfleet/contracts';
import { createLogger, type Logger } from '@airfleet/runtime';
import { advance, hash32, initialState, isNotableEvent, toTelemetry, type CompressorState, type Counters, type FaultSpec } from '../model/index.ts';
import { loadDeviceState, saveDeviceState } from './device-state.store.ts';
import { createDeviceClient, withTimeout } from './device.connection.ts';
import { SampleQueue } from './sample.queue.ts';

export const FIRMWARE_VERSION = 'airfleet-sim/0.1.0';
export const DEFAULT_TELEMETRY_INTERVAL_MS = 5000;
/** Replay arrays stay below the 64 KiB protocol cap with room for the topic and MQTT header. */
export const DEFAULT_BATCH_MAX_BYTES = 60 * 1024;
const DAY_MS = 86_400_000;

/** Counters (and optionally element readings) at `atMs`; with `atMs` the agent replays the model from then to now. */
export interface InitialCounters extends Partial<Counters> {
  atMs?: number;
  separatorDpBar?: number;
  airFilterDpMbar?: number;
}

export interface DeviceAgentOptions {
  deviceId: string;
  token: string;
  modelId: string;
  seed: number;
  /** mqtt://host:port or mqtts://host:port */
  mqttUrl: string;
  /** Root directory; this device keeps its queue and state under `<queueDir>/<deviceId>/`. */
  queueDir: string;
  /** TELEMETRY_INTERVAL_MS (default 5000). */
  intervalMs?: number;
  /** Device clock (epoch ms); tests inject a fast or fixed clock. */
  clock?: () => number;
  utcOffsetMinutes?: number;
  ambientC?: number;
  initial?: InitialCounters;
  /** Explicit starting state; wins over a persisted one and over `initial`. */
  state?: CompressorState;
  faults?: FaultSpec[];
  firmware?: string;
  log?: Logger;
  /** Queue bound (default: 7 days of samples, the protocol's store-and-forward horizon). */
  maxQueueSamples?: number;
  maxBatchSamples?: number;
  maxBatchBytes?: number;
  /** Reconnect delay (default 1–3 s, jittered per device so a fleet does not reconnect in lockstep). */
  reconnectPeriodMs?: number;
  keepaliveS?: number;
  /** Longest gap the model is replayed across on start (default 45 days); beyond it counters jump. */
  maxFastForwardMs?: number;
  /** How often the model state is saved (device clock ms, default 60 s). */
  persistEveryMs?: number;
  onJudgment?: (judgment: Judgment) => void;
  /** Every notable model event (start/stop/trip/warning/reset), as published. */
  onEvent?: (event: DeviceEvent) => void;
}

export interface AgentStats {
  connected: boolean;
  connects: number;
  /** Next telemetry seq (samples taken since boot). */
  seq: number;
  /** Samples appended to the queue. */
  queued: number;
  /** Telemetry messages acknowledged (single samples or arrays). */
  published: number;
  /** Samples acknowledged (PUBACK received). */
  acked: number;
  /** Samples waiting in the queue. */
  pending: number;
  /** Samples dropped because the queue was full. */
  dropped: number;
  events: number;
  judgments: number;
  judgmentsRejected: number;
}

export class DeviceAgent {
  readonly deviceId: string;
  private readonly opts: DeviceAgentOptions;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly intervalMs: number;
  private readonly dir: string;
  private readonly origin: string;
  private readonly topics: { telemetry: string; status: string; events: string; judgments: string };
  private queue: SampleQueue | null = null;
  private client: MqttClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private model: CompressorState | null = null;
  private networkUp = true;
  private sending = false;
  private stopping = false;
  private lastPersistMs = 0;
  private connectFailures = 0;
  private readonly n = { connects: 0, seq: 0, queued: 0, published: 0, acked: 0, events: 0, judgments: 0, judgmentsRejected: 0 };

  constructor(opts: DeviceAgentOptions) {
    this.opts = opts;
    this.deviceId = opts.deviceId;
    // The topic builders validate the id, so a bad fleet-file entry fails here, not on the wire.
    this.topics = {
      telemetry: telemetryTopic(opts.deviceId),
      status: statusTopic(opts.deviceId),
      events: eventsTopic(opts.deviceId),
      judgments: judgmentsTopic(opts.deviceId),
    };
    this.log = (opts.log ?? createLogger('firmware-sim')).child({ deviceId: opts.deviceId });
    this.clock = opts.clock ?? Date.now;
    this.intervalMs = opts.intervalMs ?? DEFAULT_TELEMETRY_INTERVAL_MS;
    this.dir = path.join(opts.queueDir, opts.deviceId);
    this.origin = JSON.stringify([opts.modelId, opts.seed, opts.initial ?? null, opts.utcOffsetMinutes ?? 0, opts.ambientC ?? null]);
  }

  get stats(): AgentStats {
    return {
      connected: this.client?.connected ?? false,
      connects: this.n.connects,
      seq: this.n.seq,
      queued: this.n.queued,
      published: this.n.published,
      acked: this.n.acked,
      pending: this.queue?.size ?? 0,
      dropped: this.queue?.dropped ?? 0,
      events: this.n.events,
      judgments: this.n.judgments,
      judgmentsRejected: this.n.judgmentsRejected,
    };
  }

  /** The current model state (a snapshot; the agent keeps its own). */
  get modelState(): CompressorState | null {
    return this.model;
  }

  /**
   * Opens the queue, restores or builds the model, starts connecting and sampling. Resolves
   * without waiting for the broker: a device measures and queues whether or not it is online.
   */
  async start(): Promise<void> {
    if (this.queue) throw new Error('agent already started');
    const maxQueue = this.opts.maxQueueSamples ?? Math.ceil(PROTOCOL_LIMITS.maxPastMs / this.intervalMs);
    this.queue = await SampleQueue.open({ dir: this.dir, maxSamples: maxQueue, log: this.log });
    this.model = await this.restoreModel();
    this.lastPersistMs = this.clock();
    if (this.queue.size > 0) this.log.info({ pending: this.queue.size }, 'replaying samples queued before restart');
    this.client = this.connect();
    await this.tick();
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.log.error({ err }, 'telemetry tick failed'));
    }, this.intervalMs);
  }

  /** Steps the model to now, queues one sample, publishes notable events, kicks the sender. */
  async tick(): Promise<void> {
    if (!this.model || !this.queue || this.stopping) return;
    const now = this.clock();
    const r = advance(this.model, Math.max(now, this.model.tMs));
    this.model = r.state;
    for (const event of r.events) if (isNotableEvent(event)) this.publishEvent(event);
    const sample = toTelemetry(this.model, this.n.seq);
    this.n.seq += 1;
    await this.queue.append(JSON.stringify(sample));
    this.n.queued += 1;
    void this.pump();
    if (now - this.lastPersistMs >= (this.opts.persistEveryMs ?? 60_000)) {
      this.lastPersistMs = now;
      await saveDeviceState(this.dir, this.origin, this.model, now);
    }
  }

  /**
   * Clean stop: saves the model, by default publishes the retained offline status (a clean
   * DISCONNECT suppresses the last will, MQTT 3.1.1 §3.14.4), closes the connection.
   * Unacknowledged samples stay on disk for the next start.
   */
  async stop(opts: { sendOffline?: boolean } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.model) await saveDeviceState(this.dir, this.origin, this.model, this.clock()).catch(() => undefined);
    const client = this.client;
    if (client) {
      if ((opts.sendOffline ?? true) && client.connected) {
        const offline: DeviceStatus = { online: false, ts: this.clock() };
        await withTimeout(client.publishAsync(this.topics.status, JSON.stringify(offline), { qos: 1, retain: true }), 3000).catch((err: unknown) =>
          this.log.warn({ err }, 'offline status not acknowledged'),
        );
      }
      await withTimeout(client.endAsync(!client.connected), 3000).catch(() => client.end(true));
    }
    await this.queue?.close();
  }

  /** Network outage: drops the TCP connection (the broker fires the last will) and refuses to reconnect. */
  simulateOutage(): void {
    this.networkUp = false;
    this.client?.stream?.destroy();
  }

  restoreNetwork(): void {
    this.networkUp = true;
  }

  /** Resolves when connected (or rejects after `timeoutMs`). */
  async waitForConnection(timeoutMs = 10_000): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('agent not started');
    if (client.connected) return;
    await withTimeout(new Promise<void>((resolve) => client.once('connect', () => resolve())), timeoutMs);
  }

  private async restoreModel(): Promise<CompressorState> {
    const now = this.clock();
    const o = this.opts;
    let state = o.state ?? (await loadDeviceState(this.dir, this.origin, o.modelId));
    if (!state) {
      const atMs = o.initial?.atMs !== undefined && o.initial.atMs < now ? o.initial.atMs : now;
      const i = o.initial ?? {};
      state = initialState(o.modelId, o.seed, {
        tMs: atMs,
        counters: { runningHours: i.runningHours, loadedHours: i.loadedHours, motorStarts: i.motorStarts, loadCycles: i.loadCycles },
        readings: { separatorDpBar: i.separatorDpBar, airFilterDpMbar: i.airFilterDpMbar },
        utcOffsetMinutes: o.utcOffsetMinutes,
        ambientC: o.ambientC,
        faults: o.faults,
      });
    }
    const maxFf = o.maxFastForwardMs ?? 45 * DAY_MS;
    if (now - state.tMs > maxFf) {
      // Too long to replay at start: the machine was off meanwhile, counters carry on from here.
      state = { ...state, tMs: now - maxFf };
    }
    if (now > state.tMs) {
      const fromMs = state.tMs;
      state = advance(state, now, { collectEvents: false }).state;
      if (now - fromMs > 60_000) this.log.info({ fromMs, toMs: now }, 'model fast-forwarded to now');
    }
    return state;
  }

  private connect(): MqttClient {
    const client = createDeviceClient({
      mqttUrl: this.opts.mqttUrl,
      deviceId: this.deviceId,
      token: this.opts.token,
      willTopic: this.topics.status,
      reconnectPeriodMs: this.opts.reconnectPeriodMs ?? 1000 + (hash32(this.opts.seed, 17) % 2000),
      keepaliveS: this.opts.keepaliveS ?? 30,
      isNetworkUp: () => this.networkUp,
    });
    client.on('connect', () => this.onConnect(client));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => {
      this.connectFailures += 1;
      // CONNACK refusals repeat every reconnect: log the first and then every 20th.
      if (this.connectFailures === 1 || this.connectFailures % 20 === 0) this.log.warn({ err: err.message, failures: this.connectFailures }, 'mqtt error');
    });
    client.on('close', () => {
      if (!this.stopping) this.log.debug('connection closed');
    });
    return client;
  }

  private onConnect(client: MqttClient): void {
    this.n.connects += 1;
    this.connectFailures = 0;
    // The fleet runner reports first connects in aggregate; reconnects are worth a line each.
    const level = this.n.connects === 1 ? 'debug' : 'info';
    this.log[level]({ connects: this.n.connects, pending: this.queue?.size ?? 0 }, 'connected');
    const birth: DeviceStatus = {
      online: true,
      ts: this.clock(),
      firmware: this.opts.firmware ?? FIRMWARE_VERSION,
      model: this.opts.modelId,
      telemetryIntervalMs: this.intervalMs,
    };
    client.publish(this.topics.status, JSON.stringify(birth), { qos: 1, retain: true }, (err) => {
      if (err) this.log.warn({ err: err.message }, 'birth not acknowledged');
    });
    // Clean session: the subscription must be made on every connect.
    client.subscribe(this.topics.judgments, { qos: 1 }, (err) => {
      if (err) this.log.warn({ err: err.message }, 'judgment subscription failed');
    });
    void this.pump();
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic !== this.topics.judgments) return;
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      this.n.judgmentsRejected += 1;
      this.log.warn({ bytes: payload.length }, 'judgment ignored: not JSON');
      return;
    }
    const parsed = judgmentSchema.safeParse(raw);
    if (!parsed.success) {
      this.n.judgmentsRejected += 1;
      this.log.warn({ issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'judgment ignored: invalid');
      return;
    }
    const judgment = parsed.data;
    this.n.judgments += 1;
    // Applying judgments is later work (issue 3 §5); for now the device logs what it was told.
    this.log.info({ judgmentId: judgment.id, kind: judgment.kind, severity: judgment.severity, reason: judgment.reason }, 'judgment received');
    try {
      this.opts.onJudgment?.(judgment);
    } catch (err) {
      this.log.error({ err }, 'onJudgment hook failed');
    }
  }

  private publishEvent(event: DeviceEvent): void {
    this.opts.onEvent?.(event);
    const client = this.client;
    if (!client) return;
    // QoS 1: while offline mqtt.js holds it in its outgoing store and sends it on reconnect.
    client.publish(this.topics.events, JSON.stringify(event), { qos: 1 }, (err) => {
      if (err) this.log.warn({ err: err.message, type: event.type, code: event.code }, 'event not delivered');
      else this.n.events += 1;
    });
    if (event.type === 'trip' || event.type === 'warning') this.log.warn({ event }, 'local protection');
  }

  /**
   * Drains the queue head, one message in flight: single samples when caught up, arrays of
   * ≤ maxBatchSamples and ≤ maxBatchBytes after an outage, oldest first. An entry leaves the
   * queue only after its PUBACK; an in-flight message interrupted by a disconnect is resent by
   * mqtt.js on reconnect, so the await below simply spans the outage.
   */
  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    let failed = false;
    try {
      while (!this.stopping && this.client?.connected && this.queue && this.queue.size > 0) {
        const batch = await this.queue.peek(this.opts.maxBatchSamples ?? PROTOCOL_LIMITS.maxBatchSamples, this.opts.maxBatchBytes ?? DEFAULT_BATCH_MAX_BYTES);
        if (batch.lines.length === 0) break;
        const payload = batch.lines.length === 1 ? (batch.lines[0] as string) : `[${batch.lines.join(',')}]`;
        await this.client.publishAsync(this.topics.telemetry, payload, { qos: 1 });
        await this.queue.commit(batch.end);
        this.n.published += 1;
        this.n.acked += batch.lines.length;
      }
    } catch (err) {
      failed = true;
      if (!this.stopping) this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'telemetry send interrupted');
    } finally {
      this.sending = false;
    }
    // A sample queued while the loop was finishing must not wait for the next tick.
    if (!failed && !this.stopping && this.client?.connected && (this.queue?.size ?? 0) > 0) setImmediate(() => void this.pump());
  }
}
