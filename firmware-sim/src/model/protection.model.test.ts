import { COMPRESSOR_MODELS, DEVICE_EVENT_CODES, type DeviceEvent } from '@airfleet/contracts';
import { describe, expect, it } from 'vitest';
import { advance, initialState } from './compressor.model.ts';
import { generateHistory } from './history.generator.ts';
import { resetTrip, setRunCommand } from './operator.model.ts';
import { modelSpec, type CompressorState } from './physics.model.ts';

const MONDAY = Date.UTC(2025, 10, 17);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WORKDAY = MONDAY + 9 * HOUR;
/** A plant with steady daytime demand around the clock, no week timer: nothing but the protection under test changes. */
const STEADY = { weekTimer: false, dayLevel: 0.55, nightLevel: 0.55, weekendLevel: 0.55, leakFraction: 0.1 };

function run(state: CompressorState, ms: number, everyMs = 5000): { state: CompressorState; events: DeviceEvent[]; maxPressure: number; states: Set<string> } {
  const events: DeviceEvent[] = [];
  const states = new Set<string>();
  let s = state;
  let maxPressure = 0;
  const end = s.tMs + ms;
  while (s.tMs < end) {
    const r = advance(s, Math.min(end, s.tMs + everyMs));
    s = r.state;
    events.push(...r.events);
    states.add(s.state);
    maxPressure = Math.max(maxPressure, s.pressureBar);
  }
  return { state: s, events, maxPressure, states };
}

const ofType = (events: DeviceEvent[], ...types: string[]) => events.filter((e) => types.includes(e.type));
const codes = (events: DeviceEvent[]) => ofType(events, 'trip', 'warning').map((e) => e.code);

describe('element temperature protection', () => {
  it('warns at 110 °C, trips at 120 °C, stays latched when cool, and restarts only after a reset', () => {
    const hot = initialState('AF37', 3, { tMs: WORKDAY, ambientC: 68, profile: STEADY });
    const heating = run(hot, 2 * HOUR);
    expect(codes(heating.events)).toEqual([DEVICE_EVENT_CODES.ADT_HIGH_WARNING, DEVICE_EVENT_CODES.ADT_HIGH_TRIP]);
    const trip = ofType(heating.events, 'trip')[0] as DeviceEvent;
    expect(trip.values?.elementTempC).toBeGreaterThanOrEqual(120);
    expect(heating.state.state).toBe('tripped');
    const cooled = run(heating.state, 6 * HOUR);
    expect(cooled.states).toEqual(new Set(['tripped'])); // latched: cooling alone never restarts it
    expect(cooled.state.elementTempC).toBeLessThan(110);
    const reset = resetTrip(cooled.state);
    expect(reset.accepted).toBe(true);
    expect(reset.events).toEqual([expect.objectContaining({ type: 'reset', code: DEVICE_EVENT_CODES.TRIP_RESET })]);
    expect(reset.state.state).toBe('standby');
    const after = run(reset.state, 10 * 60_000);
    expect(ofType(after.events, 'start')).toHaveLength(1);
  });

  it('a hot machine refuses a reset with the reason', () => {
    const hot = initialState('AF37', 3, { tMs: WORKDAY, ambientC: 68, profile: STEADY });
    let s = hot;
    while (s.state !== 'tripped') s = advance(s, s.tMs + 1000).state;
    const r = resetTrip(s);
    expect(r).toMatchObject({ accepted: false, reason: expect.stringMatching(/^element still 12\d\.\d °C/) });
    expect(r.state.state).toBe('tripped');
  });
});

describe('motor current protection', () => {
  it('overload: current above 1.15 × FLA trips the motor after the relay delay, not at once', () => {
    const s = initialState('AF37', 3, { tMs: WORKDAY, profile: STEADY });
    // A blocked separator (ΔP ≈ 3.8 bar) puts the loaded motor well over its trip current.
    s.wear.separatorLoadedHours = 30_000;
    const r = run(s, HOUR, 1000);
    const trip = ofType(r.events, 'trip');
    expect(trip).toHaveLength(1);
    expect(trip[0]).toMatchObject({ code: DEVICE_EVENT_CODES.OVERLOAD_TRIP });
    expect(trip[0]?.values?.motorCurrentA).toBeGreaterThan(1.15 * modelSpec('AF37').flaA);
    const lastLoad = ofType(r.events, 'load').filter((e) => e.ts <= (trip[0]?.ts ?? 0)).at(-1) as DeviceEvent;
    expect((trip[0]?.ts ?? 0) - lastLoad.ts).toBeGreaterThanOrEqual(5000);
    expect((trip[0]?.ts ?? 0) - lastLoad.ts).toBeLessThan(7000);
    expect(r.state.state).toBe('tripped');
  });

  it('current between 1.05 and 1.15 × FLA: one MOTOR_CURRENT_WARNING for a standing condition, no trip', () => {
    const s = initialState('AF37', 3, { tMs: WORKDAY, profile: STEADY });
    s.wear.separatorLoadedHours = 15_000; // ΔP ≈ 1.95 bar: 1.05–1.12 × FLA across the band
    const r = run(s, 4 * HOUR);
    expect(codes(r.events)).toEqual([DEVICE_EVENT_CODES.MOTOR_CURRENT_WARNING]);
    expect(r.states.has('tripped')).toBe(false);
    expect(ofType(r.events, 'load').length).toBeGreaterThan(20); // it kept cycling all along
  });
});

