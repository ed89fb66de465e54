import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deviceEventSchema, eventsTopic, statusTopic, telemetryMessageSchema, telemetryTopic, type DeviceEvent, type Telemetry } from '@airfleet/contracts';
import { createLogger } from '@airfleet/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialState } from '../model/index.ts';
import { observe, startTestBroker, until, type TestBroker } from './broker.test-support.ts';
import { DeviceAgent, type DeviceAgentOptions } from './device.agent.ts';

/** Local protections through the agent, with the platform (here: the broker) gone. */
const T0 = Date.UTC(2025, 10, 17, 9);
const HOUR = 3_600_000;
const ID = 'AF37-000903';
const silent = createLogger('test', { level: 'silent' });
const STEADY = { weekTimer: false, dayLevel: 0.55, nightLevel: 0.55, weekendLevel: 0.55, leakFraction: 0.1 };

let broker: TestBroker;
let queueDir: string;
const agents: DeviceAgent[] = [];

beforeEach(async () => {
  broker = await startTestBroker();
  queueDir = await mkdtemp(path.join(tmpdir(), 'airfleet-prot-'));
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop({ sendOffline: false });
  await broker.close();
  await rm(queueDir, { recursive: true, force: true });
});

function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function agent(clock: { now: () => number }, opts: Partial<DeviceAgentOptions> = {}): DeviceAgent {
  const a = new DeviceAgent({
    deviceId: ID,
    token: 't',
    modelId: 'AF37',
    seed: 903,
    mqttUrl: broker.url,
    queueDir,
    intervalMs: 3_600_000,
    reconnectPeriodMs: 50,
    clock: clock.now,
    log: silent,
    maxQueueSamples: 100_000,
    ...opts,
  });
  agents.push(a);
  return a;
}

function parse(messages: Array<{ topic: string; payload: string }>): { events: DeviceEvent[]; samples: Telemetry[] } {
  const events: DeviceEvent[] = [];
  const samples: Telemetry[] = [];
  for (const m of messages) {
    if (m.topic === eventsTopic(ID)) events.push(deviceEventSchema.parse(JSON.parse(m.payload)));
    if (m.topic === telemetryTopic(ID)) {
      const p = telemetryMessageSchema.parse(JSON.parse(m.payload));
      samples.push(...(Array.isArray(p) ? p : [p]));
    }
  }
  return { events, samples };
}

