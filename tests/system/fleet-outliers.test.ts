import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetRunResponseSchema, judgmentsResponseSchema, type FleetRunResponse } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { insertTelemetry, type TelemetrySample } from '../support/platform-fixtures.ts';
import { startSystem, type System } from '../support/system-harness.ts';

const DAY = '2025-11-20';
const DAY_START = Date.parse(`${DAY}T00:00:00Z`);

/**
 * A synthetic day for one machine: loaded/unloaded every 10 minutes, ADT 85 °C at 25 °C
 * ambient, a band of 6.5–7.5 bar. `spFactor` scales input power at equal flow: specific power.
 */
function day(spFactor: number, jitter: number): TelemetrySample[] {
  return Array.from({ length: 144 }, (_, i) => {
    const loaded = i % 4 !== 3; // 25 % unloaded
    const p = 6.5 + (i % 11) / 10;
    return {
      ts: DAY_START + i * 10 * 60_000,
      seq: i,
      state: loaded ? 'loaded' : 'unloaded',
      metrics: {
        pressureBar: p,
        powerKw: loaded ? 39.5 * spFactor * (1 + jitter) : 10,
        flowM3Min: loaded ? 6.3 : 0,
        elementTempC: 85 + jitter * 20,
        ambientTempC: 25,
        separatorDpBar: 0.2,
        airFilterDpMbar: 18,
        runningHours: 5000 + i / 6,
      },
    };
  });
}

/** Fleet intelligence (docs/architecture.md §5): each machine against its same-model peers, median/MAD, outliers get `inspect`. */
describe('fleet intelligence: peer outliers on a synthetic fleet', () => {
  let sys: System;
  let admin: string;
  let af37: SeededDevice[];
  let planted: SeededDevice;
  let first: FleetRunResponse;

  const run = async (cookie = admin) => sys.api('/api/fleet/analysis/run', cookie, { method: 'POST', body: JSON.stringify({ day: DAY }) });

  beforeAll(async () => {
    sys = await startSystem();
    admin = await sys.login('admin@airfleet.example');
    af37 = sys.devices.filter((d) => d.modelId === 'AF37');
    expect(af37.length).toBeGreaterThanOrEqual(6);
    planted = af37[2]!;
    for (const [i, d] of af37.entries()) {
      // Small, realistic spread between healthy machines (±1 %); the planted one uses 20 % more power.
      const jitter = ((i % 3) - 1) * 0.01;
      await insertTelemetry(sys.pool, d.id, day(d.id === planted.id ? 1.2 : 1, jitter));
    }
  });
  afterAll(async () => sys?.close());

  it('only admins run the analysis', async () => {
    expect((await run(await sys.login('operator@airfleet.example'))).status).toBe(403);
  });

  it('flags exactly the planted machine, on specific power, with peers and percentile', async () => {
    const res = await run();
    expect(res.status).toBe(200);
    first = fleetRunResponseSchema.parse(await res.json());
    expect(first.day).toBe(DAY);
    expect(first.devices).toBe(af37.length);
    expect(first.outliers.map((o) => [o.deviceId, o.check])).toEqual([[planted.id, 'specific_power']]);
    const o = first.outliers[0]!;
    expect(o.peers).toBe(af37.length - 1);
    expect(o.percentile).toBe(100);
    expect(o.value / o.peerMedian).toBeCloseTo(1.2, 1);
    expect(o.robustZ).toBeGreaterThan(3.5);
    expect(first.judgments).toBe(1);
  });

  it('the outlier gets one inspect judgment carrying the evidence; its peers get none', async () => {
    const operator = await sys.login('operator@airfleet.example');
    const list = judgmentsResponseSchema.parse(await (await sys.api(`/api/devices/${planted.id}/judgments?kind=inspect`, operator)).json()).items;
    expect(list).toHaveLength(1);
    const j = list[0]!;
    expect(j.source).toBe('fleet');
    // The machine is not connected: the judgment waits, pending, for its next connection.
    expect(j.status).toBe('pending');
    expect(j.judgment.kind === 'inspect' && j.judgment.params).toEqual({
      check: 'specific_power',
      value: first.outliers[0]!.value,
      peerMedian: first.outliers[0]!.peerMedian,
      percentile: 100,
      peers: af37.length - 1,
      unit: 'kW/(m³/min)',
    });
    expect(j.judgment.expiresAt).toBeGreaterThan(j.judgment.ts);
    const { rows } = await sys.pool.query(`SELECT device_id FROM judgments WHERE kind = 'inspect'`);
    expect(rows).toEqual([{ device_id: planted.id }]);
  });

  it('stores the day’s figures and every peer comparison', async () => {
    const { rows } = await sys.pool.query(`SELECT device_id, outlier FROM fleet_checks WHERE day = $1 AND "check" = 'specific_power' ORDER BY device_id`, [DAY]);
    expect(rows).toHaveLength(af37.length);
    expect(rows.filter((r) => r.outlier).map((r) => r.device_id)).toEqual([planted.id]);
    const figures = await sys.pool.query(`SELECT count(*)::int AS n FROM fleet_device_days WHERE day = $1`, [DAY]);
    expect(figures.rows[0].n).toBe(af37.length);
  });

  it('running the same day again replaces results and sends no duplicate judgment', async () => {
    const again = fleetRunResponseSchema.parse(await (await run()).json());
    expect(again.outliers.map((o) => o.deviceId)).toEqual([planted.id]);
    expect(again.judgments).toBe(0);
    const { rows } = await sys.pool.query(`SELECT count(*)::int AS n FROM judgments WHERE kind = 'inspect'`);
    expect(rows[0].n).toBe(1);
    const checks = await sys.pool.query(`SELECT count(*)::int AS n FROM fleet_checks WHERE day = $1 AND "check" = 'specific_power'`, [DAY]);
    expect(checks.rows[0].n).toBe(af37.length);
  });
});
