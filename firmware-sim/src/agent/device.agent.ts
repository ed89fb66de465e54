import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MqttClient } from 'mqtt';
import { acksTopic, eventsTopic, judgmentsTopic, PROTOCOL_LIMITS, statusTopic, telemetryTopic, type DeviceEvent, type DeviceStatus } from '@airfleet/contracts';
import { createLogger, type Logger } from '@airfleet/runtime';
import {
  advance,
  decideRawJudgment,
  DEFAULT_JUDGMENT_POLICY,
  hash32,
  injectFaults,
  isNotableEvent,
  networkOutageActive,
  resetTrip,
  setRunCommand,
  statusFields,
  toTelemetry,
  type CompressorState,
  type FaultSpec,
  type JudgmentPolicy,
} from '../model/index.ts';
import type { AgentStats, DeviceAgentOptions } from './device-agent.options.ts';
import { restoreDeviceModel, saveDeviceState } from './device-state.store.ts';
import { createDeviceClient, withTimeout } from './device.connection.ts';
import { UplinkSender } from './uplink.sender.ts';

export type { AgentStats, DeviceAgentOptions, InitialCounters } from './device-agent.options.ts';
export { DEFAULT_BATCH_MAX_BYTES } from './uplink.sender.ts';

export const FIRMWARE_VERSION = 'airfleet-sim/0.1.0';
export const DEFAULT_TELEMETRY_INTERVAL_MS = 5000;
/** Samples taken per timer firing at most when the device clock ran ahead (a fast clock, a busy event loop). */
const MAX_CATCH_UP_SAMPLES = 200;
/** Fewest real milliseconds between two state saves, whatever the device clock's speed. */
const MIN_PERSIST_REAL_MS = 1000;

export class DeviceAgent {
  readonly deviceId: string;
  private readonly opts: DeviceAgentOptions;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly intervalMs: number;
  private readonly dir: string;
  private readonly origin: string;
  private readonly policy: JudgmentPolicy;
  private readonly topics: { telemetry: string; status: string; events: string; acks: string; judgments: string };
  private uplink: UplinkSender | null = null;
  private client: MqttClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private model: CompressorState | null = null;
  /** Outage asked for by a caller (simulateOutage) and by an injected network_outage fault. */
  private manualOutage = false;
  private faultOutage = false;
  private sampling = false;
  private stopping = false;
  /** Next sample instant on the device-time grid, and the last sample's ts (never two in one ms). */
  private nextSampleMs = 0;
  private lastSampleMs = -Infinity;
  private lastPersistMs = 0;
  private lastPersistRealMs = 0;
  private saving: Promise<void> = Promise.resolve();
  private connectFailures = 0;
  private readonly n = { connects: 0, seq: 0, queued: 0, judgments: 0, judgmentsDuplicate: 0, judgmentsRejected: 0 };

  constructor(opts: DeviceAgentOptions) {
    this.opts = opts;
    this.deviceId = opts.deviceId;
    // The topic builders validate the id, so a bad fleet-file entry fails here, not on the wire.
    this.topics = {
      telemetry: telemetryTopic(opts.deviceId),
      status: statusTopic(opts.deviceId),
      events: eventsTopic(opts.deviceId),
      acks: acksTopic(opts.deviceId),
      judgments: judgmentsTopic(opts.deviceId),
    };
    this.log = (opts.log ?? createLogger('firmware-sim')).child({ deviceId: opts.deviceId });
    this.clock = opts.clock ?? Date.now;
    this.intervalMs = opts.intervalMs ?? DEFAULT_TELEMETRY_INTERVAL_MS;
    this.dir = path.join(opts.queueDir, opts.deviceId);
    this.origin = JSON.stringify([opts.modelId, opts.seed, opts.initial ?? null, opts.utcOffsetMinutes ?? 0, opts.ambientC ?? null]);
    this.policy = { ...DEFAULT_JUDGMENT_POLICY, ...opts.judgmentPolicy };
  }