describe('local protection with no platform at all', () => {
  it('the broker is down from the start: the agent keeps sampling, trips at 120 °C, and the trip arrives after reconnect', async () => {
    await broker.goDown();
    const clock = manualClock();
    const seen: DeviceEvent[] = [];
    const a = agent(clock, { state: initialState('AF37', 903, { tMs: T0, ambientC: 66, profile: STEADY }), onEvent: (e) => seen.push(e) });
    await a.start();
    for (let i = 0; i < 180 && a.modelState?.state !== 'tripped'; i += 1) {
      clock.advance(30_000);
      await a.tick();
    }
    expect(a.modelState?.state).toBe('tripped');
    expect(seen.filter((e) => e.type === 'trip')).toEqual([expect.objectContaining({ code: 'ADT_HIGH_TRIP' })]);
    expect(seen.find((e) => e.type === 'trip')?.values?.elementTempC).toBeGreaterThanOrEqual(120);
    expect(a.stats).toMatchObject({ connected: false, connects: 0 });
    // Warning + trip, on disk: the agent appends events without waiting for the write.
    await until(() => a.stats.outboxPending >= 2, 5_000, 'warning and trip written to the outbox');
    const taken = a.stats.queued;
    expect(a.stats.pending).toBe(taken);
    // Keeps measuring while tripped.
    for (let i = 0; i < 10; i += 1) {
      clock.advance(30_000);
      await a.tick();
    }

    await broker.comeBack();
    await until(() => a.stats.pending === 0 && a.stats.outboxPending === 0, 20_000, 'backlog delivered');
    const { events, samples } = parse(broker.received);
    const trip = events.find((e) => e.type === 'trip');
    expect(trip).toMatchObject({ code: 'ADT_HIGH_TRIP', ts: seen.find((e) => e.type === 'trip')?.ts });
    expect(trip?.values?.elementTempC).toBeGreaterThanOrEqual(120);
    expect(events.find((e) => e.type === 'warning')?.code).toBe('ADT_HIGH_WARNING');
    expect(samples).toHaveLength(taken + 10);
    expect(samples.at(-1)?.state).toBe('tripped');
    // Delivered events before the telemetry backlog: the cloud hears of the trip first.
    const firstTelemetry = broker.received.findIndex((m) => m.topic === telemetryTopic(ID));
    const tripIndex = broker.received.findIndex((m) => m.topic === eventsTopic(ID) && m.payload.includes('"trip"'));
    expect(tripIndex).toBeLessThan(firstTelemetry);
  });

  it('an operator reset clears the latched trip (TRIP_RESET) once cooled; refused while hot', async () => {
    const clock = manualClock();
    const watcher = await observe(broker.url, [eventsTopic(ID)]);
    const a = agent(clock, { state: initialState('AF37', 903, { tMs: T0, ambientC: 66, profile: STEADY }) });
    await a.start();
    await a.waitForConnection();
    while (a.modelState?.state !== 'tripped') {
      clock.advance(30_000);
      await a.tick();
    }
    expect(a.resetTrip()).toMatchObject({ accepted: false, reason: expect.stringMatching(/^element still/) });
    clock.advance(3 * HOUR);
    await a.tick();
    expect(a.modelState?.state).toBe('tripped'); // latched
    expect(a.resetTrip()).toEqual({ accepted: true });
    expect(a.modelState?.state).toBe('standby');
    await until(() => watcher.messages.some((m) => m.payload.includes('TRIP_RESET')), 5000, 'reset event');
    await watcher.client.endAsync();
  });

  it('auto-reset (fleet CLI flag) restarts a tripped machine after the cool-down', async () => {
    const clock = manualClock();
    const seen: DeviceEvent[] = [];
    const a = agent(clock, { state: initialState('AF37', 903, { tMs: T0, ambientC: 66, profile: STEADY }), autoResetTripAfterMs: HOUR, onEvent: (e) => seen.push(e) });
    await a.start();
    for (let i = 0; i < 6 * 60; i += 1) {
      clock.advance(60_000);
      await a.tick();
    }
    const trips = seen.filter((e) => e.type === 'trip');
    const resets = seen.filter((e) => e.code === 'TRIP_RESET');
    expect(trips.length).toBeGreaterThanOrEqual(2); // the cause (a 66 °C room) is still there
    expect(resets.length).toBeGreaterThanOrEqual(1);
    expect((resets[0]?.ts ?? 0) - (trips[0]?.ts ?? 0)).toBeGreaterThanOrEqual(HOUR);
  });
});

describe('injected network outage', () => {
  it('cuts the link for its duration (last will), keeps sampling, and replays everything after', async () => {
    const clock = manualClock();
    const status = await observe(broker.url, [statusTopic(ID)]);
    const a = agent(clock, { faults: [{ kind: 'network_outage', onsetMs: T0 + 10 * 60_000, severity: 1, durationHours: 1 }] });
    await a.start();
    await a.waitForConnection();
    for (let i = 0; i < 20; i += 1) {
      clock.advance(60_000);
      await a.tick();
    }
    await until(() => !a.stats.connected, 5000, 'link cut');
    await until(() => status.messages.some((m) => m.payload === '{"online":false}'), 5000, 'last will');
    for (let i = 0; i < 40; i += 1) {
      clock.advance(60_000);
      await a.tick();
    }
    expect(a.stats.connected).toBe(false); // still inside the hour
    expect(a.stats.pending).toBeGreaterThan(40);
    for (let i = 0; i < 20; i += 1) {
      clock.advance(60_000);
      await a.tick();
    }
    await until(() => a.stats.connected && a.stats.pending === 0, 10_000, 'reconnected and drained');
    const { samples } = parse(broker.received);
    expect(samples.map((s) => s.ts)).toEqual(Array.from({ length: 81 }, (_, i) => T0 + i * 60_000));
    await status.client.endAsync();
  });
});
