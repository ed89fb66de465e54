import type { DeviceEvent } from '@airfleet/contracts';
import { describe, expect, it } from 'vitest';
import { advance, initialState } from './compressor.model.ts';
import { localTime } from './demand.model.ts';
import { setPressureBand } from './operator.model.ts';
import { modelSpec, type CompressorState } from './physics.model.ts';

const MONDAY = Date.UTC(2025, 10, 17);
const HOUR = 3_600_000;

/** Steps in 5 s increments, recording pressure and state at every step. */
function trace(state: CompressorState, ms: number): { state: CompressorState; events: DeviceEvent[]; points: Array<{ t: number; p: number; s: string }> } {
  const points: Array<{ t: number; p: number; s: string }> = [];
  const events: DeviceEvent[] = [];
  let s = state;
  const end = s.tMs + ms;
  while (s.tMs < end) {
    const r = advance(s, s.tMs + 5_000);
    s = r.state;
    events.push(...r.events);
    points.push({ t: s.tMs, p: s.pressureBar, s: s.state });
  }
  return { state: s, events, points };
}

describe('idle stop and restart', () => {
  // A tight plant at night: small leak, no production; the machine idles long enough to stop.
  const quiet = { leakFraction: 0.04, dayLevel: 0, nightLevel: 0, weekendLevel: 0, idleTimerS: 300, weekTimer: false };

  it('stops after the idle timer, restarts at the load set point, and respects the starts budget', () => {
    const spec = modelSpec('AF37');
    const { events, points } = trace(initialState('AF37', 4, { tMs: MONDAY, profile: quiet }), 6 * HOUR);
    const stops = events.filter((e) => e.type === 'stop');
    const starts = events.filter((e) => e.type === 'start');
    expect(stops.length).toBeGreaterThan(2);
    expect(stops.every((e) => e.code === 'IDLE_STOP')).toBe(true);
    expect(starts.length).toBeGreaterThan(2);
    expect(points.some((x) => x.s === 'standby')).toBe(true);
    // Each stop follows ≥ idle timer of unloaded running.
    for (const stop of stops) {
      const lastUnload = events.filter((e) => e.type === 'unload' && e.ts <= stop.ts).at(-1);
      expect(stop.ts - (lastUnload?.ts ?? 0)).toBeGreaterThanOrEqual(quiet.idleTimerS * 1000);
    }
    // Restart happens at the load point, after the minimum stop time, within the hourly budget.
    for (const start of starts) {
      const before = points.filter((x) => x.t <= start.ts).at(-1);
      expect(before?.p).toBeLessThanOrEqual(spec.defaultLoadBar + 0.02);
      const lastStop = stops.filter((e) => e.ts < start.ts).at(-1);
      if (lastStop) expect(start.ts - lastStop.ts).toBeGreaterThanOrEqual(spec.limits.minStopTimeS * 1000);
      const inHour = starts.filter((e) => e.ts > start.ts - HOUR && e.ts <= start.ts);
      expect(inHour.length).toBeLessThanOrEqual(spec.limits.maxStartsPerHour);
    }
    // The controller only stops when it can restart in time: pressure stays in band.
    for (const x of points) expect(x.p).toBeGreaterThan(spec.defaultLoadBar - 0.1);
  });

  it('does not idle-stop when the pressure would reach the load point within the minimum stop time', () => {
    // A leaky plant: the band drains in ~2 min, so an idle stop would drop below the load point.
    const leaky = { ...quiet, leakFraction: 0.3, idleTimerS: 60 };
    const { events } = trace(initialState('AF37', 4, { tMs: MONDAY, profile: leaky }), 2 * HOUR);
    expect(events.filter((e) => e.type === 'stop')).toEqual([]);
    expect(events.filter((e) => e.type === 'load').length).toBeGreaterThan(10);
  });
});

describe('week timer', () => {
  it('stops the machine over the weekend in site local time and restarts it on Monday morning', () => {
    const offset = 480; // Shanghai: UTC+8
    const friday = MONDAY + 4 * 24 * HOUR;
    const s0 = initialState('AF75', 6, { tMs: friday, utcOffsetMinutes: offset, profile: { weekTimer: true, saturdayShift: false } });
    const r = advance(s0, friday + 4 * 24 * HOUR);
    const stop = r.events.find((e) => e.type === 'stop');
    const start = r.events.find((e) => e.type === 'start');
    expect(stop?.code).toBe('WEEK_TIMER_STOP');
    expect(localTime(stop?.ts ?? 0, offset)).toMatchObject({ dayOfWeek: 5 });
    expect(localTime(stop?.ts ?? 0, offset).hour).toBeCloseTo(22.5, 2);
    expect(localTime(start?.ts ?? 0, offset)).toMatchObject({ dayOfWeek: 1 });
    expect(localTime(start?.ts ?? 0, offset).hour).toBeCloseTo(5.5, 2);
  });
});

