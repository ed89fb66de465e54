import { COMPRESSOR_MODELS, telemetrySchema, type Telemetry } from '@airfleet/contracts';
import { describe, expect, it } from 'vitest';
import { advance, initialState, upgradeState } from './compressor.model.ts';
import { historyArray } from './history.generator.ts';
import { resetTrip, setRunCommand } from './operator.model.ts';
import { modelSpec, PHYSICS, type CompressorState } from './physics.model.ts';
import { toTelemetry } from './sample.model.ts';

// Monday 2025-11-17 00:00 UTC: weeks start on a Monday so weekday/weekend cases are explicit.
const MONDAY = Date.UTC(2025, 10, 17);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FIXED = ['AF22', 'AF37', 'AF75'] as const;

function history(modelId: string, seed: number, days: number, everyMs: number, profile: Partial<CompressorState['profile']> = {}) {
  return historyArray({ modelId, seed, fromMs: MONDAY, toMs: MONDAY + days * DAY, sampleEveryMs: everyMs, profile: { weekTimer: false, ...profile } });
}

function metric(s: Telemetry, key: keyof Telemetry['metrics']): number {
  const v = s.metrics[key];
  if (typeof v !== 'number') throw new Error(`missing ${String(key)}`);
  return v;
}

describe('pressure band (fixed speed)', () => {
  it.each(FIXED)('%s cycles between its load and unload set points', (modelId) => {
    const spec = modelSpec(modelId);
    const { samples } = history(modelId, 11, 3, 5_000);
    const running = samples.filter((s) => s.state === 'loaded' || s.state === 'unloaded');
    expect(running.length).toBe(samples.length);
    const pressures = running.map((s) => metric(s, 'pressureBar'));
    // One 1 s step of overshoot plus sensor noise.
    expect(Math.min(...pressures)).toBeGreaterThanOrEqual(spec.defaultLoadBar - 0.1);
    expect(Math.max(...pressures)).toBeLessThanOrEqual(spec.defaultUnloadBar + 0.1);
    // Not vacuous: the whole band is used, and the machine both loads and unloads.
    expect(Math.min(...pressures)).toBeLessThan(spec.defaultLoadBar + 0.15);
    expect(Math.max(...pressures)).toBeGreaterThan(spec.defaultUnloadBar - 0.15);
    expect(running.some((s) => s.state === 'loaded')).toBe(true);
    expect(running.some((s) => s.state === 'unloaded')).toBe(true);
  });
});

describe('counters', () => {
  it.each(COMPRESSOR_MODELS.map((m) => m.id))('%s: monotonic and consistent with the samples', (modelId) => {
    const { samples } = historyArray({ modelId, seed: 5, fromMs: MONDAY, toMs: MONDAY + 7 * DAY, sampleEveryMs: 60_000, profile: { weekTimer: true } });
    const keys = ['runningHours', 'loadedHours', 'motorStarts', 'loadCycles'] as const;
    let loadedSamples = 0;
    let runningSamples = 0;
    for (let i = 1; i < samples.length; i += 1) {
      const a = samples[i - 1] as Telemetry;
      const b = samples[i] as Telemetry;
      for (const k of keys) expect(metric(b, k)).toBeGreaterThanOrEqual(metric(a, k));
      const dtH = (b.ts - a.ts) / HOUR;
      const dRun = metric(b, 'runningHours') - metric(a, 'runningHours');
      const dLoaded = metric(b, 'loadedHours') - metric(a, 'loadedHours');
      expect(dRun).toBeLessThanOrEqual(dtH + 1e-3);
      expect(dLoaded).toBeLessThanOrEqual(dRun + 1e-3);
      // A machine held off by the week timer accumulates no hours.
      if (a.state === 'stopped' && b.state === 'stopped') expect(dRun).toBeCloseTo(0, 6);
      if (b.state === 'loaded') loadedSamples += 1;
      if (b.state === 'loaded' || b.state === 'unloaded') runningSamples += 1;
    }
    const first = samples[0] as Telemetry;
    const last = samples.at(-1) as Telemetry;
    const dRunning = metric(last, 'runningHours') - metric(first, 'runningHours');
    const dLoaded = metric(last, 'loadedHours') - metric(first, 'loadedHours');
    // Sampled states agree with the integrated counters (snapshot sampling, so ±5 %).
    expect(Math.abs(dLoaded / dRunning - loadedSamples / runningSamples)).toBeLessThan(0.05);
    expect(Math.abs(dRunning - (runningSamples * 60_000) / HOUR) / dRunning).toBeLessThan(0.05);
    // The week timer stopped and restarted the machine over the weekend.
    expect(metric(last, 'motorStarts')).toBeGreaterThan(metric(first, 'motorStarts'));
    expect(metric(last, 'loadCycles')).toBeGreaterThan(metric(first, 'loadCycles'));
  });
});

