import type { CompressorModel } from '@airfleet/contracts';
import { createRandom, seedKey } from './prng.model.ts';

/**
 * The per-installation facts that make one simulated machine differ from its peers:
 * the plant it feeds (shift pattern, leak), the room it stands in (ambient), its piping
 * (receiver volume) and its own idiosyncrasies (vibration baseline, dust). All are drawn
 * from the device seed, so a device keeps its character across restarts and between the
 * back-filled history and the live agent.
 */
export interface DeviceProfile {
  /** uint32 key for the stateless demand/measurement noise. */
  noiseKey: number;
  /** Site local time = UTC + this offset; drives shifts and the daily ambient cycle. */
  utcOffsetMinutes: number;
  /** Mean compressor-room temperature of the site. */
  siteAmbientC: number;
  /** Half the day/night ambient swing (peak ≈ 15:00 local). */
  ambientSwingK: number;
  /** Constant leak as a fraction of FAD: 10–30 % of capacity is common (docs/domain.md §3). */
  leakFraction: number;
  /** Installed receiver plus piping volume; the catalogue figure is the reference installation. */
  receiverM3: number;
  /** Unloaded run-on time before an idle stop, typ. 5–10 min (docs/domain.md §3). */
  idleTimerS: number;
  /** Multiplies air-filter loading: dusty sites clog faster (docs/domain.md §5). */
  dustFactor: number;
  /** Healthy vibration level, ISO 10816 class II zone A/B (≤ 2.8 mm/s, docs/domain.md §2). */
  vibrationBaseMmS: number;
  /** Production air demand as fractions of FAD: weekday shifts 06–22, nights, weekends. */
  dayLevel: number;
  nightLevel: number;
  weekendLevel: number;
  /** Some plants also run a Saturday morning shift (06–14). */
  saturdayShift: boolean;
  /**
   * The controller's week timer switches the machine off over the weekend (Elektronikon-class
   * controllers have one); without it a leaky plant keeps the compressor cycling all weekend.
   */
  weekTimer: boolean;
}

export interface ProfileOptions {
  utcOffsetMinutes?: number;
  /** Site mean ambient; drawn from the seed when omitted. */
  ambientC?: number;
  /** Any field may be pinned (tests, scenarios). */
  overrides?: Partial<DeviceProfile>;
}

function between(rand: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

export function deviceProfile(spec: CompressorModel, seed: number, opts: ProfileOptions = {}): DeviceProfile {
  const rand = createRandom(seed);
  // Draw every field in a fixed order, even when overridden, so pinning one field never
  // changes the others for the same seed.
  const drawn: DeviceProfile = {
    noiseKey: seedKey(seed ^ 0x1234567),
    utcOffsetMinutes: 0,
    siteAmbientC: between(rand, 14, 26),
    ambientSwingK: between(rand, 2, 5),
    leakFraction: between(rand, 0.1, 0.3),
    receiverM3: spec.receiverM3 * between(rand, 1, 1.5),
    idleTimerS: Math.round(between(rand, 300, 600)),
    dustFactor: between(rand, 0.8, 1.6),
    vibrationBaseMmS: between(rand, 1.5, 2.2),
    dayLevel: between(rand, 0.45, 0.65),
    nightLevel: between(rand, 0.02, 0.08),
    weekendLevel: between(rand, 0, 0.05),
    saturdayShift: rand() < 0.3,
    weekTimer: rand() < 0.35,
  };
  if (opts.utcOffsetMinutes !== undefined) drawn.utcOffsetMinutes = opts.utcOffsetMinutes;
  if (opts.ambientC !== undefined) drawn.siteAmbientC = opts.ambientC;
  return { ...drawn, ...opts.overrides };
}
