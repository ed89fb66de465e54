import type { DeviceProfile } from './device-profile.model.ts';
import { hashUnit, valueNoise } from './prng.model.ts';

/**
 * Plant air demand and site ambient (docs/domain.md §3 "Demand": a shift pattern, e.g. two
 * shifts 06–22 on weekdays, low at night and weekends, plus a constant leak, plus noise).
 * Both are pure functions of (profile, t): the history generator and the live agent see
 * exactly the same plant whatever their step size.
 */
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Production ramps up/down over half an hour at shift start and end. */
const RAMP_H = 0.5;
/**
 * A healthy installation's compressor is sized with headroom: total demand stays below
 * this share of FAD, so the pressure band holds. Only an injected air leak may exceed it.
 */
export const MAX_HEALTHY_DEMAND_FRACTION = 0.93;

// Noise channels for valueNoise, so the octaves are independent.
const CH_FAST = 1;
const CH_SLOW = 2;
const FAST_MS = 3 * MINUTE_MS;
const SLOW_MS = 30 * MINUTE_MS;

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  /** Fractional hour of the local day, 0 ≤ h < 24. */
  hour: number;
}

/** Site local time from UTC epoch ms and a fixed UTC offset (no time-zone database in a pure model). */
export function localTime(tMs: number, utcOffsetMinutes: number): LocalTime {
  const local = tMs + utcOffsetMinutes * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday (4).
  const dayOfWeek = (((day + 4) % 7) + 7) % 7;
  return { dayOfWeek, hour: (local - day * DAY_MS) / HOUR_MS };
}

function shift(hour: number, start: number, end: number, on: number, off: number): number {
  if (hour <= start || hour >= end) return off;
  const up = Math.min(1, (hour - start) / RAMP_H);
  const down = Math.min(1, (end - hour) / RAMP_H);
  return off + (on - off) * Math.min(up, down);
}

/** Production demand (without leak) as a fraction of FAD, before noise. */
export function shiftPattern(p: DeviceProfile, tMs: number): number {
  const { dayOfWeek, hour } = localTime(tMs, p.utcOffsetMinutes);
  if (dayOfWeek >= 1 && dayOfWeek <= 5) {
    let level = shift(hour, 6, 22, p.dayLevel, p.nightLevel);
    // Shift handover at 14:00: lines pause for a quarter of an hour.
    if (hour >= 14 && hour < 14.25) level *= 0.7;
    return level;
  }
  if (dayOfWeek === 6 && p.saturdayShift) return shift(hour, 6, 14, p.dayLevel * 0.6, p.weekendLevel);
  return p.weekendLevel;
}

/**
 * Week-timer off period: from the end of the last shift of the week (Friday 22:30, or
 * Saturday 14:30 with a Saturday shift) to Monday 05:30, half an hour before the first shift.
 */
export function weekTimerOff(p: DeviceProfile, tMs: number): boolean {
  const { dayOfWeek, hour } = localTime(tMs, p.utcOffsetMinutes);
  if (dayOfWeek === 0) return true;
  if (dayOfWeek === 1) return hour < 5.5;
  if (dayOfWeek === 5) return hour >= 22.5;
  if (dayOfWeek === 6) return !p.saturdayShift || hour >= 14.5;
  return false;
}

/** Noise multiplier on production: machines switching within minutes, batches within half hours. */
function productionNoise(fast: number, slow: number): number {
  return 0.25 * fast + 0.12 * slow;
}

function combine(base: number, noise: number, leakFraction: number, extraLeakFraction: number): number {
  const production = Math.max(0, base * (1 + noise));
  return Math.min(MAX_HEALTHY_DEMAND_FRACTION, production + leakFraction) + extraLeakFraction;
}

/** Total demand as a fraction of FAD: noisy production plus the constant leak (plus an injected leak). */
export function demandFraction(p: DeviceProfile, tMs: number, extraLeakFraction = 0): number {
  const noise = productionNoise(valueNoise(p.noiseKey, CH_FAST, tMs, FAST_MS), valueNoise(p.noiseKey, CH_SLOW, tMs, SLOW_MS));
  return combine(shiftPattern(p, tMs), noise, p.leakFraction, extraLeakFraction);
}

/**
 * Compressor-room ambient: the site mean, a daily cycle peaking mid-afternoon, plus a slow
 * weather offset carried in the state (docs/domain.md §3: high ambient raises ADT one for one).
 */
export function ambientC(p: DeviceProfile, tMs: number, weatherOffsetK: number): number {
  const { hour } = localTime(tMs, p.utcOffsetMinutes);
  return p.siteAmbientC + p.ambientSwingK * Math.cos((2 * Math.PI * (hour - 15)) / 24) + weatherOffsetK;
}

/** Cached value-noise octave: identical numbers to valueNoise(), hashing only when a knot changes. */
class NoiseOctave {
  private knot = Number.NaN;
  private a = 0;
  private b = 0;
  private readonly key: number;
  private readonly channel: number;
  private readonly periodMs: number;
  constructor(key: number, channel: number, periodMs: number) {
    this.key = key;
    this.channel = channel;
    this.periodMs = periodMs;
  }
  at(tMs: number): number {
    const x = tMs / this.periodMs;
    const i = Math.floor(x);
    if (i !== this.knot) {
      this.knot = i;
      this.a = hashUnit(this.key, i, this.channel);
      this.b = hashUnit(this.key, i + 1, this.channel);
    }
    const f = x - i;
    const s = f * f * (3 - 2 * f);
    return (this.a + (this.b - this.a) * s) * 2 - 1;
  }
}

/**
 * The same functions as demandFraction/ambientC for the integration hot loop: knot hashes
 * and the daily cosine are cached (≈3× faster over 30 days of 1 s steps), results identical.
 */
export class EnvironmentSampler {
  private readonly p: DeviceProfile;
  private readonly fast: NoiseOctave;
  private readonly slow: NoiseOctave;
  private ambientMinute = Number.NaN;
  private ambientDaily = 0;
  constructor(p: DeviceProfile) {
    this.p = p;
    this.fast = new NoiseOctave(p.noiseKey, CH_FAST, FAST_MS);
    this.slow = new NoiseOctave(p.noiseKey, CH_SLOW, SLOW_MS);
  }
  demandFraction(tMs: number, extraLeakFraction: number): number {
    const noise = productionNoise(this.fast.at(tMs), this.slow.at(tMs));
    return combine(shiftPattern(this.p, tMs), noise, this.p.leakFraction, extraLeakFraction);
  }
  /** Ambient with the daily cycle evaluated once per minute (it moves < 0.03 K in a minute). */
  ambientC(tMs: number, weatherOffsetK: number): number {
    const minute = Math.floor(tMs / MINUTE_MS);
    if (minute !== this.ambientMinute) {
      this.ambientMinute = minute;
      this.ambientDaily = ambientC(this.p, minute * MINUTE_MS, 0);
    }
    return this.ambientDaily + weatherOffsetK;
  }
}
