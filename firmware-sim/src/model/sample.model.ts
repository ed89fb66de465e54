import type { MetricKey, Telemetry } from '@airfleet/contracts';
import { rawMetrics } from './compressor.model.ts';
import { sensorFaults } from './fault.model.ts';
import { effectiveBand, modelSpec, type CompressorState } from './physics.model.ts';
import { serviceHoursSince } from './service.model.ts';
import { sampleNoise } from './prng.model.ts';

/**
 * What the controller reports (docs/domain.md §1): the physical state plus sensor noise, rounded
 * to display precision (which also keeps replay arrays small against the 64 KiB payload cap).
 * Noise is a hash of (device, instant, channel): reading a sample never changes the state.
 */
interface Channel {
  key: MetricKey;
  /** Noise amplitude: absolute, or relative to the value when `relative`. */
  noise: number;
  relative?: boolean;
  decimals: number;
}

const CHANNELS: readonly Channel[] = [
  { key: 'pressureBar', noise: 0.01, decimals: 3 },
  { key: 'elementTempC', noise: 0.2, decimals: 1 },
  { key: 'ambientTempC', noise: 0.1, decimals: 1 },
  { key: 'motorCurrentA', noise: 0.006, relative: true, decimals: 1 },
  { key: 'powerKw', noise: 0.006, relative: true, decimals: 2 },
  { key: 'flowM3Min', noise: 0.005, relative: true, decimals: 2 },
  { key: 'separatorDpBar', noise: 0.005, decimals: 3 },
  { key: 'airFilterDpMbar', noise: 0.3, decimals: 1 },
  { key: 'vibrationMmS', noise: 0.1, decimals: 2 },
];

/** Counters are exact: rounding is monotonic, so a monotonic counter stays monotonic. */
const COUNTERS: readonly MetricKey[] = ['runningHours', 'loadedHours', 'motorStarts', 'loadCycles'];

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** One protocol-v1 telemetry sample of the machine at `state.tMs`. */
export function toTelemetry(state: CompressorState, seq: number): Telemetry {
  const raw = rawMetrics(state);
  const ts = Math.round(state.tMs);
  const key = state.profile.noiseKey;
  const metrics: Record<string, number> = {};
  for (let i = 0; i < CHANNELS.length; i += 1) {
    const ch = CHANNELS[i] as Channel;
    const v = raw[ch.key];
    const amplitude = ch.relative ? ch.noise * v : ch.noise;
    // Physical quantities cannot go negative whatever the noise.
    metrics[ch.key] = round(Math.max(0, v + amplitude * sampleNoise(key, i, ts)), ch.decimals);
  }
  metrics.runningHours = round(raw.runningHours, 4);
  metrics.loadedHours = round(raw.loadedHours, 4);
  metrics.motorStarts = raw.motorStarts;
  metrics.loadCycles = raw.loadCycles;
  if (modelSpec(state.modelId).drive === 'vsd') {
    // Extra metric (protocol v1 keeps unknown numeric keys): drive speed, % of maximum.
    metrics.motorSpeedPct = round(state.control.speed * 100, 1);
  }
  // Extras the controller knows and the cloud's judgments act on: hours since each service
  // level (docs/domain.md §5; service_reset restarts them), the pressure band in force (setpoint
  // advice, a derate's pressure cap) and the loaded share over the duty window (a derate's duty cap).
  const since = serviceHoursSince(state.service, raw.runningHours);
  metrics.serviceHoursA = round(since.A, 2);
  metrics.serviceHoursB = round(since.B, 2);
  metrics.serviceHoursC = round(since.C, 2);
  const band = effectiveBand(state.control);
  metrics.loadSetpointBar = round(band.loadBar, 2);
  metrics.unloadSetpointBar = round(band.unloadBar, 2);
  metrics.loadedDutyPct = round(state.control.dutyShare * 100, 1);
  if (state.faults.length > 0) applySensorFaults(state, metrics);
  return { ts, seq, state: state.state, metrics };
}

function applySensorFaults(state: CompressorState, metrics: Record<string, number>): void {
  const { stuck, dropped } = sensorFaults(state.faults, state.tMs);
  for (const metric of stuck) {
    const frozen = state.faultMemory[metric];
    if (frozen !== undefined && !COUNTERS.includes(metric)) metrics[metric] = frozen;
  }
  for (const metric of dropped) delete metrics[metric];
}
