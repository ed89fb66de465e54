import { telemetrySchema, type DeviceEvent, type Telemetry } from '@airfleet/contracts';
import { describe, expect, it } from 'vitest';
import { advance, initialState } from './compressor.model.ts';
import { DEFAULT_DEVELOP_HOURS, faultLevel, faultModifiers, networkOutageActive, type FaultSpec } from './fault.model.ts';
import { generateHistory, historyArray } from './history.generator.ts';
import { applyService, injectFaults } from './operator.model.ts';
import { toTelemetry } from './sample.model.ts';

const MONDAY = Date.UTC(2025, 10, 17);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('faults develop gradually', () => {
  it('level ramps from onset to severity over the development time', () => {
    const f = { kind: 'cooler_fouling' as const, onsetMs: MONDAY, severity: 0.8, developHours: 10 };
    expect(faultLevel(f, MONDAY - 1)).toBe(0);
    expect(faultLevel(f, MONDAY + 5 * HOUR)).toBeCloseTo(0.4, 6);
    expect(faultLevel(f, MONDAY + 50 * HOUR)).toBeCloseTo(0.8, 6);
  });

  it('cooler fouling raises ADT slowly: the warning comes first, the trip days after onset', () => {
    const onsetMs = MONDAY + DAY;
    const events: Array<{ type: string; code?: string; ts: number }> = [];
    historyArray({
      modelId: 'AF37',
      seed: 3,
      fromMs: MONDAY,
      toMs: MONDAY + 8 * DAY,
      sampleEveryMs: 300_000,
      ambientC: 25,
      profile: { weekTimer: false },
      faults: [{ kind: 'cooler_fouling', onsetMs, severity: 1, developHours: 120 }],
      onEvent: (e) => {
        if (e.type === 'trip' || e.type === 'warning') events.push(e);
      },
    });
    const warning = events.find((e) => e.code === 'ADT_HIGH_WARNING');
    const trip = events.find((e) => e.code === 'ADT_HIGH_TRIP');
    expect(warning).toBeDefined();
    expect(trip).toBeDefined();
    expect((warning?.ts ?? 0) - onsetMs).toBeGreaterThan(DAY);
    expect((trip?.ts ?? 0) - (warning?.ts ?? 0)).toBeGreaterThan(HOUR);
  });

  it('separator and air-filter clogging raise their ΔP; a service clears them', () => {
    const s0 = initialState('AF75', 1, {
      tMs: MONDAY,
      faults: [
        { kind: 'separator_clogging', onsetMs: MONDAY, severity: 1, developHours: 0 },
        { kind: 'air_filter_clogging', onsetMs: MONDAY, severity: 1, developHours: 0 },
      ],
    });
    const healthy = advance(initialState('AF75', 1, { tMs: MONDAY }), MONDAY + HOUR).state;
    const sick = advance(s0, MONDAY + HOUR).state;
    expect(sick.outputs.separatorDpBar - healthy.outputs.separatorDpBar).toBeCloseTo(0.9, 1);
    expect(sick.outputs.airFilterDpMbar - healthy.outputs.airFilterDpMbar).toBeCloseTo(60, 0);
    const serviced = advance(applyService(sick, 'B'), MONDAY + 2 * HOUR).state;
    expect(serviced.faults).toEqual([]);
    expect(serviced.outputs.separatorDpBar).toBeLessThan(0.2);
    expect(serviced.outputs.airFilterDpMbar).toBeLessThan(15);
  });

  it('a stuck sensor freezes its reading and a dropout removes it; samples stay valid', () => {
    let s = initialState('AF37', 2, { tMs: MONDAY + 9 * HOUR, profile: { weekTimer: false } });
    s = injectFaults(s, [
      { kind: 'stuck_sensor', metric: 'pressureBar', onsetMs: MONDAY + 9 * HOUR + 60_000, severity: 1 },
      { kind: 'sensor_dropout', metric: 'vibrationMmS', onsetMs: MONDAY + 9 * HOUR + 60_000, severity: 1 },
    ]);
    s = advance(s, s.tMs + 120_000).state;
    const a = toTelemetry(s, 1);
    s = advance(s, s.tMs + 10 * 60_000).state;
    const b = toTelemetry(s, 2);
    expect(b.metrics.pressureBar).toBe(a.metrics.pressureBar);
    expect(Math.abs(s.pressureBar - (a.metrics.pressureBar ?? 0))).toBeGreaterThan(0); // the real pressure moved on
    expect(b.metrics.vibrationMmS).toBeUndefined();
    expect(telemetrySchema.safeParse(b).success).toBe(true);
  });
});

