import { describe, expect, it } from 'vitest';
import type { TelemetrySeries } from '@airfleet/contracts';
import { energyKwh, loadFactor, seriesStats, specificPower, toChartSeries } from './series.ts';

function series(t: number[], bucketMs: number, metrics: Record<string, { avg: (number | null)[]; min?: (number | null)[]; max?: (number | null)[] }>, count?: number[]): TelemetrySeries {
  return {
    deviceId: 'X', from: t[0] ?? 0, to: (t.at(-1) ?? 0) + bucketMs, bucketMs, t, count: count ?? t.map(() => 1),
    series: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { avg: v.avg, min: v.min ?? v.avg, max: v.max ?? v.avg }])),
  };
}

describe('chart series', () => {
  it('breaks the line where buckets are missing, instead of bridging an outage', () => {
    const s = toChartSeries(series([0, 60_000, 120_000, 600_000, 660_000], 60_000, { p: { avg: [1, 2, 3, 4, 5] } }), 'p');
    expect(s.avg).toEqual([1, 2, 3, null, 4, 5]);
    expect(s.x).toEqual([0, 60, 120, 180, 600, 660]);
  });

  it('does not break 1-minute history shown in 10-s buckets (sparse but regular)', () => {
    const t = Array.from({ length: 10 }, (_, i) => i * 60_000);
    expect(toChartSeries(series(t, 10_000, { p: { avg: t.map(() => 1) } }), 'p').avg).not.toContain(null);
  });

  it('weights the window average by samples per bucket', () => {
    const stats = seriesStats(series([0, 1000], 1000, { p: { avg: [10, 20], min: [5, 19], max: [11, 30] } }, [3, 1]), 'p');
    expect(stats).toEqual({ avg: 12.5, min: 5, max: 30 });
  });

  it('load factor is Δ loaded hours over Δ running hours', () => {
    const data = series([0, 3_600_000], 3_600_000, {
      runningHours: { avg: [100.5, 101.5], min: [100, 101], max: [101, 102] },
      loadedHours: { avg: [50.2, 50.7], min: [50, 50.5], max: [50.5, 51.5] },
    });
    expect(loadFactor(data)).toBeCloseTo(0.75, 5);
  });

  it('specific power at full load uses the buckets where the machine delivered near full flow', () => {
    // Loaded: 40.5 kW for 6.3 m³/min (6.43); unloaded buckets (low peak flow) are ignored.
    const data = series([0, 1, 2, 3], 1, {
      powerKw: { avg: [20, 40, 11, 30], max: [40.5, 40.5, 11, 40.6] },
      flowM3Min: { avg: [3, 6.3, 0, 4], max: [6.3, 6.3, 0, 6.3] },
    });
    expect(specificPower(data)).toBeCloseTo(40.5 / 6.3, 2);
  });

  it('energy is average power × reported time, clipped to the window', () => {
    const data = { ...series([0, 3_600_000], 3_600_000, { powerKw: { avg: [30, 60] } }), to: 5_400_000 };
    expect(energyKwh(data)).toBeCloseTo(30 + 30, 5);
  });
});
