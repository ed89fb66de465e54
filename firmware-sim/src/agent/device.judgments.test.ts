import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  acksTopic,
  deviceEventSchema,
  deviceStatusSchema,
  eventsTopic,
  judgmentAckSchema,
  judgmentsTopic,
  statusTopic,
  telemetryMessageSchema,
  telemetryTopic,
  type Judgment,
  type JudgmentAck,
  type Telemetry,
} from '@airfleet/contracts';
import { createLogger } from '@airfleet/runtime';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialState } from '../model/index.ts';
import { observe, startTestBroker, until, type Received, type TestBroker } from './broker.test-support.ts';
import { DeviceAgent, type DeviceAgentOptions } from './device.agent.ts';

/**
 * Judgments over a real broker (judgment round trips): a cloud stand-in publishes
 * on the device's judgments topic and watches acks, status, events and telemetry.
 */
const T0 = Date.UTC(2025, 10, 17, 9); // Monday 09:00 UTC
const HOUR = 3_600_000;
const ID = 'AF37-000902';
const silent = createLogger('test', { level: 'silent' });
/** A plant with steady daytime demand, so loading behaviour is not at the mercy of the shift pattern. */
const BUSY = { weekTimer: false, dayLevel: 0.6, nightLevel: 0.6, weekendLevel: 0.6, leakFraction: 0.15 };

let broker: TestBroker;
let queueDir: string;
let cloud: { client: MqttClient; messages: Received[] };
const agents: DeviceAgent[] = [];

beforeEach(async () => {
  broker = await startTestBroker();
  queueDir = await mkdtemp(path.join(tmpdir(), 'airfleet-judg-'));
  cloud = await observe(broker.url, [acksTopic(ID), statusTopic(ID), eventsTopic(ID), telemetryTopic(ID)]);
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop({ sendOffline: false });
  await cloud.client.endAsync();
  await broker.close();
  await rm(queueDir, { recursive: true, force: true });
});

function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

async function device(clock: { now: () => number }, opts: Partial<DeviceAgentOptions> = {}): Promise<DeviceAgent> {
  const a = new DeviceAgent({
    deviceId: ID,
    token: 't',
    modelId: 'AF37',
    seed: 902,
    mqttUrl: broker.url,
    queueDir,
    intervalMs: 3_600_000, // the timer is parked: the test ticks by hand
    reconnectPeriodMs: 50,
    clock: clock.now,
    log: silent,
    state: initialState('AF37', 902, { tMs: T0, profile: BUSY }),
    ...opts,
  });
  agents.push(a);
  await a.start();
  await a.waitForConnection();
  // The first sample reaching the cloud means the judgments subscription (sent before it) is in place.
  await until(() => samples().length > 0, 5000, 'first sample');
  return a;
}

let nextId = 0;
function judgment<K extends Judgment['kind']>(kind: K, params: Extract<Judgment, { kind: K }>['params'], over: Partial<Judgment> = {}): Judgment {
  nextId += 1;
  return { id: `jdg-${nextId}`, ts: T0, kind, severity: 'minor', reason: 'test', params, expiresAt: T0 + 24 * HOUR, ...over } as Judgment;
}

async function send(j: Judgment | string): Promise<void> {
  await cloud.client.publishAsync(judgmentsTopic(ID), typeof j === 'string' ? j : JSON.stringify(j), { qos: 1 });
}

const on = (topic: string) => cloud.messages.filter((m) => m.topic === topic);
const acks = (): JudgmentAck[] => on(acksTopic(ID)).map((m) => judgmentAckSchema.parse(JSON.parse(m.payload)));
const ackFor = (id: string) => acks().filter((a) => a.judgmentId === id);
const statuses = () => on(statusTopic(ID)).map((m) => deviceStatusSchema.parse(JSON.parse(m.payload)));
const events = () => on(eventsTopic(ID)).map((m) => deviceEventSchema.parse(JSON.parse(m.payload)));
function samples(): Telemetry[] {
  return on(telemetryTopic(ID)).flatMap((m) => {
    const p = telemetryMessageSchema.parse(JSON.parse(m.payload));
    return Array.isArray(p) ? p : [p];
  });
}