describe('pressure band command', () => {
  it('accepts a band within the model maximum and the machine follows it', () => {
    const s0 = initialState('AF37', 3, { tMs: MONDAY + 9 * HOUR, profile: { weekTimer: false } });
    const set = setPressureBand(s0, 6.0, 7.0);
    expect(set.accepted).toBe(true);
    const { points } = trace(set.state, HOUR);
    const later = points.slice(points.length / 2);
    expect(Math.max(...later.map((x) => x.p))).toBeLessThan(7.05);
    expect(Math.min(...later.map((x) => x.p))).toBeGreaterThan(5.95);
  });

  it.each([
    [7.0, 8.6, /^unload 8.6 bar exceeds the model maximum 8.0 bar$/],
    [7.5, 7.0, /^load 7.5 bar must be below unload 7 bar$/],
    [7.0, 7.0, /must be below unload/],
    [7.0, 7.1, /^band 0.1 bar is narrower than the minimum 0.3 bar$/],
    [3.5, 6.0, /^load 3.5 bar is below the minimum 4.0 bar$/],
  ])('rejects load %s / unload %s', (load, unload, reason) => {
    const s0 = initialState('AF37', 3, { tMs: MONDAY });
    const r = setPressureBand(s0, load, unload);
    expect(r.accepted).toBe(false);
    expect(r.reason).toMatch(reason);
    expect(r.state.control.unloadBar).toBe(modelSpec('AF37').defaultUnloadBar);
  });
});

describe('initial state', () => {
  it('draws realistic counters for a machine a few years old, deterministic per seed', () => {
    for (let seed = 1; seed <= 50; seed += 1) {
      const s = initialState('AF37', seed, { tMs: MONDAY });
      const c = s.counters;
      expect(c.runningHours).toBeGreaterThanOrEqual(5000);
      expect(c.runningHours).toBeLessThanOrEqual(30_000);
      expect(c.loadedHours / c.runningHours).toBeGreaterThanOrEqual(0.55);
      expect(c.loadedHours / c.runningHours).toBeLessThanOrEqual(0.75);
      expect(Number.isInteger(c.motorStarts) && Number.isInteger(c.loadCycles)).toBe(true);
      expect(c.loadCycles).toBeGreaterThan(c.motorStarts);
      expect(s.wear.separatorLoadedHours).toBeLessThan(4000);
      expect(initialState('AF37', seed, { tMs: MONDAY })).toEqual(s);
    }
  });

  it('keeps given counters and derives the missing ones in proportion', () => {
    const s = initialState('AF22', 1, { tMs: MONDAY, counters: { runningHours: 12_000, motorStarts: 900 } });
    expect(s.counters.runningHours).toBe(12_000);
    expect(s.counters.motorStarts).toBe(900);
    expect(s.counters.loadedHours).toBeGreaterThan(0.5 * 12_000);
    expect(s.counters.loadedHours).toBeLessThan(0.8 * 12_000);
    const fresh = initialState('AF22', 1, { tMs: MONDAY, newMachine: true });
    expect(fresh.counters).toEqual({ runningHours: 0, loadedHours: 0, motorStarts: 0, loadCycles: 0 });
  });

  it('continues the wear state from last readings (the end of back-filled history)', () => {
    const s = initialState('AF37', 1, { tMs: MONDAY, counters: { runningHours: 20_000 }, readings: { separatorDpBar: 0.42, airFilterDpMbar: 31 } });
    expect(s.outputs.separatorDpBar).toBeCloseTo(0.42, 6);
    expect(s.outputs.airFilterDpMbar).toBeCloseTo(31, 6);
  });

  it('unknown model is refused', () => {
    expect(() => initialState('AF999', 1, { tMs: MONDAY })).toThrow(/unknown compressor model/);
  });
});

describe('initial state inside the week-timer off period', () => {
  it('starts stopped and cold, without a spurious stop event, and starts on Monday morning', () => {
    const sunday = MONDAY - 12 * HOUR;
    const s0 = initialState('AF37', 6, { tMs: sunday, profile: { weekTimer: true } });
    expect(s0.state).toBe('stopped');
    expect(s0.elementTempC).toBeCloseTo(s0.outputs.ambientC, 5);
    const r = advance(s0, MONDAY + 6 * HOUR);
    expect(r.events.filter((e) => e.type === 'stop')).toEqual([]);
    expect(r.events.filter((e) => e.type === 'start')).toHaveLength(1);
  });
});
