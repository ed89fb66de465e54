/**
 * Robust peer statistics for the daily fleet job (docs/architecture.md §5). Median and MAD instead of
 * mean and standard deviation, so the outlier we look for cannot hide itself by inflating
 * the spread. Modified z-score after Iglewicz & Hoaglin: z = 0.6745 · (x − median) / MAD,
 * with |z| > 3.5 the usual outlier mark.
 */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(xs: readonly number[], med = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - med)));
}

/** Share of peers below the value, ties counted half, in percent (0–100). */
export function percentileRank(value: number, peers: readonly number[]): number {
  if (peers.length === 0) return 50;
  let below = 0;
  for (const p of peers) below += p < value ? 1 : p === value ? 0.5 : 0;
  return Math.round((below / peers.length) * 1000) / 10;
}

export interface PeerCheckSpec {
  check: string;
  unit: string;
  /** Which side is bad (all four checks are "higher is worse"). */
  bad: 'high' | 'low';
  /**
   * A machine is flagged only when it also differs in practice, not just statistically:
   * peers that agree very closely would otherwise make a trivial difference "significant".
   */
  minAbsDiff: number;
  minRelDiff: number;
  /** Lower bound for the MAD, in the check's unit (identical peers have MAD 0). */
  madFloor: number;
}

/** docs/domain.md §4: specific power 5–7 kW/(m³/min) at 7 bar; ΔT at load 55–60 K; unloaded power pure waste. */
export const PEER_CHECKS: readonly PeerCheckSpec[] = [
  { check: 'specific_power', unit: 'kW/(m³/min)', bad: 'high', minAbsDiff: 0, minRelDiff: 0.05, madFloor: 0.05 },
  { check: 'adt_delta', unit: 'K', bad: 'high', minAbsDiff: 3, minRelDiff: 0, madFloor: 0.5 },
  { check: 'unloaded_share', unit: '%', bad: 'high', minAbsDiff: 10, minRelDiff: 0, madFloor: 1 },
  { check: 'separator_dp_growth', unit: 'bar/day', bad: 'high', minAbsDiff: 0.005, minRelDiff: 0, madFloor: 0.001 },
];

export interface PeerOptions {
  /** Peers needed besides the machine itself. */
  minPeers: number;
  zThreshold: number;
}
export const DEFAULT_PEER_OPTIONS: PeerOptions = { minPeers: 4, zThreshold: 3.5 };

export interface PeerResult {
  deviceId: string;
  check: string;
  unit: string;
  value: number;
  peerMedian: number;
  peerMad: number;
  robustZ: number;
  percentile: number;
  peers: number;
  outlier: boolean;
}

/**
 * Compares each machine with its peers (the others of the same model), leaving the machine
 * itself out so it does not pull the reference towards itself. Groups with fewer than
 * `minPeers` peers yield nothing: too few to judge.
 */
export function comparePeers(values: ReadonlyArray<{ deviceId: string; value: number }>, spec: PeerCheckSpec, opts: PeerOptions = DEFAULT_PEER_OPTIONS): PeerResult[] {
  const finite = values.filter((v) => Number.isFinite(v.value));
  if (finite.length - 1 < opts.minPeers) return [];
  return finite.map(({ deviceId, value }) => {
    const peers = finite.filter((v) => v.deviceId !== deviceId).map((v) => v.value);
    const med = median(peers);
    const spread = Math.max(mad(peers, med), spec.madFloor, Math.abs(med) * 0.01);
    const z = (0.6745 * (value - med)) / spread;
    const diff = spec.bad === 'high' ? value - med : med - value;
    const badZ = spec.bad === 'high' ? z : -z;
    const outlier = badZ > opts.zThreshold && diff >= spec.minAbsDiff && (med === 0 || diff / Math.abs(med) >= spec.minRelDiff);
    return {
      deviceId,
      check: spec.check,
      unit: spec.unit,
      value: round(value, 4),
      peerMedian: round(med, 4),
      peerMad: round(spread, 4),
      robustZ: round(z, 2),
      percentile: percentileRank(value, peers),
      peers: peers.length,
      outlier,
    };
  });
}

/**
 * Specific power referred to the model's rated pressure: input power rises ≈ 7 % per bar of
 * discharge pressure (docs/domain.md §3–4), so machines running different bands stay comparable.
 */
export function specificPowerAtRated(powerKw: number, flowM3Min: number, pressureBar: number, ratedPressureBar: number): number | null {
  if (!(flowM3Min > 0) || !(powerKw > 0)) return null;
  return powerKw / flowM3Min / (1 + 0.07 * (pressureBar - ratedPressureBar));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
