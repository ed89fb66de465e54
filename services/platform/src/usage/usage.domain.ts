import type { Tariff, UsageFigures, UsageGranularity, UsageRow } from '@airfleet/contracts';
import { dataGapThresholdMs, REPORT_FALLBACK_INTERVAL_MS } from '../alarms/data-gap.domain.ts';
import { isNonProduction, periodsBetween, type Period } from './local-time.domain.ts';

/**
 * Usage and energy figures from raw telemetry samples (docs/domain.md §4), pure.
 *
 * - Energy and air are trapezoid integrals of power and flow between consecutive samples,
 *   split exactly at period boundaries (linear interpolation inside an interval).
 * - Two samples further apart than the gap cap are a GAP: nothing is integrated across it,
 *   because we cannot know whether the machine ran. The gap is reported (gapHours).
 * - Running and loaded hours come from the controller's counters, which survive gaps and
 *   restarts: a delta is capped at the elapsed time (a jump is not real running), and a
 *   counter that went backwards (controller replaced or reset) counts only what it shows since.
 *   Without counters, the state of the earlier sample decides (loaded/unloaded = running).
 * - Unloaded energy = unloaded hours × the model's unloaded power (rated × fraction): waste.
 * - Leak flow = average flow over non-production time (nights 22:00–05:00 and weekends, site
 *   time); an interval is classed by its midpoint.
 */
export interface UsageSample {
  ts: number;
  state: string;
  powerKw: number | null;
  flowM3Min: number | null;
  runningHours: number | null;
  loadedHours: number | null;
}

export interface ModelFigures {
  ratedPowerKw: number;
  fadM3Min: number;
  unloadedPowerFraction: number;
}

const HOUR_MS = 3_600_000;

/**
 * A report never treats less than this as a gap. The interval we know is the one in the machine's
 * CURRENT birth message, but history may have been recorded at another one (a controller
 * reconfigured from 60 s to 5 s, or backfilled minute data): 3 × 5 s would then drop every older
 * sample pair. A few minutes of silence in a running compressor is better bridged than lost; long
 * outages still count as gaps.
 */
export const MIN_REPORT_GAP_CAP_MS = 5 * 60_000;

/**
 * Gap cap of one machine: silence longer than 3 of ITS reporting intervals is a gap (docs/domain.md §7,
 * the same rule as the data-gap alarm), but never less than MIN_REPORT_GAP_CAP_MS. A machine
 * whose birth message did not state its interval is assumed to be a slow reporter, so its energy
 * is not dropped.
 */
export function gapCapForInterval(intervalMs: number | null): number {
  return Math.max(MIN_REPORT_GAP_CAP_MS, dataGapThresholdMs(intervalMs ?? REPORT_FALLBACK_INTERVAL_MS));
}

/** Additive raw sums of one machine over one period; figures are derived from these. */
export interface UsageSums {
  kwh: number;
  airM3: number;
  runningHours: number;
  loadedHours: number;
  /** (running − loaded) hours: model-independent, so a rollup can store it. */
  unloadedHours: number;
  unloadedKwh: number;
  /** Air integrated over non-production time, and how long that time was (minutes). */
  leakAirM3: number;
  leakMinutes: number;
  coveredHours: number;
  gapHours: number;
  /** Σ rated kWh/m³ × air: lets a mixed-model site have an air-weighted rated figure. */
  ratedWeighted: number;
}

export function emptySums(): UsageSums {
  return { kwh: 0, airM3: 0, runningHours: 0, loadedHours: 0, unloadedHours: 0, unloadedKwh: 0, leakAirM3: 0, leakMinutes: 0, coveredHours: 0, gapHours: 0, ratedWeighted: 0 };
}

export function addSums(a: UsageSums, b: UsageSums): UsageSums {
  const out = emptySums();
  for (const k of Object.keys(out) as Array<keyof UsageSums>) out[k] = a[k] + b[k];
  return out;
}

/** kWh per m³ at the model's data-sheet point: rated power for one hour over FAD for one hour. */
export function ratedSpecificEnergy(model: ModelFigures): number {
  return model.ratedPowerKw / (model.fadM3Min * 60);
}

/**
 * A drop this small is rounding (controllers publish counters at 0.01–0.1 h resolution, and
 * sums of floats differ in the last bit), not a reset.
 */
export const COUNTER_RESET_TOLERANCE_H = 0.05;

