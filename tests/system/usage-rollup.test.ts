import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageResponseSchema, type UsageFigures } from '@airfleet/contracts';
import { createLogger } from '@airfleet/runtime';
import { writeBatch, type IngestBatch } from '../../services/platform/src/ingest/ingest-store.repository.ts';
import { createUsageRollupMaintenance, usageServiceOn } from '../../services/platform/src/usage/customer.feature.ts';
import { localDateToUtc } from '../../services/platform/src/usage/local-time.domain.ts';
import { computeUsage, gapCapForInterval, type UsageSample, type UsageSums } from '../../services/platform/src/usage/usage.domain.ts';
import { buildTestApp, loginCookie, seedPlatformFixtures, type PlatformFixtures } from '../support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import type { App } from '../../services/platform/src/http/app.ts';

/**
 * Long usage reports: the gap cap follows each machine's reporting interval, and the daily
 * rollup answers exactly what raw integration answers (London site, across the DST change).
 *
 * FX-R5 reports every 5 minutes (birth message: 300 000 ms), 40 kW and 6 m³/min, loaded, from
 * Thu 2026-10-01 to Sat 2026-10-31 local. The 30 days 2026-10-01 … 2026-10-30 hold 30 × 24 + 1 h
 * (the DST day has 25 h) = 721 h: 40 kW × 721 h = 28 840 kWh, 6 × 60 × 721 = 259 560 m³.
 * FX-R1 and FX-R2 report every 60 s with varied power, a 5-hour outage, a replaced controller and
 * unloaded stretches: the reference is the domain integration of their raw samples.
 */
const TZ = 'Europe/London';
const CLOCK = Date.UTC(2026, 10, 20);

