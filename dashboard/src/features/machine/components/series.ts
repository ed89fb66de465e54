import type { TelemetrySeries } from '@airfleet/contracts';

/** One metric of a bucketed series, with nulls inserted where the data has holes. */
export interface ChartSeries {
  /** Bucket starts, epoch seconds (uPlot's unit). */
  x: number[];
  avg: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The server omits empty buckets. Drawn as they are, a line would bridge an outage as if the
 * machine had reported all along; a null after each hole breaks the line there instead. A
 * hole is a step of more than 3 × the usual spacing (which is the bucket width, or the
 * device's own period when that is coarser, e.g. 1-min history in 10-s buckets).
 */
export function toChartSeries(data: TelemetrySeries, metric: string): ChartSeries {
  const s = data.series[metric];
  const out: ChartSeries = { x: [], avg: [], min: [], max: [] };
  if (!s) return out;
  const steps: number[] = [];
  for (let i = 1; i < data.t.length; i++) steps.push(data.t[i]! - data.t[i - 1]!);
  const usual = Math.max(data.bucketMs, median(steps));
  for (let i = 0; i < data.t.length; i++) {
    const t = data.t[i]!;
    if (i > 0 && t - data.t[i - 1]! > 3 * usual) {
      out.x.push((data.t[i - 1]! + usual) / 1000);
      out.avg.push(null);
      out.min.push(null);
      out.max.push(null);
    }
    out.x.push(t / 1000);
    out.avg.push(s.avg[i] ?? null);
    out.min.push(s.min[i] ?? null);
    out.max.push(s.max[i] ?? null);
  }
  return out;
}

export interface SeriesStats {
  avg: number | null;
  min: number | null;
  max: number | null;
}

/** Sample-weighted average and the extremes over the whole window (the chart's text alternative). */
export function seriesStats(data: TelemetrySeries, metric: string): SeriesStats {
  const s = data.series[metric];
  if (!s) return { avg: null, min: null, max: null };
  let sum = 0;
  let n = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.t.length; i++) {
    const a = s.avg[i];
    const c = data.count[i] ?? 0;
    if (a !== null && a !== undefined) {
      sum += a * c;
      n += c;
    }
    const lo = s.min[i];
    const hi = s.max[i];
    if (lo !== null && lo !== undefined) min = Math.min(min, lo);
    if (hi !== null && hi !== undefined) max = Math.max(max, hi);
  }
  return { avg: n > 0 ? sum / n : null, min: Number.isFinite(min) ? min : null, max: Number.isFinite(max) ? max : null };
}

function firstValue(values: readonly (number | null)[] | undefined): number | null {
  for (const v of values ?? []) if (v !== null) return v;
  return null;
}
function lastValue(values: readonly (number | null)[] | undefined): number | null {
  const list = values ?? [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i] !== null) return list[i]!;
  return null;
}

/** Load factor = Δ loaded hours ÷ Δ running hours over the window (docs/domain.md §4). */
export function loadFactor(data: TelemetrySeries): number | null {
  const running = data.series.runningHours;
  const loaded = data.series.loadedHours;
  if (!running || !loaded) return null;
  const r0 = firstValue(running.min);
  const r1 = lastValue(running.max);
  const l0 = firstValue(loaded.min);
  const l1 = lastValue(loaded.max);
  if (r0 === null || r1 === null || l0 === null || l1 === null) return null;
  const dr = r1 - r0;
  // Less than a minute of running: the ratio would be noise.
  if (dr < 1 / 60) return null;
  return Math.min(1, Math.max(0, (l1 - l0) / dr));
}

/**
 * Specific power at full load, kW per m³/min (docs/domain.md §4: 5–7 at 7 bar is typical), the
 * figure to compare with the data sheet. Bucket averages mix loaded and unloaded running,
 * so each bucket's *peaks* are used instead: in a bucket where the machine ran loaded, max
 * power and max flow are both the loaded values. Only buckets whose peak flow is near the
 * machine's full delivery (≥ 80 % of the window's highest) count; the median resists outliers.
 */
export function specificPower(data: TelemetrySeries): number | null {
  const p = data.series.powerKw;
  const q = data.series.flowM3Min;
  if (!p || !q) return null;
  let fullFlow = 0;
  for (const v of q.max) if (v !== null && v > fullFlow) fullFlow = v;
  if (fullFlow <= 0) return null;
  const ratios: number[] = [];
  for (let i = 0; i < data.t.length; i++) {
    const pv = p.max[i];
    const qv = q.max[i];
    if (pv === null || pv === undefined || qv === null || qv === undefined || qv < 0.8 * fullFlow) continue;
    ratios.push(pv / qv);
  }
  return ratios.length > 0 ? median(ratios) : null;
}

/** kWh from bucket averages: each reported bucket counts for its full width (holes count zero). */
export function energyKwh(data: TelemetrySeries): number | null {
  const p = data.series.powerKw;
  if (!p || data.t.length === 0) return null;
  let kwh = 0;
  for (let i = 0; i < data.t.length; i++) {
    const pv = p.avg[i];
    if (pv === null || pv === undefined) continue;
    const start = Math.max(data.t[i]!, data.from);
    const end = Math.min(data.t[i]! + data.bucketMs, data.to);
    kwh += (pv * Math.max(0, end - start)) / 3_600_000;
  }
  return kwh;
}