/** Counter delta over an interval, robust to resets and jumps. */
export function counterDelta(prev: number | null, next: number | null, elapsedHours: number): number | null {
  if (prev === null || next === null) return null;
  const d = next - prev;
  if (d >= -COUNTER_RESET_TOLERANCE_H) return Math.min(Math.max(d, 0), elapsedHours);
  // Went backwards: the counter restarted, so what it shows now accrued since the reset.
  return Math.min(Math.max(next, 0), elapsedHours);
}

const lerp = (a: number, b: number, f: number): number => a + (b - a) * f;

/**
 * Integrates one machine's samples (any order) into per-period sums. `periods` must be sorted
 * and non-overlapping; time outside every period is ignored.
 */
export function integrateDevice(
  samples: readonly UsageSample[],
  periods: readonly Period[],
  model: ModelFigures,
  timeZone: string,
  gapCapMs: number,
): UsageSums[] {
  const sums = periods.map(() => emptySums());
  const sorted = [...samples].sort((a, b) => a.ts - b.ts);
  const unloadedKw = model.ratedPowerKw * model.unloadedPowerFraction;
  const rated = ratedSpecificEnergy(model);
  let pi = 0;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const dt = b.ts - a.ts;
    if (dt <= 0) continue;
    const gap = dt > gapCapMs;
    const elapsedH = dt / HOUR_MS;
    let running = counterDelta(a.runningHours, b.runningHours, elapsedH);
    let loaded = counterDelta(a.loadedHours, b.loadedHours, elapsedH);
    if (running === null || loaded === null) {
      // No counters: only a covered interval can be judged from the state it started in.
      const runs = !gap && (a.state === 'loaded' || a.state === 'unloaded');
      running ??= runs ? elapsedH : 0;
      loaded ??= !gap && a.state === 'loaded' ? elapsedH : 0;
    }
    loaded = Math.min(loaded, running);
    const nonProduction = isNonProduction(a.ts + dt / 2, timeZone);

    while (pi < periods.length && periods[pi]!.endMs <= a.ts) pi++;
    for (let k = pi; k < periods.length && periods[k]!.startMs < b.ts; k++) {
      const p = periods[k]!;
      const s = Math.max(a.ts, p.startMs);
      const e = Math.min(b.ts, p.endMs);
      if (e <= s) continue;
      const share = (e - s) / dt;
      const sum = sums[k]!;
      const hours = (e - s) / HOUR_MS;
      sum.runningHours += running * share;
      sum.loadedHours += loaded * share;
      sum.unloadedHours += (running - loaded) * share;
      sum.unloadedKwh += (running - loaded) * share * unloadedKw;
      if (gap) {
        sum.gapHours += hours;
        continue;
      }
      sum.coveredHours += hours;
      const fs = (s - a.ts) / dt;
      const fe = (e - a.ts) / dt;
      if (a.powerKw !== null && b.powerKw !== null) {
        sum.kwh += ((lerp(a.powerKw, b.powerKw, fs) + lerp(a.powerKw, b.powerKw, fe)) / 2) * hours;
      }
      if (a.flowM3Min !== null && b.flowM3Min !== null) {
        const air = ((lerp(a.flowM3Min, b.flowM3Min, fs) + lerp(a.flowM3Min, b.flowM3Min, fe)) / 2) * hours * 60;
        sum.airM3 += air;
        sum.ratedWeighted += air * rated;
        if (nonProduction) {
          sum.leakAirM3 += air;
          sum.leakMinutes += hours * 60;
        }
      }
    }
  }
  return sums;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Derived figures from sums. `peerMedian` only makes sense for one machine. */
export function figuresOf(s: UsageSums, tariff: Tariff, peerMedian: number | null = null): UsageFigures {
  return {
    kwh: round(s.kwh, 3),
    runningHours: round(s.runningHours, 3),
    loadedHours: round(s.loadedHours, 3),
    loadFactor: s.runningHours > 0 ? round(s.loadedHours / s.runningHours, 4) : null,
    airM3: round(s.airM3, 3),
    specificEnergyKwhM3: s.airM3 > 0 ? round(s.kwh / s.airM3, 4) : null,
    ratedSpecificEnergyKwhM3: s.airM3 > 0 ? round(s.ratedWeighted / s.airM3, 4) : null,
    peerMedianSpecificEnergyKwhM3: peerMedian === null ? null : round(peerMedian, 4),
    unloadedKwh: round(s.unloadedKwh, 3),
    leakFlowM3Min: s.leakMinutes > 0 ? round(s.leakAirM3 / s.leakMinutes, 4) : null,
    cost: round(s.kwh * tariff.tariffPerKwh, 2),
    co2Kg: round(s.kwh * tariff.gridCo2KgPerKwh, 3),
    coveredHours: round(s.coveredHours, 3),
    gapHours: round(s.gapHours, 3),
  };
}

