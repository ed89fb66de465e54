import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, overviewResponseSchema, savingsResponseSchema, usageResponseSchema, type UsageRow } from '@airfleet/contracts';
import { buildTestApp, insertTelemetry, loginCookie, seedPlatformFixtures, type PlatformFixtures, type TelemetrySample } from '../support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import type { App } from '../../services/platform/src/http/app.ts';

/**
 * Report figures against a small hand-computed dataset, through the real API
 * and a real PostgreSQL. The site is in Shanghai (UTC+8), so local days start at 16:00 UTC.
 *
 * Machine U1 (AF37: rated 40.5 kW, FAD 6.3 m³/min, unloaded 25 %):
 *   Tue 2026-11-03 10:00–10:10 local: 11 samples, 60 s apart, 40 kW, 6 m³/min, loaded;
 *     counters running and loaded +1 min per minute.
 *   Tue 23:00–23:10 local (night = non-production): 20 kW, 1.5 m³/min; running +1 min per
 *     minute, loaded +0.5 min per minute.
 *   Wed 2026-11-04 12:00–12:05 local: 6 samples, 30 kW, 5 m³/min, loaded.
 * Machine U2 (AF37, same site): Tue 10:00–10:10 local, 45 kW, 6 m³/min, loaded.
 * Customer tariff 0.20 EUR/kWh, grid factor 0.5 kg CO₂/kWh.
 */
const MIN = 60_000;
const TZ_OFFSET_MS = 8 * 3_600_000;
const local = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) - TZ_OFFSET_MS;

function run(startMs: number, minutes: number, f: (i: number) => TelemetrySample['metrics'], state: 'loaded' | 'unloaded' = 'loaded', seq0 = 0): TelemetrySample[] {
  return Array.from({ length: minutes + 1 }, (_, i) => ({ ts: startMs + i * MIN, seq: seq0 + i, state, metrics: f(i) }));
}

