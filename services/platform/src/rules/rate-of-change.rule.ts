import type { RateState } from './rule-state.ts';
import type { AlarmClear, AlarmRaise, RateRule } from './rule-types.ts';

const DAY_MS = 86_400_000;

// Every sample asks for its day; consecutive samples share it, so remember the last answer.
let lastDayIndex = Number.NaN;
let lastDay = '';

export function utcDay(ts: number): string {
  const index = Math.floor(ts / DAY_MS);
  if (index !== lastDayIndex) {
    lastDay = new Date(index * DAY_MS).toISOString().slice(0, 10);
    lastDayIndex = index;
  }
  return lastDay;
}

function dayIndex(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/**
 * Adds one loaded sample to the daily aggregates. Comparing ADT *minus ambient* at load
 * takes the ambient out (high ambient raises ADT one for one, docs/domain.md §3) and loaded-only
 * samples make days comparable in load. Out-of-order samples are aggregated too.
 */
export function aggregateRateSample(prev: RateState, rule: RateRule, ts: number, elementTempC: number, ambientTempC: number): RateState {
  const day = utcDay(ts);
  const days = { ...prev.days };
  const cur = days[day] ?? [0, 0];
  days[day] = [cur[0] + (elementTempC - ambientTempC), cur[1] + 1];
  // Keep a little more than the window so a late replay into an older day still finds its bucket.
  const oldest = dayIndex(day) - rule.windowDays - 7;
  for (const d of Object.keys(days)) if (dayIndex(d) < oldest) delete days[d];
  return { ...prev, days };
}

export interface RateFit {
  slopeKPerDay: number;
  riseK: number;
  days: number;
  lastMeanK: number;
}

/** Least-squares slope of the daily means over the completed days before `beforeDay`. */
export function fitRate(state: RateState, rule: RateRule, beforeDay: string): RateFit | null {
  const end = dayIndex(beforeDay);
  const points: Array<[number, number]> = [];
  for (const [day, [sum, n]] of Object.entries(state.days)) {
    const i = dayIndex(day);
    if (i < end && i >= end - rule.windowDays && n >= rule.minSamplesPerDay) points.push([i, sum / n]);
  }
  if (points.length < rule.minDays) return null;
  points.sort((a, b) => a[0] - b[0]);
  const mx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const my = points.reduce((s, p) => s + p[1], 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const span = points[points.length - 1]![0] - points[0]![0];
  return { slopeKPerDay: slope, riseK: slope * span, days: points.length, lastMeanK: points[points.length - 1]![1] };
}

/**
 * Rate-of-change rule, evaluated once per day when the first in-order sample of a new UTC
 * day arrives, over the completed days. Daily evaluation makes it deterministic in event
 * time: a fast-forwarded run and a real-time run see the same days.
 */
export function evaluateRate(rule: RateRule, prev: RateState, ts: number): { state: RateState; raise?: AlarmRaise; clear?: AlarmClear } {
  const today = utcDay(ts);
  if (prev.evaluatedDay !== null && prev.evaluatedDay >= today) return { state: prev };
  const fit = fitRate(prev, rule, today);
  const state: RateState = { ...prev, evaluatedDay: today, lastSlope: fit?.slopeKPerDay ?? null };
  if (!fit) return { state };
  if (!prev.active && fit.slopeKPerDay > rule.raiseAboveKPerDay && fit.riseK >= rule.minRiseK) {
    return {
      state: { ...state, active: true },
      raise: {
        type: rule.type,
        severity: rule.severity,
        source: 'rule',
        message: `Element temperature above ambient at load rising ${fit.slopeKPerDay.toFixed(1)} K/day over ${fit.days} days (+${fit.riseK.toFixed(1)} K): check the cooler`,
        value: round2(fit.slopeKPerDay),
        threshold: rule.raiseAboveKPerDay,
        ts,
        details: { riseK: round2(fit.riseK), days: fit.days, lastMeanK: round2(fit.lastMeanK) },
      },
    };
  }
  if (prev.active && fit.slopeKPerDay < rule.clearBelowKPerDay) {
    return { state: { ...state, active: false }, clear: { type: rule.type, ts, reason: `ΔT trend ${fit.slopeKPerDay.toFixed(2)} K/day` } };
  }
  return { state };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