describe('usage reports over long ranges', () => {
  let db: TestDatabase;
  let app: App;
  let fx: PlatformFixtures;
  let cookie: string;
  const oct1 = localDateToUtc('2026-10-01', TZ);

  beforeAll(async () => {
    db = await createTestDatabase();
    fx = await seedPlatformFixtures(db.pool, { now: Date.UTC(2026, 0, 10) });
    await db.pool.query(`INSERT INTO sites (id, customer_id, name, city, country, region, timezone) VALUES ('fx-acme-ldn', 'fx-acme', 'London works', 'London', 'GB', 'EMEA', $1)`, [TZ]);
    await db.pool.query(`INSERT INTO devices (id, serial, model_id, site_id) VALUES ('FX-R5', 'FXSN-R5', 'AF37', 'fx-acme-ldn'), ('FX-R1', 'FXSN-R1', 'AF37', 'fx-acme-ldn'), ('FX-R2', 'FXSN-R2', 'AF22', 'fx-acme-ldn')`);
    await db.pool.query(`INSERT INTO device_status (device_id, online, telemetry_interval_ms, payload, updated_at) VALUES ('FX-R5', true, 300000, '{}', now()), ('FX-R1', true, 60000, '{}', now()), ('FX-R2', true, 60000, '{}', now())`);
    await db.pool.query(
      `INSERT INTO telemetry (device_id, ts, seq, state, power_kw, flow_m3_min, running_hours, loaded_hours)
       SELECT 'FX-R5', to_timestamp(($1::float8 + i * 300000) / 1000), i, 'loaded', 40, 6, 1000 + i / 12.0, 900 + i / 12.0
         FROM generate_series(0::bigint, 12 * 24 * 31) AS i`,
      [oct1],
    );
    // 60 s machines from 2026-09-28 to 2026-11-02: power 30–42 kW, unloaded one minute in seven
    // (flow 0), an outage 2026-10-12 08:00–13:00 UTC, FX-R2's controller replaced on 2026-10-20.
    await db.pool.query(
      `INSERT INTO telemetry (device_id, ts, seq, state, power_kw, flow_m3_min, running_hours, loaded_hours)
       SELECT d.id, to_timestamp(($1::float8 + i * 60000 + (i % 3) * 4000) / 1000), i,
              CASE WHEN i % 7 = 0 THEN 'unloaded' ELSE 'loaded' END,
              CASE WHEN i % 7 = 0 THEN 10 ELSE 30 + (i % 13) END, CASE WHEN i % 7 = 0 THEN 0 ELSE 4 + (i % 5) * 0.5 END,
              CASE WHEN d.id = 'FX-R2' AND i >= 32000 THEN (i - 32000) / 60.0 ELSE 3000 + i / 60.0 END,
              CASE WHEN d.id = 'FX-R2' AND i >= 32000 THEN (i - 32000) / 70.0 ELSE 2000 + i / 70.0 END
         FROM generate_series(0::bigint, 60 * 24 * 35) AS i, (VALUES ('FX-R1'), ('FX-R2')) AS d(id)
        WHERE NOT (to_timestamp(($1::float8 + i * 60000) / 1000) BETWEEN '2026-10-12T08:00Z' AND '2026-10-12T13:00Z')`,
      [Date.UTC(2026, 8, 28)],
    );
    // Eight reports of one user at once (the race below): above the per-user limit's default.
    ({ app } = await buildTestApp(db.pool, { clock: () => CLOCK, config: { reportsPerUser: 8 } }));
    cookie = await loginCookie(app, fx.users.acmeBuyer.email);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function usage(query: string) {
    const res = await app.inject({ method: 'GET', url: `/api/customer/usage?${query}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return usageResponseSchema.parse(res.json());
  }

  it('a 5-minute reporter over 30 days: every kWh of the hand figure (gap cap = 3 reporting intervals)', async () => {
    for (const granularity of ['day', 'week', 'month']) {
      const r = await usage(`deviceId=FX-R5&from=2026-10-01&to=2026-10-31&granularity=${granularity}`);
      expect(r.machines[0]!.gapCapMinutes).toBe(15);
      expect(r.totals.kwh).toBeCloseTo(28_840, 3);
      expect(r.totals.airM3).toBeCloseTo(259_560, 3);
      expect(r.totals.runningHours).toBeCloseTo(721, 3);
      expect(r.totals.gapHours).toBe(0);
      expect(r.totals.coveredHours).toBeCloseTo(721, 3);
    }
    const days = await usage('deviceId=FX-R5&from=2026-10-01&to=2026-10-31&granularity=day');
    expect(days.rows).toHaveLength(30);
    expect(days.rows.find((x) => x.period === '2026-10-25')!.kwh).toBeCloseTo(40 * 25, 3);
    // The first request stored the settled days; the later ones were answered from them.
    expect(days.rolledUpDays).toBe(30);
  });

  async function rawSamples(deviceId: string): Promise<UsageSample[]> {
    const { rows } = await db.pool.query<{ t: number; state: string; p: number | null; f: number | null; rh: number | null; lh: number | null }>(
      `SELECT (extract(epoch FROM ts) * 1000)::float8 AS t, state, power_kw::float8 AS p, flow_m3_min::float8 AS f, running_hours AS rh, loaded_hours AS lh
         FROM telemetry WHERE device_id = $1 ORDER BY ts`,
      [deviceId],
    );
    return rows.map((r) => ({ ts: r.t, state: r.state, powerKw: r.p, flowM3Min: r.f, runningHours: r.rh, loadedHours: r.lh }));
  }

  const MODELS = { AF37: { ratedPowerKw: 40.5, fadM3Min: 6.3, unloadedPowerFraction: 0.25 } };
  async function reference(fromMs: number, toMs: number) {
    const models = await db.pool.query<{ id: string; rated_power_kw: number; fad_m3_min: number; unloaded_power_fraction: number }>(`SELECT id, rated_power_kw, fad_m3_min, unloaded_power_fraction FROM compressor_models`);
    const model = (id: string) => {
      const m = models.rows.find((x) => x.id === id)!;
      return { ratedPowerKw: m.rated_power_kw, fadM3Min: m.fad_m3_min, unloadedPowerFraction: m.unloaded_power_fraction };
    };
    expect(model('AF37')).toEqual(MODELS.AF37);
    return computeUsage({
      devices: [
        { deviceId: 'FX-R1', model: model('AF37'), samples: await rawSamples('FX-R1'), peerMedian: null, gapCapMs: gapCapForInterval(60_000) },
        { deviceId: 'FX-R2', model: model('AF22'), samples: await rawSamples('FX-R2'), peerMedian: null, gapCapMs: gapCapForInterval(60_000) },
        { deviceId: 'FX-R5', model: model('AF37'), samples: await rawSamples('FX-R5'), peerMedian: null, gapCapMs: gapCapForInterval(300_000) },
      ],
      fromMs,
      toMs,
      granularity: 'week',
      timeZone: TZ,
      tariff: { currency: 'EUR', tariffPerKwh: 0.2, gridCo2KgPerKwh: 0.5 },
    });
  }

  function expectSameSums(actual: UsageSums, expected: UsageSums): void {
    for (const k of Object.keys(expected) as Array<keyof UsageSums>) {
      const scale = Math.max(Math.abs(expected[k]), 1e-9);
      expect(Math.abs(actual[k] - expected[k]) / scale, `${k}: ${actual[k]} vs ${expected[k]}`).toBeLessThan(1e-6);
    }
  }

  it('rolled-up days equal raw integration (1e-6 relative), cold and warm, with partial edge days', async () => {
    const service = usageServiceOn({ pool: db.pool, log: createLogger('usage-rollup-test', { level: 'silent' }), clock: () => CLOCK });
    // From a Wednesday 13:37 local to a Saturday 06:00 local: both edge days are partial.
    const fromMs = Date.UTC(2026, 9, 7, 12, 37);
    const toMs = Date.UTC(2026, 9, 31, 6);
    const ref = await reference(fromMs, toMs);
    expect(ref.totalSums.gapHours).toBeGreaterThan(4.9);
    for (const pass of ['cold', 'warm']) {
      const week = await service.week('fx-acme-ldn', fromMs, toMs, 'en');
      expectSameSums(week.usage.totalSums, ref.totalSums);
      for (const m of ref.machines) expectSameSums(week.usage.machines.find((x) => x.deviceId === m.deviceId)!.sums, m.sums);
      expect(week.usage.rows.map((r) => r.period), pass).toEqual(ref.rows.map((r) => r.period));
      week.usage.rows.forEach((row, i) => {
        for (const k of ['kwh', 'airM3', 'runningHours', 'loadedHours', 'unloadedKwh', 'gapHours'] as const) {
          expect(row[k], `${pass} ${row.period} ${k}`).toBeCloseTo(ref.rows[i]![k], 2);
        }
      });
    }
    const warm = await usage(`siteId=fx-acme-ldn&from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}&granularity=week`);
    // 23 whole days (2026-10-08 … 10-30) between the partial edges, three machines.
    expect(warm.rolledUpDays).toBe(69);
    const figures: Array<keyof UsageFigures> = ['kwh', 'airM3', 'runningHours', 'loadedHours', 'unloadedKwh', 'leakFlowM3Min', 'gapHours'];
    for (const k of figures) expect(warm.totals[k], k).toBeCloseTo(ref.totals[k] as number, 2);
  });

  it('concurrent cold reports of the same days all answer, with the same figures (the rollup write is a cache)', async () => {
    await db.pool.query(`DELETE FROM usage_daily WHERE device_id = 'FX-R2'`);
    const q = 'deviceId=FX-R2&from=2026-10-08&to=2026-10-30&granularity=week';
    // Eight reports race to store the same day rows; serialisation conflicts must not become 500s.
    const responses = await Promise.all(Array.from({ length: 8 }, () => app.inject({ method: 'GET', url: `/api/customer/usage?${q}`, headers: { cookie } })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    const kwh = responses.map((r) => usageResponseSchema.parse(r.json()).totals.kwh);
    expect(new Set(kwh).size).toBe(1);
    expect((await usage(q)).rolledUpDays).toBe(22);
  });

  it('a late sample (store-and-forward replay) invalidates exactly the days it touches', async () => {
    const fromMs = localDateToUtc('2026-10-10', TZ);
    const toMs = localDateToUtc('2026-10-15', TZ);
    await usage(`deviceId=FX-R1&from=2026-10-10&to=2026-10-15&granularity=day`);
    const before = await usage(`deviceId=FX-R1&from=2026-10-10&to=2026-10-15&granularity=day`);
    expect(before.rolledUpDays).toBe(5);
    // Samples replayed into the outage of 2026-10-12, through the ingest batch writer.
    const replay: IngestBatch = {
      telemetry: Array.from({ length: 121 }, (_, i) => ({
        deviceId: 'FX-R1',
        sample: { ts: Date.UTC(2026, 9, 12, 10) + i * 60_000, seq: 900_000 + i, state: 'loaded' as const, metrics: { powerKw: 50, flowM3Min: 7 } },
      })),
      statuses: [],
      events: [],
      acks: [],
      deadLetters: [],
    };
    const client = await db.pool.connect();
    try {
      await writeBatch(client, replay);
    } finally {
      client.release();
    }
    const after = await usage(`deviceId=FX-R1&from=2026-10-10&to=2026-10-15&granularity=day`);
    // Only 2026-10-12 depended on samples around the replay; the other four days stay rolled up.
    expect(after.rolledUpDays).toBe(4);
    const day = (r: typeof after, d: string) => r.rows.find((x) => x.period === d)!;
    // Two hours at 50 kW (the replay itself) were a gap before.
    expect(day(after, '2026-10-12').kwh - day(before, '2026-10-12').kwh).toBeGreaterThan(99);
    expect(day(after, '2026-10-11').kwh).toBe(day(before, '2026-10-11').kwh);
    const ref = await reference(fromMs, toMs);
    const r1 = ref.machines.find((m) => m.deviceId === 'FX-R1')!;
    expect(after.totals.kwh).toBeCloseTo(r1.totals.kwh, 2);
    expect(after.totals.gapHours).toBeCloseTo(r1.totals.gapHours, 2);
    // Recomputed and stored again: the next report is answered from the rollup entirely.
    expect((await usage(`deviceId=FX-R1&from=2026-10-10&to=2026-10-15&granularity=day`)).rolledUpDays).toBe(5);
  });
});

describe('usage rollup maintenance job', () => {
  it('rolls up every machine’s settled days in the background, so a first report reads day rows only', async () => {
    const db = await createTestDatabase();
    try {
      const fixtures = await seedPlatformFixtures(db.pool, { now: Date.UTC(2026, 0, 10) });
      await db.pool.query(`INSERT INTO sites (id, customer_id, name, city, country, region, timezone) VALUES ('fx-acme-sh2', 'fx-acme', 'Pudong', 'Shanghai', 'CN', 'APAC', 'Asia/Shanghai')`);
      await db.pool.query(`INSERT INTO devices (id, serial, model_id, site_id) VALUES ('FX-J1', 'FXSN-J1', 'AF37', 'fx-acme-sh2')`);
      await db.pool.query(
        `INSERT INTO telemetry (device_id, ts, seq, state, power_kw, flow_m3_min)
         SELECT 'FX-J1', to_timestamp(($1::float8 + i * 60000) / 1000), i, 'loaded', 35, 5 FROM generate_series(0::bigint, 60 * 24 * 20) AS i`,
        [localDateToUtc('2026-11-01', 'Asia/Shanghai')],
      );
      const job = createUsageRollupMaintenance({ pool: db.pool, log: createLogger('usage-rollup-job-test', { level: 'silent' }), clock: () => CLOCK, intervalMs: 0 });
      const first = await job.runOnce(30);
      expect(first.integratedDays).toBeGreaterThan(0);
      // Nothing left to integrate: the second run only finds valid rows.
      expect((await job.runOnce(30)).integratedDays).toBe(0);
      const { app } = await buildTestApp(db.pool, { clock: () => CLOCK });
      try {
        const cookie = await loginCookie(app, fixtures.users.acmeBuyer.email);
        const res = await app.inject({ method: 'GET', url: '/api/customer/usage?deviceId=FX-J1&from=2026-11-01&to=2026-11-15&granularity=week', headers: { cookie } });
        const r = usageResponseSchema.parse(res.json());
        expect(r.rolledUpDays).toBe(14);
        // 14 days × 24 h × 35 kW; no reporting interval stated: cap 5 minutes, 60 s samples covered.
        expect(r.totals.kwh).toBeCloseTo(14 * 24 * 35, 3);
        expect(r.totals.gapHours).toBe(0);
      } finally {
        await app.close();
      }
    } finally {
      await db.drop();
    }
  });
});
