import { DEVICE_EVENT_CODES } from '@airfleet/contracts';
import { weekTimerOff } from './demand.model.ts';
import { clamp, HOUR_MS, PHYSICS, type CompressorState, type Ctx } from './physics.model.ts';
import { emit, motorCurrentA, setState, tripProtections, warningProtections } from './protection.model.ts';

/**
 * The machine controller (Elektronikon / SIGMA CONTROL class, docs/domain.md §1): local
 * protection first, then the pressure band, idle stop and automatic restart. Runs after
 * every integration step on the working state; emits events into the step's context.
 * The band it runs is the effective one (a derate may lower it, physics.model.ts effectiveBand).
 */
function startsInLastHour(w: CompressorState): number {
  const since = w.tMs - HOUR_MS;
  let n = 0;
  for (const s of w.timers.recentStartsMs) if (s > since) n += 1;
  return n;
}

/**
 * A derate's duty limit: refuse to (stay) loaded while the loaded share over the rolling window
 * is at the limit; allow loading again once it has fallen below it by the hysteresis.
 */
function dutyAllowsLoad(c: Ctx, w: CompressorState): boolean {
  if (c.maxDuty === null) {
    w.control.dutyHold = false;
    return true;
  }
  if (w.control.dutyHold && w.control.dutyShare <= c.maxDuty - PHYSICS.dutyHysteresis) w.control.dutyHold = false;
  return !w.control.dutyHold;
}

export function control(c: Ctx, w: CompressorState, dtS: number): void {
  const t = w.tMs;
  const ctl = w.control;
  const p = w.pressureBar;
  const running = w.state === 'loaded' || w.state === 'unloaded';

  // Protections work with no cloud involved and win over everything below.
  // Motor current from the power computed for this step (ctx scratch), once for all checks.
  const current = running ? motorCurrentA(c, c.power) : 0;
  if (running && tripProtections(c, w, current)) return;
  warningProtections(c, w, running, current);

  const timerOff = c.profile.weekTimer && weekTimerOff(c.profile, t);
  if (!ctl.run || timerOff) {
    if (running) {
      if (ctl.run) emit(c, t, 'stop', DEVICE_EVENT_CODES.WEEK_TIMER_STOP, 'week timer');
      else emit(c, t, 'stop', DEVICE_EVENT_CODES.REMOTE_STOP, 'stopped by command');
    }
    if (w.state !== 'stopped' && w.state !== 'tripped') setState(w, 'stopped');
    return;
  }

  switch (w.state) {
    case 'stopped':
      // Run command given: back to automatic operation, waiting for pressure demand.
      setState(w, 'standby');
      break;
    case 'standby':
      if (p <= c.loadBar && dutyAllowsLoad(c, w)) tryStart(c, w);
      break;
    case 'loaded':
      if (p >= c.unloadBar) {
        unload(c, w);
      } else if (c.maxDuty !== null && w.control.dutyShare >= c.maxDuty) {
        // Derated: the loaded share reached its limit, unload even though pressure is wanted.
        ctl.dutyHold = true;
        unload(c, w);
      } else if (c.vsd) {
        // PI on the set point midway in the band: the drive trades speed for pressure stability.
        const e = (c.loadBar + c.unloadBar) / 2 - p;
        ctl.integral = clamp(ctl.integral + PHYSICS.vsdKi * e * dtS, PHYSICS.vsdMinSpeed, 1);
        ctl.speed = clamp(ctl.integral + PHYSICS.vsdKp * e, PHYSICS.vsdMinSpeed, 1);
      }
      break;
    case 'unloaded':
      if (p <= c.loadBar) {
        if (dutyAllowsLoad(c, w)) load(c, w);
      } else if (w.timers.unloadedSinceMs !== null && t - w.timers.unloadedSinceMs >= c.profile.idleTimerS * 1000 && mayIdleStop(c, w)) {
        setState(w, 'standby');
        emit(c, t, 'stop', DEVICE_EVENT_CODES.IDLE_STOP, `unloaded for ${c.profile.idleTimerS} s`);
      }
      break;
    case 'tripped':
      break;
  }
}

