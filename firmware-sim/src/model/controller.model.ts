import type { DeviceEvent, MachineState } from '@airfleet/contracts';
import { weekTimerOff } from './demand.model.ts';
import { clamp, HOUR_MS, PHYSICS, round1, type CompressorState, type Ctx } from './physics.model.ts';

/**
 * The machine controller (Elektronikon / SIGMA CONTROL class, DOMAIN.md §1): local
 * protection first, then the pressure band, idle stop and automatic restart. Runs after
 * every integration step on the working state; emits events into the step's context.
 */
function emit(c: Ctx, ts: number, type: DeviceEvent['type'], code?: string, message?: string, values?: Record<string, number>): void {
  if (!c.events) return;
  const event: DeviceEvent = { ts: Math.round(ts), type };
  if (code) event.code = code;
  if (message) event.message = message;
  if (values) event.values = values;
  c.events.push(event);
}

function setState(w: CompressorState, next: MachineState): void {
  const wasRunning = w.state === 'loaded' || w.state === 'unloaded';
  w.state = next;
  w.timers.stateSinceMs = w.tMs;
  w.timers.unloadedSinceMs = next === 'unloaded' ? w.tMs : null;
  if (wasRunning && (next === 'standby' || next === 'stopped' || next === 'tripped')) {
    // The minimum stop time counts from the motor stopping, not from later mode changes.
    w.timers.stoppedSinceMs = w.tMs;
    w.control.speed = 0;
  }
}

function startsInLastHour(w: CompressorState): number {
  const since = w.tMs - HOUR_MS;
  let n = 0;
  for (const s of w.timers.recentStartsMs) if (s > since) n += 1;
  return n;
}

export function control(c: Ctx, w: CompressorState, dtS: number): void {
  const t = w.tMs;
  const lim = c.spec.limits;
  const ctl = w.control;
  const p = w.pressureBar;
  const running = w.state === 'loaded' || w.state === 'unloaded';

  // ADT shutdown works with no cloud involved (issue 3 §5; DOMAIN.md §2: 120 °C trip).
  if (running && w.elementTempC >= lim.elementTempTripC) {
    setState(w, 'tripped');
    emit(c, t, 'trip', 'ADT_HIGH_TRIP', `element temperature ${w.elementTempC.toFixed(1)} °C ≥ ${lim.elementTempTripC} °C`, {
      elementTempC: round1(w.elementTempC),
    });
    return;
  }
  if (running && !w.protection.adtWarning && w.elementTempC >= lim.elementTempWarnC) {
    w.protection.adtWarning = true;
    emit(c, t, 'warning', 'ADT_HIGH_WARNING', `element temperature ${w.elementTempC.toFixed(1)} °C ≥ ${lim.elementTempWarnC} °C`, {
      elementTempC: round1(w.elementTempC),
    });
  } else if (w.protection.adtWarning && w.elementTempC < lim.elementTempWarnC - PHYSICS.adtWarningHysteresisK) {
    w.protection.adtWarning = false;
  }

  const timerOff = c.profile.weekTimer && weekTimerOff(c.profile, t);
  if (!ctl.run || timerOff) {
    if (running) emit(c, t, 'stop', ctl.run ? 'WEEK_TIMER_STOP' : 'REMOTE_STOP', ctl.run ? 'week timer' : 'stopped by command');
    if (w.state !== 'stopped' && w.state !== 'tripped') setState(w, 'stopped');
    return;
  }

  switch (w.state) {
    case 'stopped':
      // Run command given: back to automatic operation, waiting for pressure demand.
      setState(w, 'standby');
      break;
    case 'standby':
      if (p <= ctl.loadBar) tryStart(c, w);
      break;
    case 'loaded':
      if (p >= ctl.unloadBar) {
        setState(w, 'unloaded');
        ctl.speed = c.vsd ? PHYSICS.vsdMinSpeed : 1;
        emit(c, t, 'unload');
      } else if (c.vsd) {
        // PI on the set point midway in the band: the drive trades speed for pressure stability.
        const e = (ctl.loadBar + ctl.unloadBar) / 2 - p;
        ctl.integral = clamp(ctl.integral + PHYSICS.vsdKi * e * dtS, PHYSICS.vsdMinSpeed, 1);
        ctl.speed = clamp(ctl.integral + PHYSICS.vsdKp * e, PHYSICS.vsdMinSpeed, 1);
      }
      break;
    case 'unloaded':
      if (p <= ctl.loadBar) {
        load(c, w);
      } else if (w.timers.unloadedSinceMs !== null && t - w.timers.unloadedSinceMs >= c.profile.idleTimerS * 1000 && mayIdleStop(c, w)) {
        setState(w, 'standby');
        emit(c, t, 'stop', 'IDLE_STOP', `unloaded for ${c.profile.idleTimerS} s`);
      }
      break;
    case 'tripped':
      break;
  }
}

/**
 * Stop only if the machine will be allowed to start again when needed: the starts budget
 * has room and the pressure will not reach the load point within the minimum stop time
 * (DOMAIN.md §2: > 6 starts/h refused, minimum stop time typ. 3 min).
 */
function mayIdleStop(c: Ctx, w: CompressorState): boolean {
  if (startsInLastHour(w) >= c.spec.limits.maxStartsPerHour) return false;
  const fallBarPerS = (c.demand * PHYSICS.atmosphereBar) / c.profile.receiverM3 / 60;
  if (fallBarPerS <= 0) return true;
  return (w.pressureBar - w.control.loadBar) / fallBarPerS >= c.spec.limits.minStopTimeS;
}

function tryStart(c: Ctx, w: CompressorState): void {
  const lim = c.spec.limits;
  const stoppedFor = w.timers.stoppedSinceMs === null ? Infinity : w.tMs - w.timers.stoppedSinceMs;
  if (startsInLastHour(w) >= lim.maxStartsPerHour || stoppedFor < lim.minStopTimeS * 1000) {
    if (!w.timers.startInhibited) {
      w.timers.startInhibited = true;
      emit(c, w.tMs, 'warning', 'START_INHIBITED', 'start refused: starts-per-hour budget or minimum stop time');
    }
    return;
  }
  w.timers.startInhibited = false;
  w.counters.motorStarts += 1;
  const recent = w.timers.recentStartsMs;
  recent.push(w.tMs);
  while (recent.length > lim.maxStartsPerHour) recent.shift();
  emit(c, w.tMs, 'start', 'AUTO_START', 'pressure at load set point');
  load(c, w);
}

function load(c: Ctx, w: CompressorState): void {
  setState(w, 'loaded');
  w.counters.loadCycles += 1;
  w.control.integral = PHYSICS.vsdMinSpeed;
  w.control.speed = c.vsd ? PHYSICS.vsdMinSpeed : 1;
  emit(c, w.tMs, 'load');
}

