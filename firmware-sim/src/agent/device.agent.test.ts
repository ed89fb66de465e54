import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  acksTopic,
  deviceEventSchema,
  deviceStatusSchema,
  eventsTopic,
  judgmentsTopic,
  PROTOCOL_LIMITS,
  statusTopic,
  telemetryMessageSchema,
  telemetryTopic,
  type Judgment,
  type Telemetry,
} from '@airfleet/contracts';
import { createLogger } from '@airfleet/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceAgent, FIRMWARE_VERSION, type DeviceAgentOptions } from './device.agent.ts';
import { observe, startTestBroker, until, type Received, type TestBroker } from './broker.test-support.ts';

const T0 = Date.UTC(2025, 10, 17, 9); // Monday 09:00 UTC: production running
const ID = 'AF37-000901';
const silent = createLogger('test', { level: 'silent' });

let broker: TestBroker;
let queueDir: string;
const agents: DeviceAgent[] = [];
const closers: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  broker = await startTestBroker();
  queueDir = await mkdtemp(path.join(tmpdir(), 'airfleet-agent-'));
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop({ sendOffline: false });
  for (const c of closers.splice(0)) await c();
  await broker.close();
  await rm(queueDir, { recursive: true, force: true });
});

/** A device clock the test moves by hand; the timer is parked so ticks are explicit. */
function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function agent(opts: Partial<DeviceAgentOptions> = {}): DeviceAgent {
  const a = new DeviceAgent({
    deviceId: ID,
    token: 'secret-token',
    modelId: 'AF37',
    seed: 901,
    mqttUrl: broker.url,
    queueDir,
    intervalMs: 3_600_000,
    reconnectPeriodMs: 50,
    log: silent,
    ...opts,
  });
  agents.push(a);
  return a;
}

async function watch(filters: string[]): Promise<Received[]> {
  const o = await observe(broker.url, filters);
  closers.push(() => o.client.endAsync());
  return o.messages;
}

function samplesOf(messages: Received[]): { samples: Telemetry[]; sizes: number[]; counts: number[] } {
  const samples: Telemetry[] = [];
  const sizes: number[] = [];
  const counts: number[] = [];
  for (const m of messages) {
    if (m.topic !== telemetryTopic(ID)) continue;
    const parsed = telemetryMessageSchema.parse(JSON.parse(m.payload));
    const batch = Array.isArray(parsed) ? parsed : [parsed];
    samples.push(...batch);
    sizes.push(Buffer.byteLength(m.payload));
    counts.push(Array.isArray(parsed) ? batch.length : 0);
  }
  return { samples, sizes, counts };
}

