import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deviceEventSchema, eventsTopic, telemetryMessageSchema, telemetryTopic, type DeviceEvent, type Telemetry } from '@airfleet/contracts';
import { createLogger } from '@airfleet/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBroker, until, type TestBroker } from '../agent/broker.test-support.ts';
import { acceleratedClock, runAcceleratedDevice, type AcceleratedDevice } from './accelerated.runner.ts';

const T0 = Date.UTC(2025, 10, 17, 9);
const HOUR = 3_600_000;
const ID = 'AF37-000904';

let broker: TestBroker;
let queueDir: string;
let running: AcceleratedDevice | null = null;

beforeEach(async () => {
  broker = await startTestBroker();
  queueDir = await mkdtemp(path.join(tmpdir(), 'airfleet-accel-'));
});
afterEach(async () => {
  await running?.stop({ sendOffline: false });
  running = null;
  await broker.close();
  await rm(queueDir, { recursive: true, force: true });
});

function received(): { samples: Telemetry[]; events: DeviceEvent[] } {
  const samples: Telemetry[] = [];
  const events: DeviceEvent[] = [];
  for (const m of broker.received) {
    if (m.topic === telemetryTopic(ID)) {
      const p = telemetryMessageSchema.parse(JSON.parse(m.payload));
      samples.push(...(Array.isArray(p) ? p : [p]));
    } else if (m.topic === eventsTopic(ID)) events.push(deviceEventSchema.parse(JSON.parse(m.payload)));
  }
  return { samples, events };
}

describe('accelerated device', () => {
  it('acceleratedClock runs from startMs at the given speed', () => {
    let real = 1000;
    const clock = acceleratedClock(T0, 3600, () => real);
    expect(clock()).toBe(T0);
    real += 250;
    expect(clock()).toBe(T0 + 900_000);
    expect(() => acceleratedClock(T0, 0)).toThrow(/speed/);
  });

  it('runs hours of device time through real MQTT: samples on the device-time grid, a fault trip in device time, replay intact', async () => {
    const trips: DeviceEvent[] = [];
    running = await runAcceleratedDevice({
      deviceId: ID,
      token: 't',
      modelId: 'AF37',
      seed: 904,
      mqttUrl: broker.url,
      queueDir,
      startMs: T0,
      speed: 4 * 3600, // four simulated hours per real second
      intervalMs: 60_000,
      ambientC: 30,
      reconnectPeriodMs: 20,
      log: createLogger('test', { level: 'silent' }),
      faults: [{ kind: 'cooler_fouling', onsetMs: T0 + HOUR, severity: 1, developHours: 1 }],
      onEvent: (e) => {
        if (e.type === 'trip') trips.push(e);
      },
    });
    const { agent } = running;
    await running.waitUntil(T0 + 2 * HOUR, 60_000);
    // The platform vanishes for a while (device time keeps running), then comes back.
    await broker.goDown();
    await running.waitUntil(T0 + 4 * HOUR, 60_000);
    await broker.comeBack();
    await running.waitUntil(T0 + 6 * HOUR, 60_000);
    const taken = agent.stats.seq;
    await until(() => agent.stats.acked >= taken && agent.stats.outboxPending === 0, 30_000, 'backlog acknowledged');
    await agent.stop({ sendOffline: false });
    running = null;

    // Everything taken arrived (a resend after the outage may repeat one; the platform dedupes by ts).
    const { samples, events } = received();
    const unique = new Map(samples.map((s) => [s.seq, s]));
    const ordered = [...unique.values()].sort((x, y) => x.seq - y.seq);
    expect(ordered.slice(0, taken).map((s) => s.seq)).toEqual(Array.from({ length: taken }, (_, i) => i));
    for (let i = 1; i < ordered.length; i += 1) expect((ordered[i] as Telemetry).ts - (ordered[i - 1] as Telemetry).ts).toBe(60_000);
    expect(ordered[0]?.ts).toBeLessThan(T0 + 30 * 60_000);
    expect(ordered.at(-1)?.ts).toBeGreaterThanOrEqual(T0 + 6 * HOUR - 60_000);
    // The fouled cooler tripped the machine in device time, and the cloud heard of it.
    expect(trips).toHaveLength(1);
    expect(trips[0]?.ts).toBeGreaterThan(T0 + HOUR);
    expect(trips[0]?.ts).toBeLessThan(T0 + 4 * HOUR);
    expect(events.filter((e) => e.type === 'trip')).toEqual([expect.objectContaining({ code: 'ADT_HIGH_TRIP', ts: trips[0]?.ts })]);
    expect(ordered.at(-1)?.state).toBe('tripped');
  }, 120_000);
});