/**
 * Stop only if the machine will be allowed to start again when needed: the starts budget
 * has room and the pressure will not reach the load point within the minimum stop time
 * (docs/domain.md §2: > 6 starts/h refused, minimum stop time typ. 3 min).
 */
function mayIdleStop(c: Ctx, w: CompressorState): boolean {
  if (startsInLastHour(w) >= c.spec.limits.maxStartsPerHour) return false;
  const fallBarPerS = (c.demand * PHYSICS.atmosphereBar) / c.profile.receiverM3 / 60;
  if (fallBarPerS <= 0) return true;
  return (w.pressureBar - c.loadBar) / fallBarPerS >= c.spec.limits.minStopTimeS;
}

/**
 * Starts the motor unless the starts-per-hour budget or the minimum stop time forbids it
 * (docs/domain.md §2: > 6 starts/h refused, minimum stop time typ. 3 min): a motor started too often
 * overheats its windings. The refusal is one START_INHIBITED warning per waiting period, saying
 * which limit holds and when the start will be allowed; the start then happens by itself.
 */
function tryStart(c: Ctx, w: CompressorState): void {
  const lim = c.spec.limits;
  const stoppedFor = w.timers.stoppedSinceMs === null ? Infinity : w.tMs - w.timers.stoppedSinceMs;
  const starts = startsInLastHour(w);
  const budgetSpent = starts >= lim.maxStartsPerHour;
  const tooSoon = stoppedFor < lim.minStopTimeS * 1000;
  if (budgetSpent || tooSoon) {
    if (!w.timers.startInhibited) {
      w.timers.startInhibited = true;
      const recent = w.timers.recentStartsMs.filter((s) => s > w.tMs - HOUR_MS);
      const budgetAt = budgetSpent ? (recent[recent.length - lim.maxStartsPerHour] ?? w.tMs) + HOUR_MS : w.tMs;
      const stopAt = tooSoon ? (w.timers.stoppedSinceMs ?? w.tMs) + lim.minStopTimeS * 1000 : w.tMs;
      const waitS = Math.max(0, Math.ceil((Math.max(budgetAt, stopAt) - w.tMs) / 1000));
      const why = budgetSpent ? `${starts} starts in the last hour (limit ${lim.maxStartsPerHour})` : `stopped ${Math.floor(stoppedFor / 1000)} s ago (minimum stop time ${lim.minStopTimeS} s)`;
      emit(c, w.tMs, 'warning', DEVICE_EVENT_CODES.START_INHIBITED, `start refused: ${why}; allowed in ${waitS} s`, {
        startsLastHour: starts,
        stoppedForS: Number.isFinite(stoppedFor) ? Math.floor(stoppedFor / 1000) : -1,
        waitS,
      });
    }
    return;
  }
  w.timers.startInhibited = false;
  w.counters.motorStarts += 1;
  const recent = w.timers.recentStartsMs;
  recent.push(w.tMs);
  while (recent.length > lim.maxStartsPerHour) recent.shift();
  emit(c, w.tMs, 'start', DEVICE_EVENT_CODES.AUTO_START, 'pressure at load set point');
  load(c, w);
}

function unload(c: Ctx, w: CompressorState): void {
  setState(w, 'unloaded');
  w.control.speed = c.vsd ? PHYSICS.vsdMinSpeed : 1;
  emit(c, w.tMs, 'unload');
}

function load(c: Ctx, w: CompressorState): void {
  setState(w, 'loaded');
  w.counters.loadCycles += 1;
  w.control.integral = PHYSICS.vsdMinSpeed;
  w.control.speed = c.vsd ? PHYSICS.vsdMinSpeed : 1;
  emit(c, w.tMs, 'load');
}

