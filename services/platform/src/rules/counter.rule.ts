import type { CounterState } from './rule-state.ts';
import type { AlarmClear, AlarmRaise, CounterRule } from './rule-types.ts';

const MAX_POINTS = 500;

export const initialCounterState = (): CounterState => ({ points: [], active: false });

/**
 * Records a reading of a monotonic counter (e.g. `motorStarts`). Only change points are
 * kept, so a window of an hour costs a handful of entries. Out-of-order readings are
 * inserted where they belong: they count, they just never raise a live alarm.
 */
export function recordCounter(points: ReadonlyArray<[number, number]>, ts: number, value: number, windowMs: number): Array<[number, number]> {
  const all: Array<[number, number]> = [...points, [ts, value]];
  all.sort((a, b) => a[0] - b[0]);
  const changes: Array<[number, number]> = [];
  for (const p of all) {
    const last = changes[changes.length - 1];
    if (last && p[1] < last[1]) {
      // Counters never decrease while a device lives (protocol §6.5): a replaced controller. Start over.
      changes.length = 0;
    }
    if (!last || changes.length === 0 || p[1] !== changes[changes.length - 1]![1]) changes.push(p);
  }
  // Keep the window plus the last point before it, which gives the value at the window's start.
  const newest = changes[changes.length - 1]![0];
  let firstKept = 0;
  for (let i = 0; i < changes.length; i += 1) if (changes[i]![0] <= newest - windowMs) firstKept = i;
  return changes.slice(Math.max(firstKept, changes.length - MAX_POINTS));
}

function valueAt(points: ReadonlyArray<[number, number]>, ts: number): number | undefined {
  let v: number | undefined;
  for (const [t, value] of points) {
    if (t > ts) break;
    v = value;
  }
  return v;
}

/** Counts in (ts − window, ts]. Before the first reading the counter is taken as unchanged. */
export function countInWindow(points: ReadonlyArray<[number, number]>, ts: number, windowMs: number): number {
  if (points.length === 0) return 0;
  const end = valueAt(points, ts) ?? points[0]![1];
  const start = valueAt(points, ts - windowMs) ?? points[0]![1];
  return Math.max(0, end - start);
}

/** Counter rule (starts per hour): raise above the limit, clear with hysteresis. Live samples only. */
export function evaluateCounter(rule: CounterRule, prev: CounterState, ts: number): { state: CounterState; raise?: AlarmRaise; clear?: AlarmClear } {
  const count = countInWindow(prev.points, ts, rule.windowMs);
  const minutes = Math.round(rule.windowMs / 60_000);
  if (!prev.active && count > rule.raiseAbove) {
    return {
      state: { ...prev, active: true },
      raise: {
        type: rule.type,
        severity: rule.severity,
        source: 'rule',
        message: `${count} motor starts in the last ${minutes} min (limit ${rule.raiseAbove})`,
        value: count,
        threshold: rule.raiseAbove,
        ts,
      },
    };
  }
  if (prev.active && count <= rule.clearAtOrBelow) {
    return { state: { ...prev, active: false }, clear: { type: rule.type, ts, reason: `${count} starts in the last ${minutes} min` } };
  }
  return { state: prev };
}
