import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import {
  acksTopic,
  errorBodySchema,
  judgmentFeedbackSchema,
  judgmentSchema,
  judgmentsResponseSchema,
  judgmentsTopic,
  statusTopic,
  storedJudgmentSchema,
  telemetryTopic,
  type Judgment,
  type StoredJudgment,
} from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * A device emulated by a plain mqtt.js client: it subscribes to its judgments topic,
 * announces itself with a birth message, registers the last will, and acks by hand.
 */
class FakeDevice {
  received: Judgment[] = [];
  client: MqttClient | undefined;
  readonly sys: System;
  readonly spec: SeededDevice;
  constructor(sys: System, spec: SeededDevice) {
    this.sys = sys;
    this.spec = spec;
  }

  async connect(): Promise<void> {
    const id = this.spec.id;
    this.client = await connectDevice(this.sys.mqttPort, id, this.spec.token, {
      will: { topic: statusTopic(id), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    this.client.on('message', (_topic, payload) => this.received.push(judgmentSchema.parse(JSON.parse(payload.toString()))));
    // Protocol §7.4: subscribe, then the birth (the platform re-sends what is unanswered).
    await this.client.subscribeAsync(judgmentsTopic(id), { qos: 1 });
    await publishAsync(this.client, statusTopic(id), JSON.stringify({ online: true, ts: Date.now(), firmware: 'test', model: this.spec.modelId, telemetryIntervalMs: 10_000 }), 1, true);
  }

  /** Power loss: no DISCONNECT, so the broker publishes the last will. */
  async drop(): Promise<void> {
    const c = this.client!;
    this.client = undefined;
    await new Promise<void>((resolve) => {
      c.once('close', () => resolve());
      c.stream.destroy();
    });
    c.end(true);
  }

  async ack(judgmentId: string, result: 'applied' | 'rejected' | 'ignored', reason: string, ts = Date.now()): Promise<void> {
    await publishAsync(this.client!, acksTopic(this.spec.id), JSON.stringify({ judgmentId, ts, result, reason }));
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
  }

  times(id: string): number {
    return this.received.filter((j) => j.id === id).length;
  }
}

describe('judgments to devices over the real broker', () => {
  let sys: System;
  let operator: string;
  let service: string;
  const devices: FakeDevice[] = [];

  const device = (i: number): FakeDevice => {
    const d = new FakeDevice(sys, sys.devices[i]!);
    devices.push(d);
    return d;
  };
  const judgmentsOf = async (deviceId: string, cookie = operator): Promise<StoredJudgment[]> =>
    judgmentsResponseSchema.parse(await (await sys.api(`/api/devices/${deviceId}/judgments`, cookie)).json()).items;
  const stored = async (judgmentId: string): Promise<StoredJudgment> => storedJudgmentSchema.parse(await (await sys.api(`/api/judgments/${judgmentId}`, operator)).json());
  const create = async (deviceId: string, body: object, cookie = service): Promise<Response> =>
    sys.api(`/api/devices/${deviceId}/judgments`, cookie, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    sys = await startSystem();
    operator = await sys.login('operator@airfleet.example');
    service = await sys.login('service@airfleet.example');
  });
  afterAll(async () => {
    for (const d of devices) await d.close().catch(() => undefined);
    await sys?.close();
  });

  it('a rule judgment goes out and comes back applied: pending → sent → applied', async () => {
    const d = device(0);
    await d.connect();
    // ADT above its 110 °C warning for 70 s of event time: the rule derates the machine.
    const base = Date.now() - 5 * 60_000;
    const samples = Array.from({ length: 8 }, (_, i) => ({ ts: base + i * 10_000, seq: i, state: 'loaded', metrics: { elementTempC: 114, ambientTempC: 30 } }));
    await publishAsync(d.client!, telemetryTopic(d.spec.id), JSON.stringify(samples));
    const derate = await waitFor(() => d.received.find((j) => j.kind === 'derate'), 'derate judgment on the device');
    expect(derate).toMatchObject({ kind: 'derate', params: { maxLoadedDutyPct: 70 }, ts: base + 60_000 });
    expect(derate.expiresAt).toBeGreaterThan(derate.ts);
    await waitFor(async () => (await stored(derate.id)).status === 'sent', 'status sent after the publish');

    await d.ack(derate.id, 'applied', 'loaded duty limited to 70 %');
    const done = await waitFor(async () => {
      const s = await stored(derate.id);
      return s.status === 'applied' ? s : undefined;
    }, 'status applied after the ack');
    expect(done.ack).toMatchObject({ result: 'applied', reason: 'loaded duty limited to 70 %' });
    expect(done.sendCount).toBe(1);
    expect(done.source).toBe('rule');
    // The raw ack is kept too (ingest's device_acks).
    const { rows } = await sys.pool.query('SELECT result FROM device_acks WHERE judgment_id = $1', [derate.id]);
    expect(rows).toEqual([{ result: 'applied' }]);
    expect(await counterValue(sys.registry, 'airfleet_judgments_total', { kind: 'derate', status: 'applied' })).toBeGreaterThanOrEqual(1);
  });

  it('an unsafe set point is rejected by the device and its reason is stored', async () => {
    const d = device(1);
    await d.connect();
    const res = await create(d.spec.id, { kind: 'setpoint_advice', params: { loadBar: 7.5, unloadBar: 9.5, expectedSavingPct: 0 }, reason: 'try a higher band' });
    expect(res.status).toBe(201);
    const created = storedJudgmentSchema.parse(await res.json());
    expect(created.source).toBe('manual');
    expect(created.createdBy?.name).toBe('Sam Service');
    const j = await waitFor(() => d.received.find((x) => x.id === created.judgment.id), 'set point on the device');
    await d.ack(j.id, 'rejected', 'unloadBar 9.5 bar above the model maximum 8.0 bar');
    const s = await waitFor(async () => {
      const x = await stored(j.id);
      return x.status === 'rejected' ? x : undefined;
    }, 'status rejected');
    expect(s.ack).toMatchObject({ result: 'rejected', reason: 'unloadBar 9.5 bar above the model maximum 8.0 bar' });
  });

  it('an unanswered judgment is re-sent when the device reconnects', async () => {
    const d = device(2);
    await d.connect();
    const created = storedJudgmentSchema.parse(
      await (await create(d.spec.id, { kind: 'maintenance_due', params: { level: 'A', dueInHours: 50, dueInDays: 4 }, reason: 'service A soon' })).json(),
    );
    const id = created.judgment.id;
    await waitFor(() => d.times(id) === 1, 'first delivery');
    await d.drop();
    await waitFor(async () => (await sys.pool.query('SELECT online FROM device_status WHERE device_id = $1', [d.spec.id])).rows[0]?.online === false, 'last will stored');

    await d.connect();
    await waitFor(() => d.times(id) === 2, 're-sent after the birth message');
    // The node records the send after the broker wrote it: the device may see it first.
    await waitFor(async () => (await stored(id)).sendCount === 2, 'the re-send recorded');
    await d.ack(id, 'applied', 'shown on display');
    await waitFor(async () => (await stored(id)).status === 'applied', 'applied after the re-send');
  });

  it('an expired judgment is marked expired, never re-sent, and a late "ignored" does not revive it', async () => {
    const d = device(3);
    // The device is away: the publish reaches the broker but nobody receives it.
    const expiring = storedJudgmentSchema.parse(
      await (await create(d.spec.id, { kind: 'inspect', params: { check: 'manual', value: 1, peerMedian: 1, percentile: 50, peers: 0 }, reason: 'look at it', expiresInHours: 0.0005 })).json(),
    );
    const lasting = storedJudgmentSchema.parse(
      await (await create(d.spec.id, { kind: 'maintenance_due', params: { level: 'B', dueInHours: 80, dueInDays: 6 }, reason: 'service B soon', expiresInHours: 1 })).json(),
    );
    const swept = await sys.rules.sweep(Date.now() + 5000);
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect((await stored(expiring.judgment.id)).status).toBe('expired');

    await d.connect();
    // Positive control: the valid one arrives after the birth message; the expired one never does.
    await waitFor(() => d.times(lasting.judgment.id) === 1, 'the unexpired judgment re-sent on reconnect');
    expect(d.times(expiring.judgment.id)).toBe(0);

    await d.ack(expiring.judgment.id, 'ignored', 'expired');
    await waitFor(async () => (await stored(expiring.judgment.id)).ack !== null, 'ack recorded');
    expect((await stored(expiring.judgment.id)).status).toBe('expired');
  });

  it('a device answer after expiry never counts as applied', async () => {
    const d = device(4);
    await d.connect();
    const created = storedJudgmentSchema.parse(
      await (await create(d.spec.id, { kind: 'inspect', params: { check: 'manual', value: 2, peerMedian: 1, percentile: 90, peers: 5 }, reason: 'check', expiresInHours: 0.0005 })).json(),
    );
    await waitFor(() => d.times(created.judgment.id) === 1, 'delivered');
    await sys.rules.sweep(Date.now() + 5000);
    await d.ack(created.judgment.id, 'applied', 'applied late', created.judgment.expiresAt + 60_000);
    await waitFor(async () => (await stored(created.judgment.id)).ack !== null, 'ack recorded');
    expect((await stored(created.judgment.id)).status).toBe('expired');
  });

  it('only admin and service make judgments by hand; params are checked against the kind', async () => {
    const id = sys.devices[5]!.id;
    const body = { kind: 'service_reset', params: { level: 'A', workOrderId: 'WO-1' }, reason: 'service A done' };
    expect((await create(id, body, operator)).status).toBe(403);
    expect((await create(id, body, await sys.login('buyer@northwind.example'))).status).toBe(403);
    const bad = await create(id, { ...body, params: { level: 'Z' } });
    expect(bad.status).toBe(400);
    expect(errorBodySchema.parse(await bad.json()).code).toBe('VALIDATION_FAILED');
    expect((await create(id, body, await sys.login('admin@airfleet.example'))).status).toBe(201);
    // A service_reset records the service for the level and the ones it includes.
    const { rows } = await sys.pool.query(`SELECT level, source FROM device_service WHERE device_id = $1 ORDER BY level`, [id]);
    expect(rows).toEqual([
      { level: 'A', source: 'service' },
      { level: 'first', source: 'service' },
    ]);
  });

  it('one open judgment per device and kind: a new one supersedes the open one', async () => {
    const id = sys.devices[6]!.id;
    const first = storedJudgmentSchema.parse(await (await create(id, { kind: 'derate', params: { maxLoadedDutyPct: 60 }, reason: 'hot' })).json());
    const second = storedJudgmentSchema.parse(await (await create(id, { kind: 'derate', params: { maxLoadedDutyPct: 100 }, reason: 'cool again' })).json());
    expect((await stored(first.judgment.id)).status).toBe('expired');
    expect((await stored(first.judgment.id)).statusReason).toBe('superseded');
    // Made on the platform while the device is away: pending. Once it connects, the gateway node
    // holding it sends the standing judgment (and never the superseded one).
    expect((await stored(second.judgment.id)).status).toBe('pending');
    const d = device(6);
    await d.connect();
    await waitFor(async () => (await stored(second.judgment.id)).status !== 'pending', 'the new judgment sent to its device');
    await waitFor(() => d.received.some((j) => j.id === second.judgment.id), 'the device got it');
    expect(d.received.map((j) => j.id)).not.toContain(first.judgment.id);
  });

  it('people rate judgments: one rating per person, updatable; other customers see nothing', async () => {
    const d = sys.devices[0]!;
    const [j] = await judgmentsOf(d.id);
    const buyer = await sys.login(d.customerId === 'northwind' ? 'buyer@northwind.example' : d.customerId === 'lakeside' ? 'buyer@lakeside.example' : 'buyer@huadong.example');
    const rate = (cookie: string, body: object) => sys.api(`/api/judgments/${j!.judgment.id}/feedback`, cookie, { method: 'POST', body: JSON.stringify(body) });
    expect(judgmentFeedbackSchema.parse(await (await rate(buyer, { useful: false })).json())).toMatchObject({ useful: false, comment: null });
    expect(judgmentFeedbackSchema.parse(await (await rate(buyer, { useful: true, comment: 'spot on' })).json())).toMatchObject({ useful: true, comment: 'spot on' });
    await rate(operator, { useful: true });
    const mine = (await judgmentsOf(d.id, buyer)).find((x) => x.judgment.id === j!.judgment.id)!;
    expect(mine.feedback).toEqual({ useful: 2, notUseful: 0, mine: { useful: true, comment: 'spot on' } });

    const stranger = await sys.login(d.customerId === 'huadong' ? 'buyer@lakeside.example' : 'buyer@huadong.example');
    expect((await rate(stranger, { useful: false })).status).toBe(404);
    expect((await sys.api(`/api/devices/${d.id}/judgments`, stranger)).status).toBe(404);
  });
});