  get stats(): AgentStats {
    const u = this.uplink;
    return {
      connected: this.client?.connected ?? false,
      connects: this.n.connects,
      seq: this.n.seq,
      queued: this.n.queued,
      published: u?.counts.published ?? 0,
      acked: u?.counts.acked ?? 0,
      pending: u?.pendingSamples ?? 0,
      dropped: u?.droppedSamples ?? 0,
      events: u?.counts.events ?? 0,
      acks: u?.counts.acks ?? 0,
      outboxPending: u?.pendingOutbox ?? 0,
      judgments: this.n.judgments,
      judgmentsDuplicate: this.n.judgmentsDuplicate,
      judgmentsRejected: this.n.judgmentsRejected,
    };
  }

  /** The current model state (a snapshot; the agent keeps its own). */
  get modelState(): CompressorState | null {
    return this.model;
  }

  /** The retained status this device publishes while online (birth, and re-published on change). */
  get status(): DeviceStatus {
    return {
      online: true,
      ts: Math.round(this.clock()),
      firmware: this.opts.firmware ?? FIRMWARE_VERSION,
      model: this.opts.modelId,
      telemetryIntervalMs: this.intervalMs,
      ...(this.model ? statusFields(this.model) : {}),
    };
  }

  /**
   * Opens the queues, restores or builds the model, starts connecting and sampling. Resolves
   * without waiting for the broker: a device measures and queues whether or not it is online.
   */
  async start(): Promise<void> {
    if (this.uplink) throw new Error('agent already started');
    const uplink = new UplinkSender({
      dir: this.dir,
      topics: this.topics,
      log: this.log,
      maxQueueSamples: this.opts.maxQueueSamples ?? Math.ceil(PROTOCOL_LIMITS.maxPastMs / this.intervalMs),
      maxBatchSamples: this.opts.maxBatchSamples,
      maxBatchBytes: this.opts.maxBatchBytes,
    });
    this.uplink = uplink;
    await uplink.open();
    this.model = await restoreDeviceModel(this.opts, this.dir, this.origin, this.clock(), this.log);
    this.lastPersistMs = this.clock();
    this.lastPersistRealMs = performance.now();
    if (uplink.pendingSamples + uplink.pendingOutbox > 0) {
      this.log.info({ pending: uplink.pendingSamples, outbox: uplink.pendingOutbox }, 'replaying messages queued before restart');
    }
    this.faultOutage = networkOutageActive(this.model.faults, this.model.tMs);
    this.client = this.connect();
    uplink.attach(this.client);
    const now = this.clock();
    await this.sampleAt(now);
    this.nextSampleMs = now + this.intervalMs;
    // The timer runs in real time; samples are due on the device-time grid (a fast clock takes several per firing).
    const periodMs = Math.max(1, Math.round(this.intervalMs / (this.opts.clockSpeed ?? 1)));
    this.timer = setInterval(() => {
      this.sampleDue().catch((err: unknown) => this.log.error({ err }, 'telemetry tick failed'));
    }, periodMs);
  }

  /** Steps the model to the device clock's now and queues one sample there (tests drive the agent with it). */
  async tick(): Promise<void> {
    await this.sampleAt(this.clock());
  }

  /**
   * Clean stop: saves the model, by default publishes the retained offline status (a clean
   * DISCONNECT suppresses the last will, MQTT 3.1.1 §3.14.4), closes the connection.
   * Unacknowledged samples, events and acks stay on disk for the next start.
   */
  async stop(opts: { sendOffline?: boolean } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.persist().catch(() => undefined);
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
    await this.uplink?.close();
  }

  /** Network outage: drops the TCP connection (the broker fires the last will) and refuses to reconnect. */
  simulateOutage(): void {
    this.manualOutage = true;
    this.client?.stream?.destroy();
  }

  restoreNetwork(): void {
    this.manualOutage = false;
  }

