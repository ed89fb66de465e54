import { DEVICE_EVENT_CODES, type DeviceEvent, type MachineState } from '@airfleet/contracts';
import { sensorFaults } from './fault.model.ts';
import { PHYSICS, round1, type CompressorState, type Ctx, type ProtectionState } from './physics.model.ts';

/**
 * Local protections (docs/domain.md §2 limits, read from the model catalogue): they run
 * inside the controller on every integration step and need no cloud. A trip latches the machine
 * in `tripped` until someone resets it (operator.model.ts resetTrip). Warnings are raised once
 * per excursion and re-arm with hysteresis, so a value hovering at a limit does not flood events.
 */
const SQRT3 = Math.sqrt(3);

export function emit(c: Ctx, ts: number, type: DeviceEvent['type'], code?: string, message?: string, values?: Record<string, number>): void {
  if (!c.events) return;
  const event: DeviceEvent = { ts: Math.round(ts), type };
  if (code) event.code = code;
  if (message) event.message = message;
  if (values) event.values = values;
  c.events.push(event);
}

export function setState(w: CompressorState, next: MachineState): void {
  const wasRunning = w.state === 'loaded' || w.state === 'unloaded';
  w.state = next;
  w.timers.stateSinceMs = w.tMs;
  w.timers.unloadedSinceMs = next === 'unloaded' ? w.tMs : null;
  if (next !== 'standby') w.timers.startInhibited = false;
  if (wasRunning && (next === 'standby' || next === 'stopped' || next === 'tripped')) {
    // The minimum stop time counts from the motor stopping, not from later mode changes.
    w.timers.stoppedSinceMs = w.tMs;
    w.control.speed = 0;
  }
}

/**
 * Motor current from input power: I = P / (√3 · U · cos φ). A direct-on-line motor's power
 * factor falls at light load; a VSD's input stays near full.
 */
export function motorCurrentA(c: Ctx, powerKw: number): number {
  const loadShare = powerKw / c.spec.ratedPowerKw;
  const cosPhi = c.vsd
    ? PHYSICS.cosPhiFull
    : PHYSICS.cosPhiUnloaded + (PHYSICS.cosPhiFull - PHYSICS.cosPhiUnloaded) * Math.min(1, Math.max(0, (loadShare - 0.2) / 0.6));
  return (powerKw * 1000) / (SQRT3 * PHYSICS.lineVoltageV * cosPhi);
}

/** Physical vibration of a running machine (the add-on sensor's reading without noise). */
export function vibrationMmS(c: Ctx, w: CompressorState): number {
  return Math.max(0.3, c.profile.vibrationBaseMmS + w.env.vibrationDriftMmS + c.mods.extraVibrationMmS);
}

function clearTimers(p: ProtectionState): void {
  p.overloadSinceMs = null;
  p.currentHighSinceMs = null;
  p.vibrationHighSinceMs = null;
}

function trip(c: Ctx, w: CompressorState, code: string, message: string, values: Record<string, number>): true {
  setState(w, 'tripped');
  clearTimers(w.protection);
  emit(c, w.tMs, 'trip', code, message, values);
  return true;
}

/** Start of a held condition: kept while it holds, null once it stops holding. */
function since(cond: boolean, prev: number | null, t: number): number | null {
  return cond ? (prev ?? t) : null;
}

function heldFor(start: number | null, t: number, delayS: number): boolean {
  return start !== null && t - start >= delayS * 1000;
}

/**
 * Shutdown protections of a running machine. Returns true when the machine tripped this step
 * (the controller then does nothing else). `current` is the motor current of the step.
 */