describe('high pressure and vibration', () => {
  it('relief: a controller that fails to unload trips at max + 0.5 bar, and pressure never exceeds it', () => {
    const s = initialState('AF37', 3, { tMs: WORKDAY, profile: STEADY });
    s.control.unloadBar = 9.5; // a corrupted set point: nothing validated would allow this
    const r = run(s, HOUR, 1000);
    expect(codes(r.events)).toContain(DEVICE_EVENT_CODES.HIGH_PRESSURE_TRIP);
    expect(r.maxPressure).toBeLessThanOrEqual(modelSpec('AF37').maxPressureBar + 0.5 + 1e-9);
    expect(r.state.state).toBe('tripped');
  });

  it('vibration at the ISO 10816 zone D limit trips; a smaller rise does not', () => {
    const onsetMs = WORKDAY;
    const failing = initialState('AF75', 5, { tMs: WORKDAY, profile: STEADY, faults: [{ kind: 'bearing_wear', onsetMs, severity: 1, developHours: 0 }] });
    const r = run(failing, 10 * 60_000, 1000);
    expect(ofType(r.events, 'trip')).toEqual([expect.objectContaining({ code: DEVICE_EVENT_CODES.VIBRATION_TRIP })]);
    const worn = initialState('AF75', 5, { tMs: WORKDAY, profile: STEADY, faults: [{ kind: 'bearing_wear', onsetMs, severity: 0.6, developHours: 0 }] });
    expect(ofType(run(worn, DAY, 60_000).events, 'trip')).toEqual([]);
  });
});

describe('starts per hour and minimum stop time', () => {
  const stopStart = (s: CompressorState, stoppedMs: number, runMs: number) => {
    const stopped = run(setRunCommand(s, false), stoppedMs);
    const started = run(setRunCommand(stopped.state, true), runMs);
    return { state: started.state, events: [...stopped.events, ...started.events] };
  };

  it('a start inside the minimum stop time waits for it, with one START_INHIBITED naming the limit', () => {
    const spec = modelSpec('AF37');
    const s0 = run(initialState('AF37', 3, { tMs: WORKDAY, profile: STEADY }), 60_000).state;
    const r = stopStart(s0, 20_000, 10 * 60_000);
    const stop = ofType(r.events, 'stop')[0] as DeviceEvent;
    const inhibited = r.events.filter((e) => e.code === DEVICE_EVENT_CODES.START_INHIBITED);
    const start = ofType(r.events, 'start')[0] as DeviceEvent;
    expect(stop.code).toBe(DEVICE_EVENT_CODES.REMOTE_STOP);
    expect(inhibited).toHaveLength(1);
    expect(inhibited[0]?.message).toMatch(/minimum stop time 180 s/);
    expect(start.ts - stop.ts).toBeGreaterThanOrEqual(spec.limits.minStopTimeS * 1000);
    expect(start.ts - stop.ts).toBeLessThan(spec.limits.minStopTimeS * 1000 + 10_000);
  });

  it('the seventh start within an hour waits until the first is an hour old', () => {
    const spec = modelSpec('AF37');
    let s = run(initialState('AF37', 3, { tMs: WORKDAY, profile: STEADY }), 60_000).state;
    const events: DeviceEvent[] = [];
    for (let i = 0; i < 8; i += 1) {
      const r = stopStart(s, 200_000, 100_000);
      s = r.state;
      events.push(...r.events);
    }
    events.push(...run(s, HOUR).events);
    const starts = ofType(events, 'start');
    expect(starts.length).toBeGreaterThanOrEqual(7);
    const budget = events.filter((e) => e.code === DEVICE_EVENT_CODES.START_INHIBITED && /starts in the last hour/.test(e.message ?? ''));
    expect(budget.length).toBeGreaterThanOrEqual(1);
    expect(budget[0]?.values).toMatchObject({ startsLastHour: spec.limits.maxStartsPerHour });
    // Never more than the budget in any hour, and the 7th start came only when the 1st was an hour old.
    for (const st of starts) expect(starts.filter((x) => x.ts > st.ts - HOUR && x.ts <= st.ts).length).toBeLessThanOrEqual(spec.limits.maxStartsPerHour);
    expect((starts[6] as DeviceEvent).ts - (starts[0] as DeviceEvent).ts).toBeGreaterThanOrEqual(HOUR);
    expect((starts[6] as DeviceEvent).ts - (starts[0] as DeviceEvent).ts).toBeLessThan(HOUR + 60_000);
  });
});

describe('a healthy machine never trips', () => {
  // Every model, normal and hot (30 °C mean, with daily swing and warm spells on top) sites, a month each.
  const cases = COMPRESSOR_MODELS.flatMap((m) => [
    { modelId: m.id, seed: 11, ambientC: undefined },
    { modelId: m.id, seed: 12, ambientC: 30 },
  ]);
  it.each(cases)('$modelId seed $seed ambient $ambientC: no trip or warning in 30 days', ({ modelId, seed, ambientC }) => {
    const alarms: DeviceEvent[] = [];
    let tripped = false;
    const gen = generateHistory({
      modelId,
      seed,
      ambientC,
      fromMs: Date.UTC(2025, 6, 1),
      toMs: Date.UTC(2025, 6, 31),
      sampleEveryMs: 10 * 60_000,
      onEvent: (e) => {
        if (e.type === 'trip' || e.type === 'warning') alarms.push(e);
      },
    });
    for (const sample of gen) if (sample.state === 'tripped') tripped = true;
    expect(alarms).toEqual([]);
    expect(tripped).toBe(false);
  });
});
