/**
 * Known telemetry metrics with their units and accepted physical ranges.
 * Ranges are plausibility bounds for an oil-injected screw compressor of up to a
 * few hundred kW (see docs/protocol.md): a value outside them is a sensor or
 * firmware fault, not an operating condition, and the sample is dead-lettered.
 * Operating limits (warning / shutdown) live in the model catalogue, not here.
 */
export interface MetricDefinition {
  unit: string;
  min: number;
  max: number;
  integer: boolean;
  /** Monotonic counters never decrease while a device lives (they survive restarts). */
  counter: boolean;
  description: string;
}

export const METRICS = {
  pressureBar: { unit: 'bar(g)', min: -1, max: 25, integer: false, counter: false, description: 'net delivery pressure' },
  elementTempC: { unit: '°C', min: -40, max: 200, integer: false, counter: false, description: 'element (airend) outlet temperature, ADT' },
  ambientTempC: { unit: '°C', min: -50, max: 80, integer: false, counter: false, description: 'ambient / inlet air temperature' },
  motorCurrentA: { unit: 'A', min: 0, max: 5000, integer: false, counter: false, description: 'main motor current' },
  powerKw: { unit: 'kW', min: 0, max: 2000, integer: false, counter: false, description: 'package input power' },
  flowM3Min: { unit: 'm³/min', min: 0, max: 500, integer: false, counter: false, description: 'free air delivered' },
  separatorDpBar: { unit: 'bar', min: 0, max: 5, integer: false, counter: false, description: 'oil separator differential pressure' },
  airFilterDpMbar: { unit: 'mbar', min: 0, max: 500, integer: false, counter: false, description: 'air filter differential pressure' },
  vibrationMmS: { unit: 'mm/s RMS', min: 0, max: 100, integer: false, counter: false, description: 'vibration velocity (ISO 10816)' },
  runningHours: { unit: 'h', min: 0, max: 1_000_000, integer: false, counter: true, description: 'running hours counter' },
  loadedHours: { unit: 'h', min: 0, max: 1_000_000, integer: false, counter: true, description: 'loaded hours counter' },
  motorStarts: { unit: 'count', min: 0, max: 1_000_000_000, integer: true, counter: true, description: 'motor starts counter' },
  loadCycles: { unit: 'count', min: 0, max: 10_000_000_000, integer: true, counter: true, description: 'load cycles counter' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

export const METRIC_KEYS = Object.keys(METRICS) as MetricKey[];

export function isMetricKey(key: string): key is MetricKey {
  return Object.hasOwn(METRICS, key);
}

/** Metrics a chart can draw (everything except the monotonic counters is also fine, but counters are drawable too). */
export const CHARTABLE_METRICS: readonly MetricKey[] = METRIC_KEYS;

/** Name pattern for unknown (extra) metrics kept alongside the known ones. */
export const EXTRA_METRIC_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