  /** Resolves when connected (or rejects after `timeoutMs`). */
  async waitForConnection(timeoutMs = 10_000): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('agent not started');
    if (client.connected) return;
    await withTimeout(new Promise<void>((resolve) => client.once('connect', () => resolve())), timeoutMs);
  }

  /** Operator reset of a latched trip (TRIP_RESET event); refused while the element is still hot. */
  resetTrip(): { accepted: boolean; reason?: string } {
    const model = this.advanceTo(this.clock());
    const r = resetTrip(model);
    if (r.accepted) this.commit(r.state, r.events);
    return { accepted: r.accepted, ...(r.reason ? { reason: r.reason } : {}) };
  }

  /** Explicit start (run command): after a remote stop the machine restarts only on this. */
  startMachine(): void {
    this.commit(setRunCommand(this.advanceTo(this.clock()), true), []);
  }

  /** Local stop command; the controller announces it (REMOTE_STOP) on its next step if the motor runs. */
  stopMachine(): void {
    this.commit(setRunCommand(this.advanceTo(this.clock()), false), []);
  }

  /** Injects faults into the running model (fault injection, fault.model.ts); duplicates are ignored. */
  injectFaults(faults: readonly FaultSpec[]): void {
    this.commit(injectFaults(this.advanceTo(this.clock()), faults), []);
  }

  private requireModel(): CompressorState {
    if (!this.model) throw new Error('agent not started');
    return this.model;
  }

  /**
   * Integrates the model to device time `t` and publishes what happened on the way. Everything
   * that changes the machine goes through here first, so a command or judgment acts at the
   * device's present, never on a stale state.
   */
  private advanceTo(t: number): CompressorState {
    let model = this.requireModel();
    if (t > model.tMs) {
      const r = advance(model, t);
      model = r.state;
      this.model = model;
      for (const event of r.events) if (isNotableEvent(event)) this.publishEvent(event);
    }
    this.followNetworkFault(model.tMs);
    const after = this.opts.autoResetTripAfterMs;
    if (after !== undefined && model.state === 'tripped' && model.tMs - model.timers.stateSinceMs >= after) {
      const r = resetTrip(model);
      if (r.accepted) {
        this.log.info({ trippedAtMs: model.timers.stateSinceMs }, 'trip auto-reset');
        this.commit(r.state, r.events);
      }
    }
    return this.requireModel();
  }

  /** Installs a new model state from a command or judgment, publishes its events, saves it. */
  private commit(state: CompressorState, events: readonly DeviceEvent[]): void {
    this.model = state;
    for (const event of events) this.publishEvent(event);
    void this.persist().catch((err: unknown) => this.log.warn({ err }, 'state not saved'));
  }

  /** An injected network_outage cuts the link for its duration, like simulateOutage(). */
  private followNetworkFault(t: number): void {
    const outage = this.model ? networkOutageActive(this.model.faults, t) : false;
    if (outage === this.faultOutage) return;
    this.faultOutage = outage;
    this.log.info({ atMs: t }, outage ? 'injected network outage begins' : 'injected network outage ends');
    if (outage) this.client?.stream?.destroy();
  }

  /** Timer: takes every sample due on the device-time grid (several when the clock runs fast). */
  private async sampleDue(): Promise<void> {
    if (this.sampling || this.stopping) return;
    this.sampling = true;
    try {
      const now = this.clock();
      for (let n = 0; n < MAX_CATCH_UP_SAMPLES && this.nextSampleMs <= now && !this.stopping; n += 1) {
        await this.sampleAt(this.nextSampleMs);
        this.nextSampleMs += this.intervalMs;
      }
    } finally {
      this.sampling = false;
    }
  }

  /** Steps the model to `t`, queues one sample, kicks the sender, saves the state now and then. */
  private async sampleAt(t: number): Promise<void> {
    if (!this.model || !this.uplink || this.stopping) return;
    const model = this.advanceTo(Math.max(t, this.model.tMs));
    // Never two samples in one millisecond (protocol §7.2: the second would be lost).
    if (model.tMs <= this.lastSampleMs) return;
    this.lastSampleMs = model.tMs;
    const sample = toTelemetry(model, this.n.seq);
    this.n.seq += 1;
    await this.uplink.appendSample(JSON.stringify(sample));
    this.n.queued += 1;
    const realNow = performance.now();
    if (model.tMs - this.lastPersistMs >= (this.opts.persistEveryMs ?? 60_000) && realNow - this.lastPersistRealMs >= MIN_PERSIST_REAL_MS) {
      await this.persist();
    }
  }

  /** Saves the model; saves are serialised so two never race on the same file. */
  private persist(): Promise<void> {
    const model = this.model;
    if (!model) return Promise.resolve();
    this.lastPersistMs = model.tMs;
    this.lastPersistRealMs = performance.now();
    const savedAt = this.clock();
    // A failed save must not block the ones after it.
    this.saving = this.saving.catch(() => undefined).then(() => saveDeviceState(this.dir, this.origin, model, savedAt));
    return this.saving;
  }

  private connect(): MqttClient {
    const client = createDeviceClient({
      mqttUrl: this.opts.mqttUrl,
      deviceId: this.deviceId,
      token: this.opts.token,
      willTopic: this.topics.status,
      reconnectPeriodMs: this.opts.reconnectPeriodMs ?? 1000 + (hash32(this.opts.seed, 17) % 2000),
      keepaliveS: this.opts.keepaliveS ?? 30,
      isNetworkUp: () => !this.manualOutage && !this.faultOutage,
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
    this.log[level]({ connects: this.n.connects, pending: this.uplink?.pendingSamples ?? 0 }, 'connected');
    this.publishStatus(client);
    // Clean session: the subscription must be made on every connect.
    client.subscribe(this.topics.judgments, { qos: 1 }, (err) => {
      if (err) this.log.warn({ err: err.message }, 'judgment subscription failed');
    });
    void this.uplink?.pump();
  }

  /** Retained status: the birth after each connect, and again whenever maintenanceDue or derate change (protocol §5). */
  private publishStatus(client = this.client): void {
    if (!client?.connected) return; // the next birth carries it
    client.publish(this.topics.status, JSON.stringify(this.status), { qos: 1, retain: true }, (err) => {
      if (err) this.log.warn({ err: err.message }, 'status not acknowledged');
    });
  }

  /**
   * A judgment (protocol §9): decided by the pure policy at the device's present, acked through
   * the outbox whatever the outcome, saved at once so a restart never applies it twice.
   */
  private onMessage(topic: string, payload: Buffer): void {
    if (topic !== this.topics.judgments || !this.model || this.stopping) return;
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      this.n.judgmentsRejected += 1;
      this.log.warn({ bytes: payload.length }, 'judgment ignored: not JSON (no id to answer)');
      return;
    }
    const now = this.clock();
    const model = this.advanceTo(Math.max(now, this.model.tMs));
    const { outcome, judgment, problem } = decideRawJudgment(model, raw, now, this.policy);
    if (!judgment) this.n.judgmentsRejected += 1;
    if (!outcome) {
      this.log.warn({ problem }, 'judgment ignored: invalid and no id to answer');
      return;
    }
    if (judgment) this.n.judgments += 1;
    if (outcome.duplicate) {
      this.n.judgmentsDuplicate += 1;
    } else {
      this.commit(outcome.state, outcome.events);
      if (outcome.statusChanged) this.publishStatus();
    }
    const ack = outcome.ack;
    this.log.info({ judgmentId: ack.judgmentId, kind: judgment?.kind, result: ack.result, reason: ack.reason, duplicate: outcome.duplicate }, 'judgment acknowledged');
    this.uplink?.enqueue('ack', JSON.stringify(ack));
    if (judgment) {
      try {
        this.opts.onJudgment?.(judgment, ack, outcome.duplicate);
      } catch (err) {
        this.log.error({ err }, 'onJudgment hook failed');
      }
    }
  }

  private publishEvent(event: DeviceEvent): void {
    this.opts.onEvent?.(event);
    this.uplink?.enqueue('event', JSON.stringify(event));
    if (event.type === 'trip') this.log.warn({ event }, 'local protection trip');
    else if (event.type === 'warning') this.log.info({ event }, 'local protection warning');
  }
}