describe('power, current and flow', () => {
  it.each(COMPRESSOR_MODELS.map((m) => m.id))('%s: unloaded power ≈ the model unloaded fraction', (modelId) => {
    const spec = modelSpec(modelId);
    const { samples } = history(modelId, 3, 2, 30_000);
    const unloaded = samples.filter((s) => s.state === 'unloaded');
    expect(unloaded.length).toBeGreaterThan(0);
    for (const s of unloaded) {
      expect(metric(s, 'powerKw') / spec.ratedPowerKw).toBeCloseTo(spec.unloadedPowerFraction, 2);
      expect(metric(s, 'flowM3Min')).toBe(0);
    }
  });

  it.each(FIXED)('%s loaded: rated power corrected for pressure, FAD delivered, current within FLA', (modelId) => {
    const spec = modelSpec(modelId);
    const { samples } = history(modelId, 3, 2, 30_000);
    const loaded = samples.filter((s) => s.state === 'loaded');
    expect(loaded.length).toBeGreaterThan(0);
    for (const s of loaded) {
      const p = metric(s, 'pressureBar');
      const extraSep = metric(s, 'separatorDpBar') - PHYSICS.separatorNewBar;
      const expected = spec.ratedPowerKw * (1 + PHYSICS.powerPerBar * (p + extraSep - spec.ratedPressureBar));
      expect(Math.abs(metric(s, 'powerKw') / expected - 1)).toBeLessThan(0.03);
      expect(Math.abs(metric(s, 'flowM3Min') / spec.fadM3Min - 1)).toBeLessThan(0.06);
      const current = (metric(s, 'powerKw') * 1000) / (Math.sqrt(3) * 400 * 0.86);
      expect(Math.abs(metric(s, 'motorCurrentA') / current - 1)).toBeLessThan(0.03);
      expect(metric(s, 'motorCurrentA')).toBeLessThanOrEqual(spec.flaA * spec.limits.motorCurrentWarnFactor);
    }
  });

  it('VSD holds the pressure near its set point, with power roughly linear in flow above the floor', () => {
    const spec = modelSpec('AF90V');
    const setPoint = (spec.defaultLoadBar + spec.defaultUnloadBar) / 2;
    const { samples } = history('AF90V', 9, 3, 10_000);
    const loaded = samples.filter((s) => s.state === 'loaded');
    expect(loaded.length / samples.length).toBeGreaterThan(0.9);
    // While the drive modulates (above its minimum speed) it holds the set point tightly;
    // below the turndown floor the pressure rises towards the unload point, as it should.
    // (Skipping the first minute after a reload from the load point, while the PI catches up.)
    const settled = samples.filter((s, i) => i >= 6 && samples.slice(i - 6, i + 1).every((x) => x.state === 'loaded'));
    const modulating = settled.filter((s) => (s.metrics.motorSpeedPct as number) > PHYSICS.vsdMinSpeed * 100 + 1);
    expect(modulating.length / loaded.length).toBeGreaterThan(0.8);
    for (const s of modulating) expect(Math.abs(metric(s, 'pressureBar') - setPoint)).toBeLessThan(0.1);
    for (const s of samples) {
      expect(metric(s, 'pressureBar')).toBeGreaterThan(spec.defaultLoadBar - 0.1);
      expect(metric(s, 'pressureBar')).toBeLessThan(spec.defaultUnloadBar + 0.1);
    }
    // The drive really modulates: speeds span most of the range over shifts and nights.
    const flows = loaded.map((s) => metric(s, 'flowM3Min') / spec.fadM3Min);
    expect(Math.min(...flows)).toBeLessThan(0.4);
    expect(Math.max(...flows)).toBeGreaterThan(0.6);
    for (const s of loaded) {
      const speed = (s.metrics.motorSpeedPct as number) / 100;
      const base = spec.ratedPowerKw * (PHYSICS.vsdPowerFloor + (1 - PHYSICS.vsdPowerFloor) * speed);
      expect(Math.abs(metric(s, 'powerKw') / base - 1)).toBeLessThan(0.08);
    }
  });
});