describe('customer usage report: hand-computed figures', () => {
  let db: TestDatabase;
  let app: App;
  let fx: PlatformFixtures;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Fixture telemetry lies far outside the report range (it must not count as peers' data).
    fx = await seedPlatformFixtures(db.pool, { now: Date.UTC(2026, 0, 10) });
    await db.pool.query(`UPDATE customers SET tariff_per_kwh = 0.20, grid_co2_kg_per_kwh = 0.5, currency = 'EUR' WHERE id = 'fx-acme'`);
    await db.pool.query(`INSERT INTO sites (id, customer_id, name, city, country, region, timezone) VALUES ('fx-acme-sh', 'fx-acme', '上海工厂', 'Shanghai', 'CN', 'APAC', 'Asia/Shanghai')`);
    await db.pool.query(`INSERT INTO devices (id, serial, model_id, site_id) VALUES ('FX-U1', 'FXSN-U1', 'AF37', 'fx-acme-sh'), ('FX-U2', 'FXSN-U2', 'AF37', 'fx-acme-sh')`);
    const c = (runH: number, loadH: number) => ({ runningHours: runH, loadedHours: loadH });
    await insertTelemetry(db.pool, 'FX-U1', [
      ...run(local(2026, 11, 3, 10), 10, (i) => ({ powerKw: 40, flowM3Min: 6, pressureBar: 7.2, ...c(2000 + i / 60, 1500 + i / 60) })),
      ...run(local(2026, 11, 3, 23), 10, (i) => ({ powerKw: 20, flowM3Min: 1.5, pressureBar: 7.3, ...c(2000 + 10 / 60 + i / 60, 1500 + 10 / 60 + i / 120) }), 'loaded', 100),
      ...run(local(2026, 11, 4, 12), 5, (i) => ({ powerKw: 30, flowM3Min: 5, pressureBar: 7.1, ...c(2000 + 20 / 60 + i / 60, 1500 + 15 / 60 + i / 60) }), 'loaded', 200),
    ]);
    await insertTelemetry(db.pool, 'FX-U2', run(local(2026, 11, 3, 10), 10, (i) => ({ powerKw: 45, flowM3Min: 6, ...c(500 + i / 60, 400 + i / 60) })));
    ({ app } = await buildTestApp(db.pool, { clock: () => Date.UTC(2026, 10, 20) }));
    acme = await loginCookie(app, fx.users.acmeBuyer.email);
    globex = await loginCookie(app, fx.users.globexBuyer.email);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function usage(query: string, cookie = acme) {
    const res = await app.inject({ method: 'GET', url: `/api/customer/usage?${query}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return usageResponseSchema.parse(res.json());
  }

  it('daily rows for one machine, in the site’s days', async () => {
    const r = await usage('deviceId=FX-U1&from=2026-11-03&to=2026-11-05&granularity=day');
    expect(r.scope).toMatchObject({ kind: 'device', timezone: 'Asia/Shanghai', customerId: 'fx-acme' });
    expect(r.from).toBe('2026-11-02T16:00:00.000Z'); // local midnight in Shanghai
    expect(r.rows.map((x) => x.period)).toEqual(['2026-11-03', '2026-11-04']);
    const [tue, wed] = r.rows as [UsageRow, UsageRow];
    // Energy: 40 kW × 10 min = 6.667 kWh, plus 20 kW × 10 min = 3.333 kWh → 10 kWh.
    expect(tue.kwh).toBeCloseTo(10, 3);
    // Air: 6 × 10 + 1.5 × 10 = 75 m³.
    expect(tue.airM3).toBeCloseTo(75, 3);
    // Running: 10 + 10 min = 0.3333 h; loaded: 10 + 5 min = 0.25 h; load factor 0.75.
    expect(tue.runningHours).toBeCloseTo(1 / 3, 3);
    expect(tue.loadedHours).toBeCloseTo(0.25, 3);
    expect(tue.loadFactor).toBeCloseTo(0.75, 4);
    // Unloaded: 5 min × 40.5 kW × 0.25 = 0.84375 kWh.
    expect(tue.unloadedKwh).toBeCloseTo(0.844, 3);
    // Specific energy 10 / 75 = 0.1333 kWh/m³; rated 40.5 / (6.3 × 60) = 0.1071.
    expect(tue.specificEnergyKwhM3).toBeCloseTo(0.1333, 4);
    expect(tue.ratedSpecificEnergyKwhM3).toBeCloseTo(0.1071, 4);
    // The only same-model peer with data, U2: 45 kW / (6 m³/min × 60) = 0.125 kWh/m³.
    expect(tue.peerMedianSpecificEnergyKwhM3).toBeCloseTo(0.125, 4);
    // Leak: only the 23:00 run is non-production (22:00–05:00): 1.5 m³/min.
    expect(tue.leakFlowM3Min).toBeCloseTo(1.5, 4);
    // Cost 10 kWh × 0.20 = 2.00 EUR; CO₂ 10 × 0.5 = 5 kg.
    expect(tue.cost).toBeCloseTo(2, 2);
    expect(tue.co2Kg).toBeCloseTo(5, 3);
    // Covered 20 min; the 10:10 → 23:00 gap (12 h 50 min) and 23:10 → midnight (50 min) are not integrated.
    expect(tue.coveredHours).toBeCloseTo(1 / 3, 3);
    expect(tue.gapHours).toBeCloseTo(12 + 50 / 60 + 50 / 60, 3);
    // Wednesday: 30 kW × 5 min = 2.5 kWh, 25 m³, 5 min running and loaded; no leak window.
    expect(wed.kwh).toBeCloseTo(2.5, 3);
    expect(wed.airM3).toBeCloseTo(25, 3);
    expect(wed.loadFactor).toBeCloseTo(1, 4);
    expect(wed.leakFlowM3Min).toBeNull();
    expect(wed.cost).toBeCloseTo(0.5, 2);
    expect(r.tariff).toEqual({ currency: 'EUR', tariffPerKwh: 0.2, gridCo2KgPerKwh: 0.5 });
  });

  it('weekly (ISO week from Monday) and monthly rows add the days up', async () => {
    for (const [granularity, label] of [['week', '2026-11-02'], ['month', '2026-11']] as const) {
      const r = await usage(`deviceId=FX-U1&from=2026-11-02&to=2026-11-09&granularity=${granularity}`);
      expect(r.rows).toHaveLength(1);
      const row = r.rows[0]!;
      expect(row.period).toBe(label);
      // 10 + 2.5 = 12.5 kWh → 2.50 EUR, 6.25 kg CO₂; 100 m³; 25 min running, 20 min loaded → 0.8.
      expect(row.kwh).toBeCloseTo(12.5, 3);
      expect(row.cost).toBeCloseTo(2.5, 2);
      expect(row.co2Kg).toBeCloseTo(6.25, 3);
      expect(row.airM3).toBeCloseTo(100, 3);
      expect(row.loadFactor).toBeCloseTo(0.8, 4);
      expect(row.leakFlowM3Min).toBeCloseTo(1.5, 4);
      expect(r.totals.kwh).toBeCloseTo(12.5, 3);
    }
  });

  it('a site sums its machines; the leak estimate adds the machines’ night flows', async () => {
    const r = await usage('siteId=fx-acme-sh&from=2026-11-03&to=2026-11-04&granularity=day');
    expect(r.scope.kind).toBe('site');
    // U1 10 kWh + U2 45 kW × 10 min = 7.5 kWh → 17.5 kWh, 3.50 EUR.
    expect(r.rows[0]!.kwh).toBeCloseTo(17.5, 3);
    expect(r.rows[0]!.cost).toBeCloseTo(3.5, 2);
    expect(r.machines.map((m) => m.deviceId)).toEqual(['FX-U1', 'FX-U2']);
    expect(r.machines[1]!.totals.kwh).toBeCloseTo(7.5, 3);
    expect(r.totals.leakFlowM3Min).toBeCloseTo(1.5, 4);
  });

  it('exports the same table as CSV (format=csv or Accept: text/csv), UTF-8 with BOM and a filename', async () => {
    for (const init of [{ url: '&format=csv', headers: {} }, { url: '', headers: { accept: 'text/csv' } }]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/customer/usage?deviceId=FX-U1&from=2026-11-03&to=2026-11-05&granularity=day${init.url}`,
        headers: { cookie: acme, ...init.headers },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="usage-FX-U1-day-2026-11-02_2026-11-04.csv"');
      const body = res.rawPayload.toString('utf8');
      expect(body.charCodeAt(0)).toBe(0xfeff);
      const lines = body.slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^Period,Energy \(kWh\),Running hours,Loaded hours,Load factor,Air delivered \(m3\),/);
      expect(lines[0]).toContain('Cost (EUR)');
      expect(lines).toHaveLength(4); // header, two days, total
      const tue = lines[1]!.split(',');
      expect(tue[0]).toBe('2026-11-03');
      expect(Number(tue[1])).toBeCloseTo(10, 3);
      expect(Number(tue[4])).toBeCloseTo(0.75, 4);
      expect(lines[3]!.startsWith('Total,12.5,')).toBe(true);
    }
    const zh = await app.inject({ method: 'GET', url: '/api/customer/usage?siteId=fx-acme-sh&from=2026-11-03&to=2026-11-05&format=csv&table=machines&lang=zh-CN', headers: { cookie: acme } });
    expect(zh.rawPayload.toString('utf8')).toContain('设备,序列号,型号,电能 (kWh)');
  });

  it('another customer’s machine or site answers 404; a bad range 400', async () => {
    for (const q of ['deviceId=FX-U1', 'siteId=fx-acme-sh', 'deviceId=FX-U1&format=csv']) {
      const res = await app.inject({ method: 'GET', url: `/api/customer/usage?${q}`, headers: { cookie: globex } });
      expect(res.statusCode).toBe(404);
      expect(errorBodySchema.parse(res.json()).code).toBe('NOT_FOUND');
    }
    const bad = await app.inject({ method: 'GET', url: '/api/customer/usage?deviceId=FX-U1&from=2026-11-05&to=2026-11-03', headers: { cookie: acme } });
    expect(bad.statusCode).toBe(400);
    for (const q of ['from=2026-13-45', 'from=2026-02-30', 'to=yesterday', 'granularity=hour']) {
      const res = await app.inject({ method: 'GET', url: `/api/customer/usage?deviceId=FX-U1&${q}`, headers: { cookie: acme } });
      expect(res.statusCode, q).toBe(400);
      expect(errorBodySchema.parse(res.json()).code).toBe('VALIDATION_FAILED');
    }
    const both = await app.inject({ method: 'GET', url: '/api/customer/usage?deviceId=FX-U1&siteId=fx-acme-sh', headers: { cookie: acme } });
    expect(both.statusCode).toBe(400);
  });

  it('a long range is the sum of its parts: rolled-up days add up exactly', async () => {
    // 12 days of continuous 60 s samples, power cycling 30–39 kW, on a third machine.
    await db.pool.query(`INSERT INTO devices (id, serial, model_id, site_id) VALUES ('FX-U3', 'FXSN-U3', 'AF22', 'fx-acme-sh')`);
    await db.pool.query(
      `INSERT INTO telemetry (device_id, ts, seq, state, power_kw, flow_m3_min, running_hours, loaded_hours)
       SELECT 'FX-U3', to_timestamp(($1::float8 + i * 60000) / 1000), i, 'loaded', 30 + (i % 10), 3.5, 100 + i / 60.0, 90 + i / 90.0
         FROM generate_series(0::bigint, 60 * 24 * 12 - 1) AS i`,
      [local(2026, 10, 1, 0)],
    );
    const long = await usage('deviceId=FX-U3&from=2026-10-01&to=2026-10-13&granularity=month');
    const halves = [await usage('deviceId=FX-U3&from=2026-10-01&to=2026-10-07'), await usage('deviceId=FX-U3&from=2026-10-07&to=2026-10-13')];
    // The first report stored the 12 settled days; the halves are answered from them.
    expect(halves.map((h) => h.rolledUpDays)).toEqual([6, 6]);
    const raw = halves[0]!.totals.kwh + halves[1]!.totals.kwh;
    // 12 days × 24 h × 34.5 kW average ≈ 9936 kWh, less the one-minute step after the last sample.
    expect(raw).toBeGreaterThan(9900);
    expect(long.totals.kwh).toBeCloseTo(raw, 2);
    expect(long.totals.runningHours).toBeCloseTo(halves[0]!.totals.runningHours + halves[1]!.totals.runningHours, 2);
  });

  it('overview: own machines, alerts in plain language (en / 简体中文), upcoming maintenance', async () => {
    await db.pool.query(
      `INSERT INTO alarms (device_id, type, severity, source, message, state, started_at, last_seen_at)
       VALUES ('FX-ACME-001', 'separator_replace', 'major', 'rule', 'separator dp 0.72 bar', 'active', now(), now())`,
    );
    for (const [lang, text, due] of [
      ['en', 'Replace the oil separator now: it is costing energy every hour.', /^Service level A is due in about \d+ days\.$/],
      ['zh-CN', '请立即更换油分离器：它每小时都在增加能耗。', /^A 级保养约在 \d+ 天后到期。$/],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/api/customer/overview?lang=${lang}`, headers: { cookie: acme } });
      const overview = overviewResponseSchema.parse(res.json());
      expect(overview.machines.map((m) => m.deviceId).sort()).toEqual(['FX-ACME-001', 'FX-ACME-002', 'FX-U1', 'FX-U2', 'FX-U3']);
      const m = overview.machines.find((x) => x.deviceId === 'FX-ACME-001')!;
      expect(m).toMatchObject({ online: true, state: 'loaded', modelId: 'AF37' });
      expect(m.alerts.map((a) => a.text)).toEqual([text]);
      // ~1000 running hours: the next visit is A (2000 h); B (4000 h) and C (8000 h) are far
      // beyond it, so the customer sees one upcoming service, the one the plan page calls next.
      expect(m.maintenance.map((x) => x.level)).toEqual(['A']);
      expect(m.maintenance[0]!.text).toMatch(due);
      expect(m.maintenance[0]!.dueInHours).toBeCloseTo(1000, -1);
    }
  });

  it('savings advice with yearly figures and assumptions', async () => {
    // Seen on 2026-11-08, the last 7 days hold U1's whole dataset (raw samples, not buckets).
    const { app: later } = await buildTestApp(db.pool, { clock: () => Date.UTC(2026, 10, 8) });
    const cookie = await loginCookie(later, fx.users.acmeBuyer.email);
    const res = await later.inject({ method: 'GET', url: '/api/customer/savings?deviceId=FX-U1&days=7&lang=zh-CN', headers: { cookie } });
    await later.close();
    expect(res.statusCode).toBe(200);
    const s = savingsResponseSchema.parse(res.json());
    // Per year = × 365/7. Leaks: 1.5 m³/min × 60 × 0.125 kWh/m³ (12.5 kWh / 100 m³) × 0.41667 h
    // pressurised × 365/7 = 244.4 kWh lost, half recovered → 122 kWh, 24.44 EUR, 61 kg CO₂.
    // Pressure band: (12.5 − 0.84375) kWh loaded × 7 % × 0.5 bar × 365/7 = 21.3 kWh and unloaded
    // running 0.84375 × 365/7 × 50 % = 22.0 kWh are below the 50 kWh a year worth advising.
    expect(s.opportunities.map((o) => o.kind)).toEqual(['leaks']);
    expect(s.opportunities[0]).toMatchObject({ kwhPerYear: 122, moneyPerYear: 24.44, co2KgPerYear: 61, deviceId: 'FX-U1' });
    expect(s.opportunities[0]!.title).toBe('修复泄漏（估计 1.50 m³/min）');
    expect(s.opportunities[0]!.assumptions.join(' ')).toContain('夜间 22:00–05:00 及周末');
    expect(s.totalMoneyPerYear).toBe(24.44);
  });

  it('staff may query any customer’s usage', async () => {
    const admin = await loginCookie(app, fx.users.operator.email);
    const r = await usage('deviceId=FX-U1&from=2026-11-03&to=2026-11-04', admin);
    expect(r.rows[0]!.kwh).toBeCloseTo(10, 3);
  });
});