describe('each fault kind develops gradually and leads somewhere days later', () => {
  const FROM = MONDAY;
  const ONSET = MONDAY + DAY;
  type Kind = 'cooler_fouling' | 'separator_clogging' | 'air_filter_clogging' | 'bearing_wear' | 'air_leak';

  /** Daily means of a metric over loaded samples (and every trip/warning) with one fault from ONSET. */
  function daily(kind: Kind, metric: (s: Telemetry) => number | undefined, days: number, modelId = 'AF37') {
    const events: DeviceEvent[] = [];
    const sums = new Map<number, { sum: number; n: number }>();
    let tripped = false;
    for (const s of generateHistory({
      modelId,
      seed: 21,
      fromMs: FROM,
      toMs: FROM + days * DAY,
      sampleEveryMs: 300_000,
      ambientC: 22,
      // A plant with the same demand every day, so day-to-day changes are the fault's.
      profile: { weekTimer: false, dayLevel: 0.55, nightLevel: 0.4, weekendLevel: 0.4 },
      faults: [{ kind, onsetMs: ONSET, severity: 1 }],
      onEvent: (e) => {
        if (e.type === 'trip' || e.type === 'warning') events.push(e);
      },
    })) {
      if (s.state === 'tripped') tripped = true;
      const v = metric(s);
      if (v === undefined || s.state !== 'loaded') continue;
      const day = Math.floor((s.ts - ONSET) / DAY);
      const acc = sums.get(day) ?? { sum: 0, n: 0 };
      acc.sum += v;
      acc.n += 1;
      sums.set(day, acc);
    }
    const mean = (day: number) => {
      const a = sums.get(day);
      return a ? a.sum / a.n : Number.NaN;
    };
    return { events, mean, tripped };
  }

  it('cooler fouling: ADT over ambient creeps up day by day until the 120 °C trip, days after onset', () => {
    const r = daily('cooler_fouling', (s) => (s.metrics.elementTempC ?? 0) - (s.metrics.ambientTempC ?? 0), 12);
    const rise = [0, 1, 2, 3, 4].map((d) => r.mean(d) - r.mean(-1));
    for (let d = 1; d < rise.length; d += 1) expect(rise[d] as number).toBeGreaterThan(rise[d - 1] as number);
    expect(rise[0]).toBeLessThan(6); // the first day looks almost normal
    const trip = r.events.find((e) => e.type === 'trip');
    expect(trip?.code).toBe('ADT_HIGH_TRIP');
    expect((trip?.ts ?? 0) - ONSET).toBeGreaterThan(2 * DAY);
    expect(r.tripped).toBe(true);
  });

  it('bearing wear: vibration flat for days, then steep, ending in a vibration trip', () => {
    const r = daily('bearing_wear', (s) => s.metrics.vibrationMmS, 14);
    const base = r.mean(-1);
    expect(r.mean(3) - base).toBeLessThan(0.6); // still flat after three days
    expect(r.mean(7) - base).toBeGreaterThan(2); // then rising steeply
    const trip = r.events.find((e) => e.type === 'trip');
    expect(trip?.code).toBe('VIBRATION_TRIP');
    expect((trip?.ts ?? 0) - ONSET).toBeGreaterThan(5 * DAY);
    expect(r.tripped).toBe(true);
  });

  it('separator clogging: ΔP grows over days past the 0.7 bar replace line, then the motor current warns', () => {
    const r = daily('separator_clogging', (s) => s.metrics.separatorDpBar, 8);
    expect(r.mean(0) - r.mean(-1)).toBeLessThan(0.15);
    expect(r.mean(1)).toBeGreaterThan(r.mean(0));
    expect(r.mean(3)).toBeGreaterThan(0.7);
    const warning = r.events.find((e) => e.code === 'MOTOR_CURRENT_WARNING');
    expect((warning?.ts ?? 0) - ONSET).toBeGreaterThan(2 * DAY);
    expect(r.events.filter((e) => e.code === 'MOTOR_CURRENT_WARNING').length).toBeLessThanOrEqual(8); // not one per load cycle
    expect(r.tripped).toBe(false);
  });

  it('air-filter clogging: ΔP climbs over days past the 50 mbar replace line', () => {
    const r = daily('air_filter_clogging', (s) => s.metrics.airFilterDpMbar, 7);
    expect(r.mean(0) - r.mean(-1)).toBeLessThan(8);
    expect(r.mean(2)).toBeGreaterThan(r.mean(1));
    expect(r.mean(5)).toBeGreaterThan(50);
  });

  it('air leak: more loaded time for the same plant, most visible at night', () => {
    const share = (faults: FaultSpec[]) => {
      let loaded = 0;
      let n = 0;
      for (const s of generateHistory({ modelId: 'AF37', seed: 21, fromMs: ONSET + DAY, toMs: ONSET + 2 * DAY, sampleEveryMs: 60_000, profile: { weekTimer: false }, faults })) {
        n += 1;
        if (s.state === 'loaded') loaded += 1;
      }
      return loaded / n;
    };
    const healthy = share([]);
    const leaking = share([{ kind: 'air_leak', onsetMs: ONSET, severity: 1 }]);
    expect(leaking - healthy).toBeGreaterThan(0.15);
  });
});

