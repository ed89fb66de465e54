import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterCountsResponseSchema, deadLettersResponseSchema, telemetryTopic, eventsTopic } from '@airfleet/contracts';
import type { MqttClient } from 'mqtt';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

describe('bad payloads become dead letters with the right reason, and the service keeps serving', () => {
  let sys: System;
  let device: MqttClient;
  let id: string;
  const now = Date.now();
  const good = (seq: number, over: object = {}) => JSON.stringify({ ts: now - 60_000 + seq, seq, state: 'loaded', metrics: { pressureBar: 7 }, ...over });

  const cases: Array<[string, string | Buffer, string]> = [
    ['malformed JSON', '{"ts": 17638', 'malformed_json'],
    ['NaN', `{"ts":${now},"seq":1,"state":"loaded","metrics":{"pressureBar":NaN}}`, 'non_finite_number'],
    ['out-of-range value', good(2, { metrics: { elementTempC: 999 } }), 'out_of_range'],
    ['oversized payload (just above 64 KiB: larger packets close the connection)', Buffer.alloc(64 * 1024 + 1, 0x7b), 'payload_too_large'],
    ['timestamp 8 days old', good(4, { ts: now - 8 * 86_400_000 }), 'ts_too_old'],
    ['timestamp 1 hour ahead', good(5, { ts: now + 3_600_000 }), 'ts_in_future'],
    ['wrong type', good(6, { state: 42 }), 'schema_invalid'],
  ];

  beforeAll(async () => {
    sys = await startSystem();
    id = sys.devices[1]!.id;
    device = await connectDevice(sys.mqttPort, id, sys.devices[1]!.token);
  });
  afterAll(async () => {
    await device?.endAsync();
    await sys?.close();
  });

  it.each(cases)('%s → dead letter "%s"', async (_name, payload, reason) => {
    const before = await counterValue(sys.registry, 'airfleet_dead_letters_total', { reason });
    await publishAsync(device, telemetryTopic(id), payload);
    const row = await waitFor(
      async () => (await sys.pool.query('SELECT * FROM dead_letters WHERE device_id = $1 AND reason = $2', [id, reason])).rows[0],
      `dead letter ${reason}`,
    );
    expect(row.topic).toBe(telemetryTopic(id));
    expect(row.payload_bytes).toBe(Buffer.byteLength(payload));
    expect(row.detail.length).toBeGreaterThan(0);
    expect(await counterValue(sys.registry, 'airfleet_dead_letters_total', { reason })).toBe(before + 1);
  });

  it('stored none of the bad samples, still stores good ones and still answers HTTP', async () => {
    await publishAsync(device, telemetryTopic(id), good(100));
    await waitFor(async () => (await sys.pool.query('SELECT 1 FROM telemetry WHERE device_id = $1 AND seq = 100', [id])).rowCount, 'good sample stored');
    const { rows } = await sys.pool.query('SELECT seq FROM telemetry WHERE device_id = $1', [id]);
    expect(rows.map((r) => Number(r.seq))).toEqual([100]);
    expect((await sys.api('/healthz')).status).toBe(200);
    expect((await sys.api('/readyz')).status).toBe(200);
  });

  it('dead-letters a bad event too, and admins can list dead letters over the API', async () => {
    await publishAsync(device, eventsTopic(id), JSON.stringify({ ts: now, type: 'meltdown' }));
    await waitFor(async () => (await sys.pool.query(`SELECT 1 FROM dead_letters WHERE topic = $1`, [eventsTopic(id)])).rowCount, 'event dead letter');
    const admin = await sys.login('admin@airfleet.example');
    const res = await sys.api(`/api/dead-letters?deviceId=${id}&limit=100`, admin);
    expect(res.status).toBe(200);
    const body = deadLettersResponseSchema.parse(await res.json());
    const reasons = new Set(body.items.map((d) => d.reason));
    for (const [, , reason] of cases) expect(reasons).toContain(reason);
    // Every one is also counted per device and reason; far below the sampling limit, all were stored.
    const counted = await sys.api(`/api/dead-letters/counts?deviceId=${id}&hours=1`, admin);
    expect(counted.status).toBe(200);
    const counts = deadLetterCountsResponseSchema.parse(await counted.json());
    for (const reason of reasons) {
      const n = body.items.filter((d) => d.reason === reason).length;
      expect(counts.items.find((c) => c.reason === reason)).toMatchObject({ deviceId: id, received: n, kept: n, dropped: 0 });
    }
    expect(counts.totals).toEqual({ received: body.total, kept: body.total, dropped: 0 });
    const operator = await sys.login('operator@airfleet.example');
    expect((await sys.api('/api/dead-letters', operator)).status).toBe(403);
    expect((await sys.api('/api/dead-letters/counts', operator)).status).toBe(403);
  });
});
