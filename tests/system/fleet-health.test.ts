import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceHealthResponseSchema, fleetRunResponseSchema, siteHealthResponseSchema } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { insertTelemetry, type TelemetrySample } from '../support/platform-fixtures.ts';
import { startSystem, type System } from '../support/system-harness.ts';

const DAY = '2025-11-21';
const DAY_START = Date.parse(`${DAY}T00:00:00Z`);

function day(over: { elementTempC?: number; separatorDpBar?: number } = {}): TelemetrySample[] {
  return Array.from({ length: 96 }, (_, i) => ({
    ts: DAY_START + i * 15 * 60_000,
    seq: i,
    state: i % 4 === 0 ? 'unloaded' : 'loaded',
    metrics: {
      pressureBar: 7,
      powerKw: 35,
      flowM3Min: 5,
      // The "hot" machine touches its value once, at noon.
      elementTempC: i === 48 && over.elementTempC ? over.elementTempC : 86,
      ambientTempC: 24,
      separatorDpBar: over.separatorDpBar ?? 0.2,
      airFilterDpMbar: 20,
    },
  }));
}

/**
 * A hand-made day at one site (Leeds: two AF37, two AF22 — too few of a model for peer
 * checks, so every check here is one of the machine's own):
 *   healthy       6/6 → 100
 *   hot           ADT 112 °C once and a critical alarm that day → 4/6 → 66.7
 *   clogging      separator ΔP 0.65 bar while loaded → 5/6 → 83.3
 *   silent        reported before, nothing that day: only alarm-based checks and "data" → 2/3 → 66.7
 * Site: (100 + 66.7 + 83.3 + 66.7) / 4 = 79.2
 */
describe('health score per machine and per site on a hand-made day', () => {
  let sys: System;
  let leeds: SeededDevice[];
  let operator: string;

  beforeAll(async () => {
    sys = await startSystem();
    operator = await sys.login('operator@airfleet.example');
    leeds = sys.devices.filter((d) => d.siteId === 'northwind-leeds');
    expect(leeds.map((d) => d.modelId)).toEqual(['AF37', 'AF37', 'AF22', 'AF22']);
    const [healthy, hot, clogging, silent] = leeds as [SeededDevice, SeededDevice, SeededDevice, SeededDevice];
    await insertTelemetry(sys.pool, healthy.id, day());
    await insertTelemetry(sys.pool, hot.id, day({ elementTempC: 112 }));
    await insertTelemetry(sys.pool, clogging.id, day({ separatorDpBar: 0.65 }));
    // The silent machine last reported the day before.
    await insertTelemetry(sys.pool, silent.id, [{ ts: DAY_START - 3_600_000, metrics: { pressureBar: 7 } }]);
    // A critical alarm that began the evening before and was cleared during the day.
    await sys.pool.query(
      `INSERT INTO alarms (device_id, type, severity, source, message, state, started_at, last_seen_at, cleared_at, ended_at)
       VALUES ($1, 'motor_overload', 'critical', 'device', 'overload', 'cleared', $2, $2, $3, $3)`,
      [hot.id, new Date(DAY_START - 2 * 3_600_000), new Date(DAY_START + 3_600_000)],
    );
    const res = await sys.api('/api/fleet/analysis/run', await sys.login('admin@airfleet.example'), { method: 'POST', body: JSON.stringify({ day: DAY }) });
    expect(res.status).toBe(200);
    expect(fleetRunResponseSchema.parse(await res.json())).toMatchObject({ devices: 4, healthScores: 4, outliers: [] });
  });
  afterAll(async () => sys?.close());

  const health = async (deviceId: string, cookie = operator) => {
    const res = await sys.api(`/api/devices/${deviceId}/health?days=7`, cookie);
    expect(res.status).toBe(200);
    return deviceHealthResponseSchema.parse(await res.json()).days;
  };

  it.each([
    [0, 100, 6, []],
    [1, 66.7, 6, ['no_critical_alarm', 'adt_normal']],
    [2, 83.3, 6, ['separator_dp_ok']],
    [3, 66.7, 3, ['no_data_gap']],
  ])('machine %i scores %d over %i checks, failing %j', async (index, score, total, failing) => {
    const [d] = await health(leeds[index]!.id);
    expect(d).toMatchObject({ day: DAY, score, total });
    expect(d!.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(failing);
  });

  it('the site score is the average of its machines, with each machine’s latest score', async () => {
    const res = await sys.api('/api/sites/northwind-leeds/health?days=7', operator);
    expect(res.status).toBe(200);
    const site = siteHealthResponseSchema.parse(await res.json());
    expect(site.days).toEqual([{ day: DAY, score: 79.2, devices: 4 }]);
    expect(site.devices.map((d) => d.score).sort()).toEqual([100, 66.7, 66.7, 83.3].sort());
  });

  it('is scoped like every read: another customer gets 404', async () => {
    const lakeside = await sys.login('buyer@lakeside.example');
    expect((await sys.api(`/api/devices/${leeds[0]!.id}/health`, lakeside)).status).toBe(404);
    expect((await sys.api('/api/sites/northwind-leeds/health', lakeside)).status).toBe(404);
    const northwind = await sys.login('buyer@northwind.example');
    expect(await health(leeds[0]!.id, northwind)).toHaveLength(1);
  });
});