describe('DeviceAgent over MQTT', () => {
  it('publishes a retained birth, sets a retained last will, and says offline on a clean stop', async () => {
    const a = agent({ intervalMs: 5000 });
    await a.start();
    await a.waitForConnection();
    // A late subscriber gets the retained birth.
    const late = await watch([statusTopic(ID)]);
    await until(() => late.length > 0, 5000, 'retained birth');
    const birth = deviceStatusSchema.parse(JSON.parse(late[0]?.payload ?? ''));
    expect(late[0]?.retain).toBe(true);
    expect(birth).toMatchObject({ online: true, firmware: FIRMWARE_VERSION, model: 'AF37', telemetryIntervalMs: 5000 });

    // A dead link (no DISCONNECT) makes the broker publish the will, retained.
    a.simulateOutage();
    const afterWill = await (async () => {
      await until(() => late.some((m) => JSON.parse(m.payload).online === false), 5000, 'last will');
      return watch([statusTopic(ID)]);
    })();
    await until(() => afterWill.length > 0, 5000, 'retained will');
    expect(JSON.parse(afterWill[0]?.payload ?? '')).toEqual({ online: false });

    a.restoreNetwork();
    await until(() => late.filter((m) => JSON.parse(m.payload).online === true).length === 2, 5000, 'second birth');

    await a.stop();
    const final = await watch([statusTopic(ID)]);
    await until(() => final.length > 0, 5000, 'retained offline');
    const offline = deviceStatusSchema.parse(JSON.parse(final[0]?.payload ?? ''));
    expect(offline.online).toBe(false);
    expect(offline.ts).toBeTypeOf('number');
  });

  it('publishes valid telemetry at QoS 1 as single samples when caught up, seq counting up', async () => {
    const clock = manualClock();
    const seen = await watch([telemetryTopic(ID)]);
    const a = agent({ clock: clock.now });
    await a.start();
    await a.waitForConnection();
    for (let i = 0; i < 10; i += 1) {
      clock.advance(5000);
      await a.tick();
      await until(() => a.stats.pending === 0, 5000, 'drain');
    }
    await until(() => samplesOf(seen).samples.length === 11, 5000, '11 samples');
    const { samples, counts } = samplesOf(seen);
    expect(counts.every((c) => c === 0)).toBe(true); // single objects, no arrays
    expect(samples.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(samples.map((s) => s.ts)).toEqual(Array.from({ length: 11 }, (_, i) => T0 + i * 5000));
    expect(samples.every((s) => s.metrics.runningHours !== undefined && s.metrics.pressureBar !== undefined)).toBe(true);
    // The subscriber may see the last sample before the device has processed its PUBACK.
    await until(() => a.stats.acked === 11, 5000, 'last PUBACK processed');
    expect(a.stats).toMatchObject({ queued: 11, acked: 11, published: 11, pending: 0 });
  });

  it('store-and-forward: samples taken while the broker is unreachable all arrive after reconnect, oldest first, in bounded arrays', async () => {
    const clock = manualClock();
    // What the broker received from the device (an observer may legitimately see QoS 1 duplicates).
    const seen = broker.received;
    // (The default bound is 7 days of samples at the interval; the parked timer would make that 168.)
    const a = agent({ clock: clock.now, maxQueueSamples: 10_000 });
    await a.start();
    await a.waitForConnection();
    await until(() => a.stats.acked === 1, 5000, 'first sample');

    await broker.goDown();
    await until(() => !a.stats.connected, 5000, 'disconnect');
    const offline = 1200;
    for (let i = 0; i < offline; i += 1) {
      clock.advance(5000);
      await a.tick();
    }
    expect(a.stats.pending).toBe(offline);
    await broker.comeBack();
    await until(() => a.stats.pending === 0, 20_000, 'replay');
    const { samples, sizes, counts } = samplesOf(seen);
    // Every sample exactly once here (no PUBACK was lost in this run), in time order.
    expect(samples.map((s) => s.seq)).toEqual(Array.from({ length: offline + 1 }, (_, i) => i));
    const ts = samples.map((s) => s.ts);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
    // Replayed as arrays, each within the protocol's count and size limits.
    const arrays = counts.filter((c) => c > 0);
    expect(arrays.length).toBeGreaterThan(1);
    expect(Math.max(...arrays)).toBeLessThanOrEqual(PROTOCOL_LIMITS.maxBatchSamples);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(60 * 1024);
    expect(arrays.reduce((x, y) => x + y, 0)).toBe(offline);
  });

  it('the queue survives a restart: a new agent for the same device and directory delivers what was left', async () => {
    const clock = manualClock();
    const seen = broker.received;
    const first = agent({ clock: clock.now });
    await first.start();
    await first.waitForConnection();
    await until(() => first.stats.acked === 1, 5000, 'first sample');
    first.simulateOutage();
    for (let i = 0; i < 50; i += 1) {
      clock.advance(5000);
      await first.tick();
    }
    const lastRunningHours = first.modelState?.counters.runningHours ?? 0;
    await first.stop();
    expect(samplesOf(seen).samples).toHaveLength(1);

    clock.advance(5000);
    const second = agent({ clock: clock.now });
    await second.start();
    expect(second.stats.pending).toBeGreaterThanOrEqual(51);
    await until(() => samplesOf(seen).samples.length === 52, 10_000, 'replayed samples');
    const { samples } = samplesOf(seen);
    expect(samples.map((s) => s.ts)).toEqual(Array.from({ length: 52 }, (_, i) => T0 + i * 5000));
    // Counters came back from the saved state: they continue, never restart.
    const resumed = samples.at(-1) as Telemetry;
    expect(resumed.seq).toBe(0); // a new boot
    expect(resumed.metrics.runningHours).toBeGreaterThanOrEqual(lastRunningHours - 1e-3);
  });

  it('an entry leaves the queue only after its PUBACK', async () => {
    await broker.close();
    let holding = true;
    let onTheWire = 0;
    broker = await startTestBroker({
      hold: (topic) => {
        if (topic !== telemetryTopic(ID)) return false;
        onTheWire += 1;
        return holding;
      },
    });
    const clock = manualClock();
    const first = agent({ clock: clock.now });
    await first.start();
    await first.waitForConnection();
    for (let i = 0; i < 5; i += 1) {
      clock.advance(5000);
      await first.tick();
    }
    // The first sample is on the wire but unacknowledged: nothing has left the queue.
    await until(() => onTheWire === 1, 5000, 'first publish on the wire');
    expect(first.stats).toMatchObject({ queued: 6, acked: 0, pending: 6 });
    await first.stop({ sendOffline: false });

    holding = false;
    clock.advance(5000);
    const second = agent({ clock: clock.now });
    await second.start();
    await until(() => second.stats.pending === 0, 10_000, 'replay after restart');
    const ts = new Set(samplesOf(broker.received).samples.map((s) => s.ts));
    for (let i = 0; i <= 6; i += 1) expect(ts.has(T0 + i * 5000)).toBe(true);
  });

  it('survives malformed judgments (rejecting the one with an id) and hands valid ones to the hook', async () => {
    const received: Judgment[] = [];
    const clock = manualClock();
    const seen = await watch([telemetryTopic(ID), acksTopic(ID)]);
    const a = agent({ clock: clock.now, onJudgment: (j) => received.push(j) });
    await a.start();
    await a.waitForConnection();
    const cloud = await observe(broker.url, ['nothing/here']);
    closers.push(() => cloud.client.endAsync());
    await until(() => samplesOf(seen).samples.length === 1, 5000, 'first sample');
    await cloud.client.publishAsync(judgmentsTopic(ID), 'not json at all', { qos: 1 });
    await cloud.client.publishAsync(judgmentsTopic(ID), JSON.stringify({ id: 'j1', kind: 'derate', params: 'nope' }), { qos: 1 });
    const valid: Judgment = {
      id: 'j2',
      ts: T0,
      kind: 'setpoint_advice',
      severity: 'info',
      reason: 'band can be lowered by 0.3 bar',
      expiresAt: T0 + 86_400_000,
      params: { loadBar: 6.2, unloadBar: 7.2, expectedSavingPct: 2 },
    };
    await cloud.client.publishAsync(judgmentsTopic(ID), JSON.stringify(valid), { qos: 1 });
    await until(() => received.length === 1, 5000, 'valid judgment');
    expect(received[0]).toEqual(valid);
    expect(a.stats).toMatchObject({ judgments: 1, judgmentsRejected: 2 });
    await until(() => seen.filter((m) => m.topic === acksTopic(ID)).length === 2, 5000, 'two acks');
    const acks = seen.filter((m) => m.topic === acksTopic(ID)).map((m) => JSON.parse(m.payload) as { judgmentId: string; result: string; reason: string });
    expect(acks.find((x) => x.judgmentId === 'j1')).toMatchObject({ result: 'rejected', reason: expect.stringMatching(/^invalid judgment: /) });
    expect(acks.find((x) => x.judgmentId === 'j2')).toMatchObject({ result: 'applied' });
    // Still alive and publishing.
    clock.advance(5000);
    await a.tick();
    await until(() => samplesOf(seen).samples.length === 2, 5000, 'telemetry after bad judgments');
  });

  it('trips locally with no cloud involved and publishes the trip, but not every load/unload', async () => {
    const clock = manualClock();
    const seen = await watch([eventsTopic(ID), telemetryTopic(ID)]);
    const a = agent({ clock: clock.now, ambientC: 68 });
    await a.start();
    await a.waitForConnection();
    for (let i = 0; i < 120 && a.modelState?.state !== 'tripped'; i += 1) {
      clock.advance(60_000);
      await a.tick();
    }
    expect(a.modelState?.state).toBe('tripped');
    await until(() => seen.some((m) => m.topic === eventsTopic(ID) && m.payload.includes('ADT_HIGH_TRIP')), 5000, 'trip event');
    const events = seen.filter((m) => m.topic === eventsTopic(ID)).map((m) => deviceEventSchema.parse(JSON.parse(m.payload)));
    expect(events.find((e) => e.type === 'trip')).toMatchObject({ code: 'ADT_HIGH_TRIP' });
    expect(events.some((e) => e.type === 'load' || e.type === 'unload')).toBe(false);
    await until(() => samplesOf(seen).samples.at(-1)?.state === 'tripped', 5000, 'tripped telemetry');
  });
});