describe('element temperature', () => {
  const profile = { siteAmbientC: 25, ambientSwingK: 0, weekTimer: false };

  function runFor(state: CompressorState, ms: number): CompressorState {
    return advance(state, state.tMs + ms).state;
  }

  it('converges to ambient + ΔT when loaded', () => {
    // Demand beyond FAD (a plant leaking most of the capacity plus an injected leak) keeps a fixed-speed machine loaded.
    let s = initialState('AF37', 1, {
      tMs: MONDAY,
      profile: { ...profile, leakFraction: 0.9 },
      faults: [{ kind: 'air_leak', onsetMs: 0, severity: 1, developHours: 0 }],
    });
    s = runFor(s, 40 * 60_000);
    expect(s.state).toBe('loaded');
    expect(s.elementTempC).toBeCloseTo(s.outputs.ambientC + PHYSICS.deltaTLoadedK, 0);
  });

  it('converges to ambient + ΔT unloaded and cools towards ambient when stopped', () => {
    // No demand at all, and an idle timer that never fires: the machine idles unloaded.
    const quiet = { ...profile, leakFraction: 0, dayLevel: 0, nightLevel: 0, weekendLevel: 0, idleTimerS: 1e9 };
    let s = initialState('AF37', 1, { tMs: MONDAY, profile: quiet });
    s = runFor(s, 40 * 60_000);
    expect(s.state).toBe('unloaded');
    expect(s.elementTempC).toBeCloseTo(s.outputs.ambientC + PHYSICS.deltaTUnloadedK, 0);
    s = runFor(setRunCommand(s, false), 3 * HOUR);
    expect(s.state).toBe('stopped');
    expect(s.outputs.powerKw).toBe(0);
    expect(Math.abs(s.elementTempC - s.outputs.ambientC)).toBeLessThan(0.5);
  });
});