/**
 * Site leak flow is the SUM of the machines' average non-production flows (they feed one
 * network), not the average over machine-minutes that plain sums would give.
 */
export function siteLeakFlow(machines: readonly UsageSums[]): number | null {
  const withData = machines.filter((m) => m.leakMinutes > 0);
  if (withData.length === 0) return null;
  return round(
    withData.reduce((acc, m) => acc + m.leakAirM3 / m.leakMinutes, 0),
    4,
  );
}

export interface DeviceInput {
  deviceId: string;
  model: ModelFigures;
  samples: readonly UsageSample[];
  /** Same-model peers' median specific energy over the range. */
  peerMedian: number | null;
  /** 3 reporting intervals of this machine (gapCapForInterval). */
  gapCapMs: number;
}

export interface UsageComputation {
  rows: UsageRow[];
  totals: UsageFigures;
  machines: Array<{ deviceId: string; totals: UsageFigures; sums: UsageSums }>;
  totalSums: UsageSums;
}

/**
 * The model-dependent sums from the model-independent ones (what a rollup stores): unloaded
 * energy at the model's unloaded power, the air-weighted rated figure.
 */
export function withModel(s: Omit<UsageSums, 'unloadedKwh' | 'ratedWeighted'>, model: ModelFigures): UsageSums {
  return { ...s, unloadedKwh: s.unloadedHours * model.ratedPowerKw * model.unloadedPowerFraction, ratedWeighted: s.airM3 * ratedSpecificEnergy(model) };
}

/**
 * Per-period rows and totals from per-DAY sums of each machine (rows sum the machines). Days are
 * the site-local days of the range (clipped at its edges); every report period (day, week, month)
 * is a union of whole days, so the sums are simply added — the integrals are additive.
 */
export function combineUsage(input: {
  devices: ReadonlyArray<{ deviceId: string; daySums: readonly UsageSums[]; peerMedian: number | null }>;
  days: readonly Period[];
  periods: readonly Period[];
  tariff: Tariff;
}): UsageComputation {
  const { days, periods } = input;
  const perDevice = input.devices.map((d) => {
    const out = periods.map(() => emptySums());
    let k = 0;
    days.forEach((day, i) => {
      while (k < periods.length - 1 && periods[k]!.endMs <= day.startMs) k++;
      out[k] = addSums(out[k]!, d.daySums[i]!);
    });
    return out;
  });
  const single = input.devices.length === 1 ? input.devices[0]! : null;
  const rows: UsageRow[] = periods.map((p, k) => {
    const machineSums = perDevice.map((list) => list[k]!);
    const sums = machineSums.reduce(addSums, emptySums());
    const figures = figuresOf(sums, input.tariff, single ? single.peerMedian : null);
    return {
      ...figures,
      leakFlowM3Min: single ? figures.leakFlowM3Min : siteLeakFlow(machineSums),
      period: p.label,
      periodStart: new Date(p.startMs).toISOString(),
      periodEnd: new Date(p.endMs).toISOString(),
    };
  });
  const machines = input.devices.map((d, i) => {
    const sums = perDevice[i]!.reduce(addSums, emptySums());
    return { deviceId: d.deviceId, sums, totals: figuresOf(sums, input.tariff, d.peerMedian) };
  });
  const totalSums = machines.map((m) => m.sums).reduce(addSums, emptySums());
  const totals = figuresOf(totalSums, input.tariff, single ? single.peerMedian : null);
  if (!single) totals.leakFlowM3Min = siteLeakFlow(machines.map((m) => m.sums));
  return { rows, totals, machines, totalSums };
}

/** The same report straight from raw samples (no rollup): the reference the rollup must equal. */
export function computeUsage(input: {
  devices: readonly DeviceInput[];
  fromMs: number;
  toMs: number;
  granularity: UsageGranularity;
  timeZone: string;
  tariff: Tariff;
}): UsageComputation {
  const days = periodsBetween(input.fromMs, input.toMs, 'day', input.timeZone, 100_000);
  const periods = periodsBetween(input.fromMs, input.toMs, input.granularity, input.timeZone);
  return combineUsage({
    devices: input.devices.map((d) => ({ deviceId: d.deviceId, peerMedian: d.peerMedian, daySums: integrateDevice(d.samples, days, d.model, input.timeZone, d.gapCapMs) })),
    days,
    periods,
    tariff: input.tariff,
  });
}

/** Median of a list (null when empty). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