export function tripProtections(c: Ctx, w: CompressorState, current: number): boolean {
  const lim = c.spec.limits;
  const p = w.protection;
  const t = w.tMs;

  // Element outlet temperature ≥ 120 °C: the classic shutdown (docs/domain.md §2).
  if (w.elementTempC >= lim.elementTempTripC) {
    return trip(c, w, DEVICE_EVENT_CODES.ADT_HIGH_TRIP, `element temperature ${w.elementTempC.toFixed(1)} °C ≥ trip limit ${lim.elementTempTripC} °C`, {
      elementTempC: round1(w.elementTempC),
      ambientTempC: round1(c.amb),
    });
  }

  // Safety valve lifted (pressure at max working + 0.5 bar): the controller failed to unload.
  const reliefBar = c.spec.maxPressureBar + PHYSICS.reliefMarginBar;
  if (w.pressureBar >= reliefBar - 1e-6) {
    return trip(c, w, DEVICE_EVENT_CODES.HIGH_PRESSURE_TRIP, `pressure ${w.pressureBar.toFixed(2)} bar reached the relief limit ${reliefBar.toFixed(1)} bar`, {
      pressureBar: Math.round(w.pressureBar * 100) / 100,
    });
  }

  // Motor overload relay: > trip factor × FLA for a few seconds.
  const tripA = lim.motorCurrentTripFactor * c.spec.flaA;
  p.overloadSinceMs = since(current > tripA, p.overloadSinceMs, t);
  if (heldFor(p.overloadSinceMs, t, PHYSICS.overloadDelayS)) {
    return trip(c, w, DEVICE_EVENT_CODES.OVERLOAD_TRIP, `motor current ${current.toFixed(1)} A > ${lim.motorCurrentTripFactor} × FLA (${tripA.toFixed(1)} A) for ${PHYSICS.overloadDelayS} s`, {
      motorCurrentA: round1(current),
      flaA: c.spec.flaA,
    });
  }

  // Vibration in ISO 10816 zone D (≥ 7.1 mm/s, docs/domain.md §2): damage is likely, stop.
  const vib = vibrationMmS(c, w);
  p.vibrationHighSinceMs = since(vib >= lim.vibrationTripMmS, p.vibrationHighSinceMs, t);
  if (heldFor(p.vibrationHighSinceMs, t, PHYSICS.vibrationTripDelayS)) {
    return trip(c, w, DEVICE_EVENT_CODES.VIBRATION_TRIP, `vibration ${vib.toFixed(2)} mm/s ≥ trip limit ${lim.vibrationTripMmS} mm/s`, {
      vibrationMmS: Math.round(vib * 100) / 100,
    });
  }
  return false;
}

/**
 * Warning limits: raised once per excursion. A standing warning re-arms only after its value
 * stayed below the clear level (limit minus hysteresis) for PHYSICS.warningRearmS.
 */
export function warningProtections(c: Ctx, w: CompressorState, running: boolean, current: number): void {
  const lim = c.spec.limits;
  const p = w.protection;
  const t = w.tMs;
  if (!p.adtWarning) {
    if (running && w.elementTempC >= lim.elementTempWarnC) {
      p.adtWarning = true;
      p.adtClearSinceMs = null;
      emit(c, t, 'warning', DEVICE_EVENT_CODES.ADT_HIGH_WARNING, `element temperature ${w.elementTempC.toFixed(1)} °C ≥ warning limit ${lim.elementTempWarnC} °C`, {
        elementTempC: round1(w.elementTempC),
        ambientTempC: round1(c.amb),
      });
    }
  } else {
    p.adtClearSinceMs = since(w.elementTempC < lim.elementTempWarnC - PHYSICS.adtWarningHysteresisK, p.adtClearSinceMs, t);
    if (heldFor(p.adtClearSinceMs, t, PHYSICS.warningRearmS)) {
      p.adtWarning = false;
      p.adtClearSinceMs = null;
    }
  }

  // Only loaded current says anything about the motor: unloaded it is always low.
  const loaded = w.state === 'loaded';
  const warnA = lim.motorCurrentWarnFactor * c.spec.flaA;
  if (!p.currentWarning) {
    p.currentHighSinceMs = since(current > warnA, p.currentHighSinceMs, t);
    if (heldFor(p.currentHighSinceMs, t, PHYSICS.currentWarningDelayS)) {
      p.currentWarning = true;
      p.currentHighSinceMs = null;
      p.currentClearSinceMs = null;
      emit(c, t, 'warning', DEVICE_EVENT_CODES.MOTOR_CURRENT_WARNING, `motor current ${current.toFixed(1)} A > ${lim.motorCurrentWarnFactor} × FLA (${warnA.toFixed(1)} A) for ${PHYSICS.currentWarningDelayS} s`, {
        motorCurrentA: round1(current),
        flaA: c.spec.flaA,
      });
    }
  } else {
    const clear = !loaded || current < (lim.motorCurrentWarnFactor - PHYSICS.currentWarningHysteresis) * c.spec.flaA;
    p.currentClearSinceMs = since(clear, p.currentClearSinceMs, t);
    if (heldFor(p.currentClearSinceMs, t, PHYSICS.warningRearmS)) {
      p.currentWarning = false;
      p.currentClearSinceMs = null;
    }
  }
}

/**
 * A dropped-out sensor is something the controller itself notices (an open circuit reads out of
 * range), so it raises SENSOR_FAULT once; a stuck sensor is not: that one is for the cloud to
 * spot as a flat line. Checked on the minute grid, like the fault modifiers.
 */
export function sensorProtection(c: Ctx, w: CompressorState): void {
  if (w.faults.length === 0 && !w.protection.sensorFault) return;
  const { dropped } = sensorFaults(w.faults, w.tMs);
  if (dropped.length > 0 && !w.protection.sensorFault) {
    w.protection.sensorFault = true;
    emit(c, w.tMs, 'warning', DEVICE_EVENT_CODES.SENSOR_FAULT, `no reading from ${dropped.join(', ')}`);
  } else if (dropped.length === 0 && w.protection.sensorFault) {
    w.protection.sensorFault = false;
  }
}
