import type { CompressorModel } from '@airfleet/contracts';

export interface ObservedBand {
  /** 5th / 95th percentile of net pressure while running: about the load and unload points. */
  lowBar: number;
  highBar: number;
  samples: number;
}

export interface SetpointAdvice {
  loadBar: number;
  unloadBar: number;
  expectedSavingPct: number;
  reduceBar: number;
}

/** docs/domain.md §4: each bar less of discharge pressure saves ≈ 7 % energy. */
export const SAVING_PCT_PER_BAR = 7;

/**
 * Conservative set-point advice. We do not know the plant's true minimum pressure, so the
 * model's default band (sized for ordinary tools and processes) stands in for "what demand
 * needs". Only a machine whose band sits clearly above it — its load point at least
 * 0.5 bar higher — is advised, keeping 0.2 bar of that excess as margin and lowering by at
 * most 1 bar at a time. Anything borderline gets no advice.
 */
export function setpointAdvice(model: Pick<CompressorModel, 'defaultLoadBar' | 'defaultUnloadBar' | 'maxPressureBar'>, band: ObservedBand, minSamples = 60): SetpointAdvice | null {
  if (band.samples < minSamples || !(band.highBar > band.lowBar)) return null;
  const excess = band.lowBar - model.defaultLoadBar;
  if (excess < 0.5) return null;
  // +1e-9: 7.3 − 6.5 − 0.2 is 0.5999… in binary floating point.
  const reduce = Math.min(1, Math.floor((excess - 0.2) * 10 + 1e-9) / 10);
  if (reduce < 0.3) return null;
  const loadBar = Math.round((band.lowBar - reduce) * 10) / 10;
  const unloadBar = Math.round((band.highBar - reduce) * 10) / 10;
  if (!(loadBar < unloadBar) || unloadBar > model.maxPressureBar || loadBar < model.defaultLoadBar) return null;
  return { loadBar, unloadBar, expectedSavingPct: Math.round(SAVING_PCT_PER_BAR * reduce * 10) / 10, reduceBar: reduce };
}