async function runFor(a: DeviceAgent, clock: { advance: (ms: number) => void }, ms: number, stepMs = 60_000): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await a.tick();
  }
  await until(() => a.stats.pending === 0 && a.stats.outboxPending === 0, 10_000, 'uplink drained');
}

async function acked(id: string, count = 1): Promise<JudgmentAck> {
  await until(() => ackFor(id).length >= count, 5000, `ack for ${id}`);
  return ackFor(id)[count - 1] as JudgmentAck;
}

describe('judgments over MQTT', () => {
  it('setpoint_advice: applied, acked, and the next telemetry runs the new band', async () => {
    const clock = manualClock();
    const a = await device(clock);
    const j = judgment('setpoint_advice', { loadBar: 6.0, unloadBar: 7.0, expectedSavingPct: 4 });
    await send(j);
    expect(await acked(j.id)).toMatchObject({ result: 'applied', reason: 'pressure band set to 6 bar–7 bar (was 6.5 bar–7.5 bar)', ts: T0 });
    const before = samples().length;
    await runFor(a, clock, HOUR, 10_000);
    const after = samples().slice(before);
    expect(after[0]?.metrics).toMatchObject({ loadSetpointBar: 6, unloadSetpointBar: 7 });
    const pressures = after.slice(60).map((s) => s.metrics.pressureBar as number);
    expect(Math.max(...pressures)).toBeLessThan(7.1);
    expect(Math.min(...pressures)).toBeLessThan(6.3);
  });

  it('an unsafe setpoint is rejected with its reason and changes nothing', async () => {
    const clock = manualClock();
    const a = await device(clock);
    const j = judgment('setpoint_advice', { loadBar: 7.6, unloadBar: 8.6, expectedSavingPct: 0 });
    await send(j);
    expect(await acked(j.id)).toMatchObject({ result: 'rejected', reason: 'unload 8.6 bar exceeds the model maximum 8.0 bar' });
    await runFor(a, clock, 10 * 60_000);
    expect(samples().at(-1)?.metrics).toMatchObject({ loadSetpointBar: 6.5, unloadSetpointBar: 7.5 });
  });

  it('derate: shown in the retained status and loading limited', async () => {
    const clock = manualClock();
    const a = await device(clock);
    await runFor(a, clock, HOUR, 10_000);
    const freeShare = samples().at(-1)?.metrics.loadedDutyPct as number;
    expect(freeShare).toBeGreaterThan(55);
    const j = judgment('derate', { maxLoadedDutyPct: 40, maxPressureBar: 7.2 });
    await send(j);
    expect(await acked(j.id)).toMatchObject({ result: 'applied', reason: 'derate in force: loaded duty ≤ 40 %, unload ≤ 7.2 bar (band now 6.5 bar–7.2 bar)' });
    await until(() => statuses().some((s) => s.derate !== undefined), 5000, 'status with derate');
    // Retained: a dashboard subscribing now sees it.
    const late = await observe(broker.url, [statusTopic(ID)]);
    await until(() => late.messages.length > 0, 5000, 'retained status');
    expect(deviceStatusSchema.parse(JSON.parse(late.messages[0]?.payload ?? ''))).toMatchObject({ online: true, model: 'AF37', derate: { maxLoadedDutyPct: 40, maxPressureBar: 7.2 } });
    await late.client.endAsync();
    const before = samples().length;
    await runFor(a, clock, 2 * HOUR, 10_000);
    const after = samples().slice(before + 120); // the second hour, settled
    const loaded = after.filter((s) => s.state === 'loaded').length / after.length;
    expect(loaded).toBeLessThan(0.45);
    expect(Math.max(...after.map((s) => s.metrics.loadedDutyPct as number))).toBeLessThan(42);
    expect(Math.max(...after.map((s) => s.metrics.pressureBar as number))).toBeLessThan(7.3);
    expect(after.at(-1)?.metrics.unloadSetpointBar).toBe(7.2);
  });

  it('maintenance_due: shown in the retained status, kept across a restart', async () => {
    const clock = manualClock();
    const a = await device(clock);
    const j = judgment('maintenance_due', { level: 'A', dueInHours: 120, dueInDays: 9 });
    await send(j);
    expect((await acked(j.id)).result).toBe('applied');
    await until(() => statuses().some((s) => s.maintenanceDue !== undefined), 5000, 'status with maintenanceDue');
    expect(statuses().at(-1)).toMatchObject({ online: true, maintenanceDue: { level: 'A', dueInHours: 120, dueInDays: 9 } });
    await a.stop();
    agents.splice(0);
    const births = statuses().length;
    clock.advance(60_000);
    await device(clock, { state: undefined });
    await until(() => statuses().length > births && statuses().at(-1)?.online === true, 5000, 'new birth');
    expect(statuses().at(-1)?.maintenanceDue).toEqual({ level: 'A', dueInHours: 120, dueInDays: 9 });
  });

  it('an expired judgment is acked ignored and not applied', async () => {
    const clock = manualClock();
    const a = await device(clock);
    const j = judgment('setpoint_advice', { loadBar: 6.0, unloadBar: 7.0, expectedSavingPct: 4 }, { expiresAt: T0 - 1 });
    await send(j);
    expect(await acked(j.id)).toMatchObject({ result: 'ignored', reason: 'expired' });
    await runFor(a, clock, 5 * 60_000);
    expect(samples().at(-1)?.metrics.unloadSetpointBar).toBe(7.5);
  });

  it('a repeated id is re-acked with the same ack and not applied twice', async () => {
    const clock = manualClock();
    const a = await device(clock);
    const first = judgment('setpoint_advice', { loadBar: 6.0, unloadBar: 7.0, expectedSavingPct: 4 });
    const second = judgment('setpoint_advice', { loadBar: 6.2, unloadBar: 7.2, expectedSavingPct: 2 });
    await send(first);
    const ack1 = await acked(first.id);
    clock.advance(60_000);
    await send(second);
    await acked(second.id);
    clock.advance(60_000);
    await send(first); // e.g. re-sent by the platform after a reconnect
    const ack2 = await acked(first.id, 2);
    expect(ack2).toEqual(ack1); // same result, reason and ts
    expect(a.stats).toMatchObject({ judgments: 3, judgmentsDuplicate: 1 });
    await runFor(a, clock, 60_000);
    expect(samples().at(-1)?.metrics).toMatchObject({ loadSetpointBar: 6.2, unloadSetpointBar: 7.2 });
  });

  it('service_reset: the service counters restart in the next telemetry', async () => {
    const clock = manualClock();
    const state = initialState('AF37', 902, { tMs: T0, profile: BUSY, counters: { runningHours: 9_500 } });
    const a = await device(clock, { state });
    const start = samples().at(-1)?.metrics as Telemetry['metrics'];
    expect(start).toMatchObject({ serviceHoursA: 1500, serviceHoursB: 1500, serviceHoursC: 1500 });
    const j = judgment('service_reset', { level: 'B', workOrderId: 'WO-77' });
    await send(j);
    expect((await acked(j.id)).reason).toMatch(/^service level B recorded at 9500\.0 running hours \(work order WO-77\): counters B, A restarted/);
    await runFor(a, clock, HOUR);
    const m = samples().at(-1)?.metrics as Telemetry['metrics'];
    expect(m.serviceHoursA).toBeLessThan(1.01);
    expect(m.serviceHoursB).toBe(m.serviceHoursA);
    expect(m.serviceHoursC).toBeGreaterThan(1500);
    await until(() => events().some((e) => e.code === 'SERVICE_RESET'), 5000, 'service reset event');
  });

  it('shutdown_request stops the machine (REMOTE_STOP); it restarts only on an explicit start', async () => {
    const clock = manualClock();
    const a = await device(clock);
    const j = judgment('shutdown_request', { code: 'ADT_TREND' });
    await send(j);
    expect((await acked(j.id)).result).toBe('applied');
    await runFor(a, clock, 2 * HOUR);
    await until(() => events().some((e) => e.code === 'REMOTE_STOP'), 5000, 'remote stop event');
    expect(samples().at(-1)?.state).toBe('stopped');
    expect(events().filter((e) => e.type === 'start')).toEqual([]);
    a.startMachine();
    await runFor(a, clock, 10 * 60_000);
    await until(() => events().some((e) => e.type === 'start'), 5000, 'start after explicit start');
    expect(['loaded', 'unloaded']).toContain(samples().at(-1)?.state);
  });

  it('an invalid judgment with an id is rejected with the reason; without one it is dropped', async () => {
    const clock = manualClock();
    const a = await device(clock);
    await send('not json');
    await send(JSON.stringify({ id: 'jdg-bad', kind: 'reboot', params: {} }));
    expect(await acked('jdg-bad')).toMatchObject({ result: 'rejected', reason: 'unknown kind "reboot"' });
    expect(a.stats).toMatchObject({ judgments: 0, judgmentsRejected: 2, acks: 1 });
  });
});

