import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '@airfleet/contracts';
import { buildTestApp, insertTelemetry, loginCookie, seedPlatformFixtures, type PlatformFixtures, type TestApp } from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';

let db: TestDatabase;
let fx: PlatformFixtures;
let t: TestApp;
let cookie: string;

/** A minute-aligned origin far from the fixtures' own samples (which sit at "now"). */
const T0 = Date.parse('2025-01-01T00:00:00Z');
/** An unaligned origin for the ≤ maxPoints check. */
const T1 = Date.parse('2025-02-01T00:00:00.500Z');

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedPlatformFixtures(db.pool);
  t = await buildTestApp(db.pool, { clock: () => fx.telemetryEndMs + 1 });
  cookie = await loginCookie(t.app, fx.users.operator.email);

  // Hand-made rows on the device that has none of its own (float4-exact values).
  await insertTelemetry(db.pool, 'FX-ACME-002', [
    { ts: T0 - 1, metrics: { pressureBar: 100 } }, // before `from`: excluded
    { ts: T0, metrics: { pressureBar: 7, elementTempC: 80, motorStarts: 10 } },
    { ts: T0 + 1_000, metrics: { pressureBar: 8, elementTempC: 84, motorStarts: 11 } },
    { ts: T0 + 9_999, metrics: { pressureBar: 6, elementTempC: 82, motorStarts: 12 } },
    { ts: T0 + 10_000, metrics: { pressureBar: 7.5 } }, // elementTempC absent in this bucket
    { ts: T0 + 50_000, metrics: { pressureBar: 9, motorStarts: 100 } },
    { ts: T0 + 59_999, metrics: { pressureBar: 6.5, motorStarts: 102 } },
    { ts: T0 + 60_000, metrics: { pressureBar: 100 } }, // at `to`: excluded (half-open range)
  ]);
  // One sample per second for 500 s from an unaligned start.
  await insertTelemetry(
    db.pool,
    'FX-ACME-002',
    Array.from({ length: 500 }, (_, i) => ({ ts: T1 + i * 1000, seq: 1000 + i, metrics: { powerKw: i % 10 } })),
  );
});
afterAll(async () => {
  await t?.app.close();
  await db?.drop();
});

const telemetry = (query: string, device = 'FX-ACME-002') => t.app.inject({ method: 'GET', url: `/api/devices/${device}/telemetry?${query}`, headers: { cookie } });

describe('GET /api/devices/{id}/telemetry', () => {
  it('buckets on the server: avg/min/max and count per bucket, empty buckets omitted', async () => {
    const res = await telemetry(`from=${T0}&to=${T0 + 60_000}&maxPoints=6&metrics=pressureBar,elementTempC,motorStarts`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // 60 s in ≤ 6 buckets: 10 s is the smallest nice width (5 s would need 12).
    expect(body).toMatchObject({ deviceId: 'FX-ACME-002', from: T0, to: T0 + 60_000, bucketMs: 10_000 });
    expect(body.t).toEqual([T0, T0 + 10_000, T0 + 50_000]);
    expect(body.count).toEqual([3, 1, 2]);
    expect(Object.keys(body.series).sort()).toEqual(['elementTempC', 'motorStarts', 'pressureBar']);
    expect(body.series.pressureBar).toEqual({ avg: [7, 7.5, 7.75], min: [6, 7.5, 6.5], max: [8, 7.5, 9] });
    expect(body.series.elementTempC).toEqual({ avg: [82, null, null], min: [80, null, null], max: [84, null, null] });
    expect(body.series.motorStarts).toEqual({ avg: [11, null, 101], min: [10, null, 100], max: [12, null, 102] });
  });

  it('never answers more than maxPoints buckets, even from an unaligned start', async () => {
    const from = T1;
    const to = T1 + 500_000;
    const res = await telemetry(`from=${from}&to=${to}&maxPoints=500&metrics=powerKw`);
    const body = res.json();
    // 1 s buckets would touch 501 epoch-aligned buckets; the next nice width is 2 s.
    expect(body.bucketMs).toBe(2_000);
    expect(body.t.length).toBeLessThanOrEqual(500);
    // The range touches 251 buckets; the last one, [T1+499.5 s, T1+501.5 s), holds no sample.
    expect(body.t).toHaveLength(250);
    expect(body.count.reduce((a: number, b: number) => a + b, 0)).toBe(500);
    for (const t0 of body.t) expect(t0 % 2_000).toBe(0);
    for (const maxPoints of [1, 7, 50, 499]) {
      const b = (await telemetry(`from=${from}&to=${to}&maxPoints=${maxPoints}&metrics=powerKw`)).json();
      expect(b.t.length).toBeLessThanOrEqual(maxPoints);
      expect(b.count.reduce((a: number, c: number) => a + c, 0)).toBe(500);
    }
  });

  it('defaults to the last 24 h, every metric and 500 points', async () => {
    const res = await telemetry('', 'FX-ACME-001');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const now = fx.telemetryEndMs + 1;
    expect(body).toMatchObject({ from: now - 86_400_000, to: now, bucketMs: 300_000 });
    expect(Object.keys(body.series).sort()).toEqual([...METRIC_KEYS].sort());
    expect(body.count.reduce((a: number, b: number) => a + b, 0)).toBe(fx.telemetrySamplesPerDevice);
    expect(body.t.length).toBeLessThanOrEqual(500);
  });

  it('accepts ISO 8601 instants', async () => {
    const res = await telemetry(`from=${new Date(T0).toISOString()}&to=${new Date(T0 + 60_000).toISOString()}&maxPoints=6&metrics=pressureBar`);
    expect(res.statusCode).toBe(200);
    expect(res.json().count).toEqual([3, 1, 2]);
  });

  it('answers an empty series for a range without data', async () => {
    const body = (await telemetry(`from=${T0 - 3_600_000}&to=${T0 - 60_000}&metrics=pressureBar`)).json();
    expect(body).toMatchObject({ t: [], count: [], series: { pressureBar: { avg: [], min: [], max: [] } } });
  });

  it('refuses unknown metrics, from ≥ to and a bad maxPoints with VALIDATION_FAILED', async () => {
    for (const query of ['metrics=pressureBar,colour', `from=${T0}&to=${T0}`, 'maxPoints=0', 'from=yesterday', `from=${fx.telemetryEndMs + 86_400_000}`]) {
      const res = await telemetry(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
      expect(res.json().details.length, query).toBeGreaterThan(0);
    }
  });

  it('404 for an unknown device', async () => {
    expect((await telemetry('', 'FX-MISSING-1')).statusCode).toBe(404);
  });
});
