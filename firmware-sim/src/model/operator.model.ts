import type { DeviceEvent } from '@airfleet/contracts';
import { cloneState } from './compressor.model.ts';
import { modelSpec, type CompressorState, type StepResult } from './physics.model.ts';
import type { FaultSpec } from './fault.model.ts';

/**
 * Commands a person or the cloud can give the controller. Pure state transforms returning a
 * new state plus the events to publish; the device agent decides who may call them
 * (judgment application, issue 3 §5, builds on these).
 */

/** Remote/local start-stop. A stop takes effect on the next step (state `stopped`). */
export function setRunCommand(state: CompressorState, run: boolean): CompressorState {
  const next = cloneState(state);
  next.control.run = run;
  return next;
}

/**
 * Clears a trip once the cause is gone. Refused while the element is still at or above the
 * warning level: restarting a hot machine would trip it again at once.
 */
export function resetTrip(state: CompressorState): StepResult & { accepted: boolean; reason?: string } {
  if (state.state !== 'tripped') return { state, events: [], accepted: false, reason: 'not tripped' };
  const limits = modelSpec(state.modelId).limits;
  if (state.elementTempC >= limits.elementTempWarnC) {
    return { state, events: [], accepted: false, reason: `element still ${state.elementTempC.toFixed(1)} °C` };
  }
  const next = cloneState(state);
  next.state = next.control.run ? 'standby' : 'stopped';
  next.timers.stateSinceMs = next.tMs;
  const event: DeviceEvent = { ts: Math.round(next.tMs), type: 'reset', code: 'TRIP_RESET', message: 'trip reset' };
  return { state: next, events: [event], accepted: true };
}

export type ServiceLevel = 'first' | 'A' | 'B' | 'C';

/** A service replaces elements (DOMAIN.md §5): air filter from level A, separator from level B. */
export function applyService(state: CompressorState, level: ServiceLevel): CompressorState {
  const next = cloneState(state);
  if (level === 'A' || level === 'B' || level === 'C') next.wear.airFilterRunningHours = 0;
  if (level === 'B' || level === 'C') next.wear.separatorLoadedHours = 0;
  // A service also cures the element-related faults it replaces.
  next.faults = next.faults.filter((f) => !(f.kind === 'air_filter_clogging' && level !== 'first') && !(f.kind === 'separator_clogging' && (level === 'B' || level === 'C')));
  return next;
}

/** Sets the pressure band; validated against the model's maximum working pressure. */
export function setPressureBand(state: CompressorState, loadBar: number, unloadBar: number): { state: CompressorState; accepted: boolean; reason?: string } {
  const spec = modelSpec(state.modelId);
  if (!(loadBar > 0) || !(unloadBar > loadBar)) return { state, accepted: false, reason: 'load must be > 0 and below unload' };
  if (unloadBar > spec.maxPressureBar) return { state, accepted: false, reason: `unload ${unloadBar} bar above the model maximum ${spec.maxPressureBar} bar` };
  // The band must leave the VSD room to modulate and a fixed-speed machine sane cycle times.
  if (unloadBar - loadBar < 0.3) return { state, accepted: false, reason: 'band narrower than 0.3 bar' };
  const next = cloneState(state);
  next.control.loadBar = loadBar;
  next.control.unloadBar = unloadBar;
  return { state: next, accepted: true };
}

/** Adds faults (fault injection, issue 3 §6); they develop from their own onset times. */
export function injectFaults(state: CompressorState, faults: readonly FaultSpec[]): CompressorState {
  const next = cloneState(state);
  next.faults = [...next.faults, ...faults];
  return next;
}