describe('acks are not lost', () => {
  it('an ack whose PUBACK never came is delivered after a reconnect', async () => {
    await broker.close();
    let holdAcks = true;
    broker = await startTestBroker({ hold: (topic) => holdAcks && topic === acksTopic(ID) });
    await cloud.client.endAsync();
    cloud = await observe(broker.url, [acksTopic(ID), telemetryTopic(ID), statusTopic(ID), eventsTopic(ID)]);
    const clock = manualClock();
    const a = await device(clock);
    const j = judgment('maintenance_due', { level: 'B', dueInHours: 50, dueInDays: 4 });
    await send(j);
    // The ack reaches the disk outbox just after the judgment is counted: wait for both.
    await until(() => a.stats.judgments === 1 && a.stats.outboxPending === 1, 5000, 'judgment handled, ack sent and held'); // sent, unacknowledged, still on disk
    await broker.goDown();
    holdAcks = false;
    await broker.comeBack();
    await until(() => a.stats.acks === 1 && a.stats.outboxPending === 0, 10_000, 'ack after reconnect');
    // Aedes writes the PUBACK before it emits 'publish', so the broker's record may trail the device's.
    await until(() => broker.received.some((m) => m.topic === acksTopic(ID)), 5000, 'ack recorded by the broker');
  });

  it('across a restart: the queued ack is delivered and the judgment is not applied again', async () => {
    await broker.close();
    let holdAcks = true;
    broker = await startTestBroker({ hold: (topic) => holdAcks && topic === acksTopic(ID) });
    await cloud.client.endAsync();
    cloud = await observe(broker.url, [acksTopic(ID), telemetryTopic(ID), statusTopic(ID), eventsTopic(ID)]);
    const clock = manualClock();
    const first = await device(clock);
    const j = judgment('service_reset', { level: 'A' });
    await send(j);
    await until(() => first.stats.judgments === 1, 5000, 'judgment handled');
    await first.stop({ sendOffline: false });
    agents.splice(0);
    holdAcks = false;
    clock.advance(60_000);
    const second = await device(clock, { state: undefined });
    await until(() => second.stats.acks >= 1, 10_000, 'ack replayed from disk');
    const replayed = broker.received.filter((m) => m.topic === acksTopic(ID)).map((m) => judgmentAckSchema.parse(JSON.parse(m.payload)));
    expect(replayed.at(-1)).toMatchObject({ judgmentId: j.id, result: 'applied', ts: T0 });
    // The platform re-sends it (it never saw a PUBACKed ack): the device answers the same and does not reset again.
    const hoursBefore = second.modelState?.service.A;
    await send(j);
    await until(() => second.stats.judgmentsDuplicate === 1, 5000, 'duplicate recognised');
    expect(second.modelState?.service.A).toBe(hoursBefore);
  });
});
