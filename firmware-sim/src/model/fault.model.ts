import type { MetricKey } from '@airfleet/contracts';

/**
 * Fault injection hooks (firmware-sim/README.md, "Fault injection"). A fault is data carried in the model state; it
 * develops gradually from its onset (docs/domain.md §3: cooler fouling raises ΔT slowly,
 * vibration "stays flat then rises steeply as a bearing fails"), so the trip it causes
 * comes hours to days later in simulated time and a cloud rule has a chance to see it first.
 */
export const FAULT_KINDS = [
  'cooler_fouling',
  'separator_clogging',
  'air_filter_clogging',
  'bearing_wear',
  'air_leak',
  'stuck_sensor',
  'sensor_dropout',
  'network_outage',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults whose effect grows over days (docs/domain.md §3); the others switch on at onset. */
export const GRADUAL_FAULT_KINDS: readonly FaultKind[] = ['cooler_fouling', 'separator_clogging', 'air_filter_clogging', 'bearing_wear', 'air_leak'];

export interface FaultSpec {
  kind: FaultKind;
  /** Epoch ms at which the fault begins to develop. */
  onsetMs: number;
  /** Fully developed strength, 0..1 (1 = the effect sizes in FAULT_EFFECTS). */
  severity: number;
  /** Hours from onset to full development (default per kind, DEFAULT_DEVELOP_HOURS); 0 = immediate. */
  developHours?: number;
  /**
   * Hours after onset at which the fault ends (repaired, link restored). Default: never, except
   * a network outage (DEFAULT_OUTAGE_HOURS).
   */
  durationHours?: number;
  /** For stuck_sensor / sensor_dropout: the affected metric. */
  metric?: MetricKey;
}

/**
 * Effect sizes at severity 1, fully developed. Chosen so a fully fouled cooler pushes a
 * machine at a normal 20–30 °C site past the 120 °C trip (57 K + 45 K + ambient), and a
 * clogged separator crosses the 0.7 bar "replace now" line (docs/domain.md §2).
 */
export const FAULT_EFFECTS = {
  coolerFoulingK: 45,
  separatorClogBar: 0.9,
  airFilterClogMbar: 60,
  /** Cubic in the level, so at full strength a ~2 mm/s machine passes the 7.1 mm/s trip near level 0.87. */
  bearingWearMmS: 8,
  /** Extra demand as a fraction of the machine's FAD. */
  airLeakFadFraction: 0.3,
} as const;

/**
 * Onset-to-full development, by kind. Fouling and bearing wear take about a week (docs/domain.md §3:
 * "raises ΔT slowly", "flat then rising steeply"); a clogging separator grows its ΔP faster than
 * normal wear by orders of magnitude but still over days; a leak (a split hose, a valve left
 * open) appears within a day. Sensor faults are immediate.
 */
export const DEFAULT_DEVELOP_HOURS: Readonly<Record<FaultKind, number>> = {
  cooler_fouling: 168,
  separator_clogging: 96,
  air_filter_clogging: 120,
  bearing_wear: 240,
  air_leak: 24,
  stuck_sensor: 0,
  sensor_dropout: 0,
  network_outage: 0,
};
/** A network outage without a duration lasts this long. */
export const DEFAULT_OUTAGE_HOURS = 2;

const HOUR_MS = 3_600_000;

/** End of a fault (exclusive), or Infinity. */
export function faultEndMs(fault: FaultSpec): number {
  const hours = fault.durationHours ?? (fault.kind === 'network_outage' ? DEFAULT_OUTAGE_HOURS : undefined);
  return hours === undefined ? Infinity : fault.onsetMs + hours * HOUR_MS;
}

/** Whether the fault is in effect at t (between onset and its end, with a positive severity). */
export function faultActive(fault: FaultSpec, tMs: number): boolean {
  return fault.severity > 0 && tMs >= fault.onsetMs && tMs < faultEndMs(fault);
}

/** Current strength 0..severity of one fault at time t (linear development after onset). */
export function faultLevel(fault: FaultSpec, tMs: number): number {
  if (!faultActive(fault, tMs)) return 0;
  const hours = fault.developHours ?? DEFAULT_DEVELOP_HOURS[fault.kind];
  const severity = Math.min(1, Math.max(0, fault.severity));
  if (hours <= 0) return severity;
  const progress = Math.min(1, (tMs - fault.onsetMs) / (hours * 3_600_000));
  return severity * progress;
}

/** Physical modifiers from all active faults at time t; all zero for a healthy machine. */
export interface FaultModifiers {
  extraDeltaTK: number;
  extraSeparatorDpBar: number;
  extraAirFilterDpMbar: number;
  extraVibrationMmS: number;
  extraDemandFadFraction: number;
}

export const NO_FAULTS: FaultModifiers = Object.freeze({
  extraDeltaTK: 0,
  extraSeparatorDpBar: 0,
  extraAirFilterDpMbar: 0,
  extraVibrationMmS: 0,
  extraDemandFadFraction: 0,
});

export function faultModifiers(faults: readonly FaultSpec[], tMs: number): FaultModifiers {
  if (faults.length === 0) return NO_FAULTS;
  const m = { ...NO_FAULTS };
  for (const fault of faults) {
    const level = faultLevel(fault, tMs);
    if (level <= 0) continue;
    switch (fault.kind) {
      case 'cooler_fouling':
        m.extraDeltaTK += FAULT_EFFECTS.coolerFoulingK * level;
        break;
      case 'separator_clogging':
        m.extraSeparatorDpBar += FAULT_EFFECTS.separatorClogBar * level;
        break;
      case 'air_filter_clogging':
        m.extraAirFilterDpMbar += FAULT_EFFECTS.airFilterClogMbar * level;
        break;
      case 'bearing_wear':
        // Flat, then steep: a failing bearing shows little until late (docs/domain.md §3).
        m.extraVibrationMmS += FAULT_EFFECTS.bearingWearMmS * level * level * level;
        break;
      case 'air_leak':
        m.extraDemandFadFraction += FAULT_EFFECTS.airLeakFadFraction * level;
        break;
      case 'stuck_sensor':
      case 'sensor_dropout':
        // Sensor faults change what is reported, not the physics (see sample.model.ts).
        break;
      case 'network_outage':
        // The device agent cuts its link while it lasts (networkOutageActive).
        break;
    }
  }
  return m;
}

/** Sensor faults active at t, by metric: what the sample builder must freeze or omit. */
export function sensorFaults(faults: readonly FaultSpec[], tMs: number): { stuck: MetricKey[]; dropped: MetricKey[] } {
  const stuck: MetricKey[] = [];
  const dropped: MetricKey[] = [];
  for (const fault of faults) {
    if (!fault.metric || !faultActive(fault, tMs)) continue;
    if (fault.kind === 'stuck_sensor') stuck.push(fault.metric);
    else if (fault.kind === 'sensor_dropout') dropped.push(fault.metric);
  }
  return { stuck, dropped };
}

/** Whether an injected network outage cuts the device's link at t (the agent acts on it). */
export function networkOutageActive(faults: readonly FaultSpec[], tMs: number): boolean {
  for (const fault of faults) if (fault.kind === 'network_outage' && faultActive(fault, tMs)) return true;
  return false;
}

/** Same fault (kind, onset, metric): used to merge re-injected faults without duplicating them. */
export function sameFault(a: FaultSpec, b: FaultSpec): boolean {
  return a.kind === b.kind && a.onsetMs === b.onsetMs && a.metric === b.metric;
}
