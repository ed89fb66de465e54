import { COMPRESSOR_MODELS } from '@airfleet/contracts';
import { describe, expect, it } from 'vitest';
import { demandFraction, EnvironmentSampler, localTime, MAX_HEALTHY_DEMAND_FRACTION, shiftPattern, ambientC } from './demand.model.ts';
import { deviceProfile } from './device-profile.model.ts';

const MONDAY = Date.UTC(2025, 10, 17);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const spec = COMPRESSOR_MODELS[1] as (typeof COMPRESSOR_MODELS)[number];

function meanDemand(profile: ReturnType<typeof deviceProfile>, fromMs: number, hours: number): number {
  let sum = 0;
  let n = 0;
  for (let t = fromMs; t < fromMs + hours * HOUR; t += 60_000) {
    sum += demandFraction(profile, t);
    n += 1;
  }
  return sum / n;
}

describe('demand', () => {
  it('follows two weekday shifts 06–22 in site local time, low at night and at weekends', () => {
    const p = deviceProfile(spec, 12, { utcOffsetMinutes: 0, overrides: { saturdayShift: false } });
    const dayShift = meanDemand(p, MONDAY + 8 * HOUR, 5);
    const night = meanDemand(p, MONDAY + DAY + 0, 5);
    const sunday = meanDemand(p, MONDAY - DAY + 8 * HOUR, 5);
    expect(dayShift).toBeGreaterThan(night + 0.3);
    expect(dayShift).toBeGreaterThan(sunday + 0.3);
    // The constant leak is there all the time: nights and weekends never fall below it.
    expect(night).toBeGreaterThanOrEqual(p.leakFraction);
    expect(sunday).toBeGreaterThanOrEqual(p.leakFraction);
  });

  it('shifts with the site UTC offset', () => {
    const utc = deviceProfile(spec, 12, { utcOffsetMinutes: 0 });
    const shanghai = deviceProfile(spec, 12, { utcOffsetMinutes: 480 });
    // 02:00 UTC Monday is 10:00 in Shanghai: production there, night in London.
    expect(shiftPattern(shanghai, MONDAY + 2 * HOUR)).toBeCloseTo(shanghai.dayLevel, 5);
    expect(shiftPattern(utc, MONDAY + 2 * HOUR)).toBeCloseTo(utc.nightLevel, 5);
    expect(localTime(MONDAY + 2 * HOUR, 480)).toEqual({ dayOfWeek: 1, hour: 10 });
    expect(localTime(MONDAY - HOUR, 0).dayOfWeek).toBe(0);
  });

  it('stays within the healthy ceiling and is never negative', () => {
    for (let seed = 1; seed < 20; seed += 1) {
      const p = deviceProfile(spec, seed);
      for (let t = MONDAY; t < MONDAY + 7 * DAY; t += 7 * 60_000 + 13) {
        const d = demandFraction(p, t);
        expect(d).toBeGreaterThanOrEqual(p.leakFraction * 0.999);
        expect(d).toBeLessThanOrEqual(MAX_HEALTHY_DEMAND_FRACTION);
      }
    }
  });

  it('the cached sampler used by the integrator gives exactly the pure function values', () => {
    const p = deviceProfile(spec, 5, { utcOffsetMinutes: -360 });
    const sampler = new EnvironmentSampler(p);
    for (let t = MONDAY; t < MONDAY + 2 * DAY; t += 997) {
      expect(sampler.demandFraction(t, 0.05)).toBe(demandFraction(p, t, 0.05));
    }
    const minute = MONDAY + 15 * HOUR;
    expect(sampler.ambientC(minute, 1.5)).toBeCloseTo(ambientC(p, minute, 1.5), 10);
  });

  it('ambient peaks in the afternoon and bottoms out at night around the site mean', () => {
    const p = deviceProfile(spec, 5, { utcOffsetMinutes: 60, ambientC: 20 });
    expect(p.siteAmbientC).toBe(20);
    const afternoon = ambientC(p, MONDAY + 14 * HOUR, 0); // 15:00 local
    const night = ambientC(p, MONDAY + 2 * HOUR, 0); // 03:00 local
    expect(afternoon).toBeCloseTo(20 + p.ambientSwingK, 5);
    expect(night).toBeCloseTo(20 - p.ambientSwingK, 5);
  });
});
