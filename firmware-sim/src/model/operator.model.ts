import { DEVICE_EVENT_CODES, type CompressorModel, type DeviceEvent } from '@airfleet/contracts';
import { cloneState } from './compressor.model.ts';
import { sameFault, type FaultSpec } from './fault.model.ts';
import { modelSpec, PHYSICS, type CompressorState, type StepResult } from './physics.model.ts';
import { markService, serviceCovers, type ServiceLevel } from './service.model.ts';

/**
 * Commands a person or the cloud can give the controller. Pure state transforms returning a
 * new state plus the events to publish; the device agent decides who may call them
 * (judgment-policy.model.ts for the cloud's judgments).
 */

/** Remote/local start-stop. A stop takes effect on the next step (state `stopped`). */
export function setRunCommand(state: CompressorState, run: boolean): CompressorState {
  const next = cloneState(state);
  next.control.run = run;
  return next;
}

/**
 * Clears a trip once the cause is gone. Refused while the element is still at or above the
 * warning level: restarting a hot machine would trip it again at once. The machine goes back
 * to automatic operation (or stays stopped if a stop command is standing).
 */
export function resetTrip(state: CompressorState): StepResult & { accepted: boolean; reason?: string } {
  if (state.state !== 'tripped') return { state, events: [], accepted: false, reason: 'not tripped' };
  const limits = modelSpec(state.modelId).limits;
  if (state.elementTempC >= limits.elementTempWarnC) {
    return { state, events: [], accepted: false, reason: `element still ${state.elementTempC.toFixed(1)} °C (reset allowed below ${limits.elementTempWarnC} °C)` };
  }
  const next = cloneState(state);
  next.state = next.control.run ? 'standby' : 'stopped';
  next.timers.stateSinceMs = next.tMs;
  next.timers.startInhibited = false;
  next.protection = { ...next.protection, overloadSinceMs: null, currentHighSinceMs: null, vibrationHighSinceMs: null };
  const event: DeviceEvent = { ts: Math.round(next.tMs), type: 'reset', code: DEVICE_EVENT_CODES.TRIP_RESET, message: 'trip reset by operator' };
  return { state: next, events: [event], accepted: true };
}

/**
 * A service was performed (docs/domain.md §5): the hours-since counters of that level and the levels
 * it includes restart, elements are replaced (air filter from level A, separator from level B),
 * the faults those elements carried are cured, and a maintenance notice it covers is cleared.
 */
export function applyService(state: CompressorState, level: ServiceLevel): CompressorState {
  const next = cloneState(state);
  if (level !== 'first') next.wear.airFilterRunningHours = 0;
  if (level === 'B' || level === 'C') next.wear.separatorLoadedHours = 0;
  next.faults = next.faults.filter(
    (f) => !(f.kind === 'air_filter_clogging' && level !== 'first') && !(f.kind === 'separator_clogging' && (level === 'B' || level === 'C')),
  );
  next.service = markService(next.service, level, next.counters.runningHours);
  const due = next.memory.maintenanceDue;
  if (due && serviceCovers(level, due.level)) next.memory = { ...next.memory, maintenanceDue: null };
  return next;
}

/**
 * Why a pressure band is not safe for this model, or null if it is: unload at most the model's
 * maximum working pressure, load below unload by at least the minimum band, load not below the
 * lowest a plant's tools are specified for (PHYSICS.minLoadBar).
 */
export function pressureBandProblem(spec: CompressorModel, loadBar: number, unloadBar: number): string | null {
  const bar = (x: number): string => `${Number(x.toFixed(2))} bar`;
  if (!Number.isFinite(loadBar) || !Number.isFinite(unloadBar)) return 'load and unload must be numbers';
  if (unloadBar > spec.maxPressureBar) return `unload ${bar(unloadBar)} exceeds the model maximum ${spec.maxPressureBar.toFixed(1)} bar`;
  if (loadBar >= unloadBar) return `load ${bar(loadBar)} must be below unload ${bar(unloadBar)}`;
  if (unloadBar - loadBar < PHYSICS.minBandBar - 1e-9) return `band ${bar(unloadBar - loadBar)} is narrower than the minimum ${PHYSICS.minBandBar} bar`;
  if (loadBar < PHYSICS.minLoadBar) return `load ${bar(loadBar)} is below the minimum ${PHYSICS.minLoadBar.toFixed(1)} bar`;
  return null;
}

/** Sets the pressure band; validated against the model (pressureBandProblem). */
export function setPressureBand(state: CompressorState, loadBar: number, unloadBar: number): { state: CompressorState; accepted: boolean; reason?: string } {
  const problem = pressureBandProblem(modelSpec(state.modelId), loadBar, unloadBar);
  if (problem) return { state, accepted: false, reason: problem };
  const next = cloneState(state);
  next.control.loadBar = loadBar;
  next.control.unloadBar = unloadBar;
  return { state: next, accepted: true };
}

/** Adds faults (fault injection, fault.model.ts); they develop from their own onset times. Already present ones are not added twice. */
export function injectFaults(state: CompressorState, faults: readonly FaultSpec[]): CompressorState {
  const next = cloneState(state);
  for (const f of faults) if (!next.faults.some((g) => sameFault(f, g))) next.faults.push({ ...f });
  return next;
}
