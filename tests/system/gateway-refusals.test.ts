import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgmentsTopic, telemetryTopic } from '@airfleet/contracts';
import { connectClient, connectDevice, connectRefusal, publishAsync } from '../support/mqtt-clients.ts';
import { SERVICE_USERNAME, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

describe('the gateway refuses what a device may not do, and nothing of it is stored', () => {
  let sys: System;
  const sample = (seq: number) => JSON.stringify({ ts: Date.now() - 1000 + seq, seq, state: 'loaded', metrics: { pressureBar: 7 } });

  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => sys?.close());

  /** Ingest handles messages in order: once this lands, anything published before it has been judged. */
  async function barrier(seq: number): Promise<void> {
    const d = sys.devices[5]!;
    const c = await connectDevice(sys.mqttPort, d.id, d.token);
    await publishAsync(c, telemetryTopic(d.id), sample(seq));
    await waitFor(async () => (await sys.pool.query('SELECT 1 FROM telemetry WHERE device_id = $1 AND seq = $2', [d.id, seq])).rowCount, 'barrier sample');
    await c.endAsync();
  }

  async function storedFor(deviceId: string): Promise<number> {
    const { rows } = await sys.pool.query(
      `SELECT (SELECT count(*) FROM telemetry WHERE device_id = $1) + (SELECT count(*) FROM device_status WHERE device_id = $1) AS n`,
      [deviceId],
    );
    return Number(rows[0].n);
  }

  it('refuses a wrong token (4), an unknown device (4) and a client id that differs from the username (4)', async () => {
    const [a, b] = sys.devices;
    expect(await connectRefusal(sys.mqttPort, { clientId: a!.id, username: a!.id, password: 'not-the-token' })).toBe(4);
    expect(await connectRefusal(sys.mqttPort, { clientId: 'AF37-999999', username: 'AF37-999999', password: a!.token })).toBe(4);
    expect(await connectRefusal(sys.mqttPort, { clientId: b!.id, username: a!.id, password: a!.token })).toBe(4);
    await barrier(1);
    expect(await storedFor(a!.id)).toBe(0);
    expect(await storedFor(b!.id)).toBe(0);
  });

  it.each(['AF37+1', 'AF37#1', 'AF37/1', 'v1/devices/+'])('refuses the id %s', async (bad) => {
    const code = await connectRefusal(sys.mqttPort, { clientId: bad, username: bad, password: 'x' });
    expect([2, 4]).toContain(code);
  });

  it('refuses a disabled device (5)', async () => {
    const d = sys.devices[2]!;
    await sys.pool.query('UPDATE devices SET enabled = false WHERE id = $1', [d.id]);
    try {
      expect(await connectRefusal(sys.mqttPort, { clientId: d.id, username: d.id, password: d.token })).toBe(5);
    } finally {
      await sys.pool.query('UPDATE devices SET enabled = true WHERE id = $1', [d.id]);
    }
  });

  it("closes device A's connection when it publishes on device B's topic; B gets nothing stored", async () => {
    const [a, b] = [sys.devices[3]!, sys.devices[4]!];
    const client = await connectDevice(sys.mqttPort, a.id, a.token);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(telemetryTopic(b.id), sample(7), { qos: 1 });
    await closed;
    client.end(true);
    await barrier(2);
    expect(await storedFor(b.id)).toBe(0);
    expect(await storedFor(a.id)).toBe(0);
  });

  it("refuses a subscription to another device's judgments (SUBACK 128) and never delivers them", async () => {
    const [a, b] = [sys.devices[6]!, sys.devices[7]!];
    const spy = await connectDevice(sys.mqttPort, a.id, a.token);
    const received: string[] = [];
    spy.on('message', (topic) => received.push(topic));
    // mqtt.js rejects a SUBACK carrying 128 (§3.9.3); the packet rides on the error.
    const refusal = await spy.subscribeAsync(judgmentsTopic(b.id), { qos: 1 }).then(
      () => undefined,
      (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
    );
    expect(refusal).toEqual([128]);
    const own = await spy.subscribeAsync(judgmentsTopic(a.id), { qos: 1 });
    expect(own[0]!.qos).toBe(1);

    const service = await connectClient(sys.mqttPort, { clientId: 'test-service', username: SERVICE_USERNAME, password: sys.servicePassword });
    const judgment = (id: string) => JSON.stringify({ id, ts: Date.now(), kind: 'shutdown_request', severity: 'critical', reason: 'test', params: {}, expiresAt: Date.now() + 60_000 });
    await publishAsync(service, judgmentsTopic(b.id), judgment('for-b'));
    await publishAsync(service, judgmentsTopic(a.id), judgment('for-a'));
    await waitFor(() => received.length > 0, 'own judgment delivered');
    expect(received).toEqual([judgmentsTopic(a.id)]);
    await service.endAsync();
    await spy.endAsync();
  });
});
