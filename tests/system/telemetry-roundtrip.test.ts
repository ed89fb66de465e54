import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceSchema, telemetryTopic, statusTopic, telemetrySeriesSchema } from '@airfleet/contracts';
import type { MqttClient } from 'mqtt';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

describe('telemetry: device → gateway → ingest → PostgreSQL → HTTP API', () => {
  let sys: System;
  let device: MqttClient;
  let cookie: string;
  const t0 = Date.now() - 10 * 60_000;
  // Known values so the bucket statistics can be checked exactly.
  const samples = Array.from({ length: 60 }, (_, i) => ({
    ts: t0 + i * 10_000,
    seq: i,
    state: i % 3 === 0 ? 'unloaded' : 'loaded',
    metrics: { pressureBar: 6.5 + (i % 10) / 10, elementTempC: 80 + i / 10, powerKw: i % 3 === 0 ? 10 : 40, dewPointC: 3 },
  }));

  beforeAll(async () => {
    sys = await startSystem();
    const d = sys.devices[0]!;
    device = await connectDevice(sys.mqttPort, d.id, d.token);
    cookie = await sys.login('operator@airfleet.example');
  });
  afterAll(async () => {
    await device?.endAsync();
    await sys?.close();
  });

  it('stores every sample once, with typed columns and extras', async () => {
    const id = sys.devices[0]!.id;
    await publishAsync(device, statusTopic(id), JSON.stringify({ online: true, ts: Date.now(), firmware: '1.0.0', model: 'AF37', telemetryIntervalMs: 10_000 }), 1, true);
    for (const s of samples) await publishAsync(device, telemetryTopic(id), JSON.stringify(s));
    await waitFor(async () => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [id])).rows[0].n === samples.length, 'all samples stored');
    const { rows } = await sys.pool.query(`SELECT seq, pressure_bar, power_kw, extras FROM telemetry WHERE device_id = $1 ORDER BY ts`, [id]);
    expect(rows.map((r) => r.seq)).toEqual(samples.map((s) => s.seq));
    expect(rows[5].pressure_bar).toBeCloseTo(7.0, 5);
    expect(rows[5].extras).toEqual({ dewPointC: 3 });
  });

  it('returns the latest values and online state through the API', async () => {
    const id = sys.devices[0]!.id;
    const res = await sys.api(`/api/devices/${id}`, cookie);
    expect(res.status).toBe(200);
    const device = deviceSchema.parse(await res.json());
    expect(device.online).toBe(true);
    expect(device.firmware).toBe('1.0.0');
    expect(device.latest!.seq).toBe(59);
    expect(device.latest!.metrics.pressureBar).toBeCloseTo(samples[59]!.metrics.pressureBar, 5);
  });

  it('buckets on the server: at most maxPoints buckets, avg/min/max per bucket', async () => {
    const id = sys.devices[0]!.id;
    const from = t0;
    const to = t0 + 600_000;
    const res = await sys.api(`/api/devices/${id}/telemetry?from=${from}&to=${to}&metrics=pressureBar,powerKw&maxPoints=6`, cookie);
    expect(res.status).toBe(200);
    const series = telemetrySeriesSchema.parse(await res.json());
    expect(series.t.length).toBeLessThanOrEqual(6);
    expect(series.count.reduce((a, b) => a + b, 0)).toBe(60);
    // Recompute each bucket from the samples we sent.
    series.t.forEach((start, b) => {
      const inBucket = samples.filter((s) => s.ts >= start && s.ts < start + series.bucketMs);
      const p = inBucket.map((s) => s.metrics.pressureBar);
      expect(series.count[b]).toBe(inBucket.length);
      expect(series.series.pressureBar!.min[b]).toBeCloseTo(Math.min(...p), 4);
      expect(series.series.pressureBar!.max[b]).toBeCloseTo(Math.max(...p), 4);
      expect(series.series.pressureBar!.avg[b]).toBeCloseTo(p.reduce((a, c) => a + c, 0) / p.length, 4);
    });
  });

  it('a duplicate delivery leaves one row and is counted as a duplicate', async () => {
    const id = sys.devices[0]!.id;
    const before = await counterValue(sys.registry, 'airfleet_ingest_duplicates_total');
    await publishAsync(device, telemetryTopic(id), JSON.stringify(samples[10]));
    await publishAsync(device, telemetryTopic(id), JSON.stringify([samples[11], samples[12]]));
    await waitFor(async () => (await counterValue(sys.registry, 'airfleet_ingest_duplicates_total')) - before >= 3, 'duplicates counted');
    const { rows } = await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [id]);
    expect(rows[0].n).toBe(60);
  });

  it('keeps device_latest on the newest sample when an older one arrives late', async () => {
    const id = sys.devices[0]!.id;
    const late = { ...samples[0]!, ts: t0 - 60_000, seq: 1000 };
    await publishAsync(device, telemetryTopic(id), JSON.stringify(late));
    await waitFor(async () => (await sys.pool.query('SELECT 1 FROM telemetry WHERE device_id = $1 AND seq = 1000', [id])).rowCount, 'late sample stored');
    const { rows } = await sys.pool.query('SELECT seq FROM device_latest WHERE device_id = $1', [id]);
    expect(rows[0].seq).toBe(59);
  });
});