describe('sensor and network faults', () => {
  it('a dropout raises one SENSOR_FAULT; a stuck sensor with a duration moves again when it ends', () => {
    const at = MONDAY + 9 * HOUR;
    let s = initialState('AF37', 2, { tMs: at, profile: { weekTimer: false } });
    s = injectFaults(s, [
      { kind: 'sensor_dropout', metric: 'ambientTempC', onsetMs: at + 120_000, severity: 1 },
      { kind: 'stuck_sensor', metric: 'elementTempC', onsetMs: at + 120_000, severity: 1, durationHours: 1 },
    ]);
    const events: DeviceEvent[] = [];
    const reading = new Map<number, number | undefined>();
    for (let m = 1; m <= 180; m += 1) {
      const r = advance(s, at + m * 60_000);
      s = r.state;
      events.push(...r.events);
      reading.set(m, toTelemetry(s, m).metrics.elementTempC);
    }
    expect(events.filter((e) => e.type === 'warning')).toEqual([expect.objectContaining({ code: 'SENSOR_FAULT', message: 'no reading from ambientTempC' })]);
    const during = [10, 30, 50, 61].map((m) => reading.get(m));
    expect(new Set(during).size).toBe(1);
    const after = [70, 80, 90].map((m) => reading.get(m));
    expect(new Set(after).size).toBe(3);
    expect(toTelemetry(s, 0).metrics.ambientTempC).toBeUndefined();
  });

  it('a network outage is active from onset for its duration (default 2 h), and does nothing to the physics', () => {
    const f: FaultSpec = { kind: 'network_outage', onsetMs: MONDAY, severity: 1 };
    expect(networkOutageActive([f], MONDAY - 1)).toBe(false);
    expect(networkOutageActive([f], MONDAY)).toBe(true);
    expect(networkOutageActive([f], MONDAY + 2 * HOUR - 1)).toBe(true);
    expect(networkOutageActive([f], MONDAY + 2 * HOUR)).toBe(false);
    expect(networkOutageActive([{ ...f, durationHours: 6 }], MONDAY + 5 * HOUR)).toBe(true);
    expect(faultModifiers([f], MONDAY + HOUR)).toEqual(faultModifiers([], MONDAY + HOUR));
  });

  it('severity 0 is no fault; defaults differ per kind (a leak within a day, fouling over a week)', () => {
    expect(faultLevel({ kind: 'cooler_fouling', onsetMs: MONDAY, severity: 0 }, MONDAY + 10 * DAY)).toBe(0);
    expect(faultLevel({ kind: 'air_leak', onsetMs: MONDAY, severity: 1 }, MONDAY + DAY)).toBe(1);
    expect(faultLevel({ kind: 'cooler_fouling', onsetMs: MONDAY, severity: 1 }, MONDAY + DAY)).toBeCloseTo(24 / DEFAULT_DEVELOP_HOURS.cooler_fouling, 6);
  });
});