describe('determinism', () => {
  it('the same seed gives identical output, a different seed a different one', () => {
    const a = history('AF75', 42, 1, 60_000).samples;
    const b = history('AF75', 42, 1, 60_000).samples;
    const c = history('AF75', 43, 1, 60_000).samples;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('one long advance equals many short ones (history and live agent walk the same trajectory)', () => {
    const start = initialState('AF90V', 8, { tMs: MONDAY, utcOffsetMinutes: 60 });
    const once = advance(start, MONDAY + 6 * HOUR, { collectEvents: false }).state;
    let chunked = start;
    for (let t = MONDAY + 5_000; t <= MONDAY + 6 * HOUR; t += 5_000) chunked = advance(chunked, t).state;
    expect(chunked).toEqual(once);
    expect(toTelemetry(chunked, 1)).toEqual(toTelemetry(once, 1));
  });
});

describe('local protection: ADT trip', () => {
  it('trips at the model limit when cooling is impaired, stays tripped until reset', () => {
    const spec = modelSpec('AF37');
    let s = initialState('AF37', 2, { tMs: MONDAY + 8 * HOUR, profile: { siteAmbientC: 68, ambientSwingK: 0, weekTimer: false } });
    const r = advance(s, s.tMs + 2 * HOUR);
    s = r.state;
    const trip = r.events.find((e) => e.type === 'trip');
    expect(trip?.code).toBe('ADT_HIGH_TRIP');
    expect(trip?.values?.elementTempC).toBeGreaterThanOrEqual(spec.limits.elementTempTripC);
    // The warning came first.
    const warning = r.events.find((e) => e.type === 'warning' && e.code === 'ADT_HIGH_WARNING');
    expect(warning?.ts).toBeLessThan(trip?.ts ?? 0);
    expect(r.events.filter((e) => e.type === 'trip')).toHaveLength(1);
    expect(s.state).toBe('tripped');
    expect(s.outputs.powerKw).toBe(0);
    expect(s.outputs.flowM3Min).toBe(0);
    // Still tripped hours later although the machine has cooled and pressure is gone.
    s = advance(s, s.tMs + 6 * HOUR).state;
    expect(s.state).toBe('tripped');
    expect(s.elementTempC).toBeLessThan(spec.limits.elementTempWarnC);
    const reset = resetTrip(s);
    expect(reset.accepted).toBe(true);
    expect(reset.state.state).toBe('standby');
    const after = advance(reset.state, reset.state.tMs + 60_000);
    expect(after.events.some((e) => e.type === 'start')).toBe(true);
  });

  it('a machine still hot after its trip cannot be reset', () => {
    let s = initialState('AF22', 2, { tMs: MONDAY + 8 * HOUR, profile: { siteAmbientC: 68, ambientSwingK: 0, weekTimer: false } });
    while (s.state !== 'tripped') s = advance(s, s.tMs + 10_000).state;
    const reset = resetTrip(s);
    expect(reset.accepted).toBe(false);
    expect(reset.reason).toMatch(/element still/);
    expect(reset.state.state).toBe('tripped');
  });

  it.each(COMPRESSOR_MODELS.map((m) => m.id))('%s never trips in a healthy week at a hot site', (modelId) => {
    for (const seed of [1, 2, 3]) {
      const events: string[] = [];
      const { samples } = historyArray({
        modelId,
        seed,
        fromMs: MONDAY,
        toMs: MONDAY + 7 * DAY,
        sampleEveryMs: 60_000,
        ambientC: 32,
        onEvent: (e) => {
          if (e.type === 'trip' || e.type === 'warning') events.push(`${e.type}:${e.code}`);
        },
      });
      expect(events.filter((e) => !e.endsWith('START_INHIBITED'))).toEqual([]);
      expect(samples.every((s) => s.state !== 'tripped')).toBe(true);
      expect(Math.max(...samples.map((s) => metric(s, 'elementTempC')))).toBeLessThan(modelSpec(modelId).limits.elementTempWarnC);
    }
  });
});

describe('generated history', () => {
  it.each(COMPRESSOR_MODELS.map((m) => m.id))('%s validates against telemetrySchema, seq increments, ts on the grid', (modelId) => {
    const { samples, state } = historyArray({ modelId, seed: 77, fromMs: MONDAY, toMs: MONDAY + 2 * DAY, sampleEveryMs: 60_000, startSeq: 10 });
    expect(samples).toHaveLength(2 * 24 * 60);
    samples.forEach((s, i) => {
      const parsed = telemetrySchema.safeParse(s);
      if (!parsed.success) throw new Error(`sample ${i}: ${parsed.error.message}`);
      expect(s.seq).toBe(10 + i);
      expect(s.ts).toBe(MONDAY + i * 60_000);
    });
    // The returned state is the machine at the last sample: counters continue from there.
    expect(state.tMs).toBe((samples.at(-1) as Telemetry).ts);
    expect(state.counters.runningHours).toBeCloseTo(metric(samples.at(-1) as Telemetry, 'runningHours'), 3);
  });
});

describe('history continues into the live agent', () => {
  it('the state after generateHistory equals a one-shot replay from the same start (what the agent does with initial.atMs)', () => {
    const opts = { modelId: 'AF75', seed: 31, fromMs: MONDAY, toMs: MONDAY + 2 * DAY, sampleEveryMs: 60_000, utcOffsetMinutes: -360, ambientC: 18, initial: { runningHours: 9000 } };
    const { samples, state } = historyArray(opts);
    const replayed = advance(initialState('AF75', 31, { tMs: MONDAY, utcOffsetMinutes: -360, ambientC: 18, counters: { runningHours: 9000 } }), (samples.at(-1) as Telemetry).ts, {
      collectEvents: false,
    }).state;
    expect(replayed).toEqual(state);
  });
});

describe('saved state from an older firmware', () => {
  it('a v1 state is upgraded with its counters kept; junk is refused', () => {
    const v2 = advance(initialState('AF37', 8, { tMs: MONDAY, counters: { runningHours: 10_250 } }), MONDAY + HOUR).state;
    // What the previous firmware saved: no service marks, memory, derate or the new protection fields.
    const { service: _s, memory: _m, ...rest } = v2;
    const v1 = { ...rest, v: 1, control: { run: true, loadBar: 6.5, unloadBar: 7.5, speed: 1, integral: 0.15 }, protection: { adtWarning: false } };
    const up = upgradeState(JSON.parse(JSON.stringify(v1)));
    expect(up?.v).toBe(2);
    expect(up?.counters).toEqual(v2.counters);
    expect(up?.service).toEqual({ first: 500, A: 10_000, B: 8_000, C: 8_000 });
    expect(up?.memory).toEqual({ maintenanceDue: null, judgments: [] });
    // And it runs.
    expect(advance(up as CompressorState, MONDAY + 2 * HOUR).state.counters.runningHours).toBeGreaterThan(v2.counters.runningHours);
    expect(upgradeState({ v: 7 })).toBeNull();
    expect(upgradeState('state')).toBeNull();
  });
});
