import { telemetrySchema } from '@airfleet/contracts';
import { describe, expect, it } from 'vitest';
import { advance, initialState } from './compressor.model.ts';
import { faultLevel } from './fault.model.ts';
import { historyArray } from './history.generator.ts';
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
