import type { DeviceEvent, MetricKey } from '@airfleet/contracts';
import { control } from './controller.model.ts';
import { ambientC, EnvironmentSampler, weekTimerOff } from './demand.model.ts';
import { deviceProfile } from './device-profile.model.ts';
import { faultModifiers, sensorFaults } from './fault.model.ts';
import {
  effectiveBand,
  MINUTE_MS,
  modelSpec,
  PHYSICS,
  type CompressorState,
  type Counters,
  type Ctx,
  type StepResult,
} from './physics.model.ts';
import { motorCurrentA, sensorProtection, vibrationMmS } from './protection.model.ts';
import { initialServiceMarks } from './service.model.ts';
import { createRandom, nextRandom, seedKey } from './prng.model.ts';
import type { DeviceProfile } from './device-profile.model.ts';
import type { FaultSpec } from './fault.model.ts';

/**
 * Compressor model entry points: build a realistic starting state, integrate it forward.
 * Pure and deterministic (the history generator and the live agent must agree): time comes in as `toMs`, randomness from the seed
 * carried in the state. Physics constants and state types live in physics.model.ts, the
 * controller in controller.model.ts.
 */
const WEATHER_MS = 600_000;

export interface InitialStateOptions {
  /** The instant the state describes (epoch ms). */
  tMs: number;
  utcOffsetMinutes?: number;
  /** Site mean ambient, °C (drawn from the seed when omitted). */
  ambientC?: number;
  /** Known counters; missing ones are drawn in proportion (a machine a few years old). */
  counters?: Partial<Counters>;
  /** Start from zero counters: a machine fresh from the factory. */
  newMachine?: boolean;
  /**
   * Last known element readings (e.g. the final back-filled sample): the wear state is derived
   * from them instead of from the counters, so the live machine continues where history ended.
   */
  readings?: { separatorDpBar?: number; airFilterDpMbar?: number };
  profile?: Partial<DeviceProfile>;
  faults?: FaultSpec[];
}

export function initialState(modelId: string, seed: number, opts: InitialStateOptions): CompressorState {
  const spec = modelSpec(modelId);
  const profile = deviceProfile(spec, seed, { utcOffsetMinutes: opts.utcOffsetMinutes, ambientC: opts.ambientC, overrides: opts.profile });
  const counters = initialCounters(seed, opts);
  const vsd = spec.drive === 'vsd';
  const amb = ambientC(profile, opts.tMs, 0);
  const state: CompressorState = {
    v: 2,
    modelId,
    profile,
    tMs: opts.tMs,
    state: 'unloaded',
    pressureBar: spec.defaultUnloadBar - 0.2,
    elementTempC: amb + PHYSICS.deltaTUnloadedK,
    counters,
    wear: initialWear(counters, profile.dustFactor, opts.readings),
    control: {
      run: true,
      loadBar: spec.defaultLoadBar,
      unloadBar: spec.defaultUnloadBar,
      derate: null,
      dutyShare: INITIAL_DUTY_SHARE,
      dutyHold: false,
      speed: vsd ? PHYSICS.vsdMinSpeed : 1,
      integral: PHYSICS.vsdMinSpeed,
    },
    timers: { stateSinceMs: opts.tMs, unloadedSinceMs: opts.tMs, stoppedSinceMs: null, recentStartsMs: [], startInhibited: false },
    protection: initialProtection(),
    service: initialServiceMarks(spec, counters.runningHours),
    memory: { maintenanceDue: null, judgments: [] },
    env: { weatherOffsetK: 0, vibrationDriftMmS: 0 },
    faults: opts.faults ? [...opts.faults] : [],
    faultMemory: {},
    outputs: { ambientC: amb, demandM3Min: 0, flowM3Min: 0, powerKw: 0, currentA: 0, separatorDpBar: 0, airFilterDpMbar: 0, vibrationMmS: 0 },
    rng: seedKey(seed ^ 0x5a5a5a5a) | 0,
  };
  if (profile.weekTimer && weekTimerOff(profile, opts.tMs)) {
    // Starting inside the week-timer off period: the machine has been standing, cold and drained.
    state.state = 'stopped';
    state.pressureBar = 0;
    state.elementTempC = amb;
    state.control.speed = 0;
    state.timers.unloadedSinceMs = null;
    state.timers.stoppedSinceMs = opts.tMs - 3_600_000;
  }
  const ctx = createContext(state, null);
  writeOutputs(ctx, state);
  return state;
}

/** A machine of unknown recent history: half loaded, so a derate's duty limit starts neutral. */
const INITIAL_DUTY_SHARE = 0.5;

function initialProtection(): CompressorState['protection'] {
  return { adtWarning: false, currentWarning: false, adtClearSinceMs: null, currentClearSinceMs: null, overloadSinceMs: null, currentHighSinceMs: null, vibrationHighSinceMs: null, sensorFault: false };
}

/**
 * Upgrades a persisted state of an older shape (v1: before protections, derate, service
 * counters and judgment memory) so a firmware update keeps the counters; null if unusable.
 */
export function upgradeState(raw: unknown): CompressorState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Partial<CompressorState> & { v?: number };
  if (s.v === 2) return s as CompressorState;
  if (s.v !== 1 || !s.modelId || !s.counters || !s.control || !s.protection) return null;
  const spec = modelSpec(s.modelId);
  return {
    ...(s as CompressorState),
    v: 2,
    control: { ...s.control, derate: null, dutyShare: INITIAL_DUTY_SHARE, dutyHold: false },
    protection: { ...initialProtection(), adtWarning: s.protection.adtWarning },
    service: initialServiceMarks(spec, s.counters.runningHours),
    memory: { maintenanceDue: null, judgments: [] },
  };
}

/**
 * Hours on the current separator and air-filter elements. Without readings: elements changed
 * at their service intervals (B every 4000 h, A every 2000 h, docs/domain.md §5). With readings:
 * the inverse of the wear laws in instant().
 */
function initialWear(counters: Counters, dustFactor: number, readings: InitialStateOptions['readings']): CompressorState['wear'] {
  let separatorLoadedHours = counters.loadedHours % PHYSICS.separatorChangeHours;
  let airFilterRunningHours = counters.runningHours % PHYSICS.airFilterChangeHours;
  const sep = readings?.separatorDpBar;
  if (sep !== undefined && Number.isFinite(sep)) {
    separatorLoadedHours = Math.max(0, ((sep - PHYSICS.separatorNewBar) * 1000) / PHYSICS.separatorBarPer1000h);
  }
  const af = readings?.airFilterDpMbar;
  if (af !== undefined && Number.isFinite(af)) {
    airFilterRunningHours = Math.max(0, ((af - PHYSICS.airFilterNewMbar) * 1000) / (PHYSICS.airFilterMbarPer1000h * dustFactor));
  }
  return { separatorLoadedHours, airFilterRunningHours };
}

function initialCounters(seed: number, opts: InitialStateOptions): Counters {
  const given = opts.counters ?? {};
  if (opts.newMachine) {
    return { runningHours: given.runningHours ?? 0, loadedHours: given.loadedHours ?? 0, motorStarts: given.motorStarts ?? 0, loadCycles: given.loadCycles ?? 0 };
  }
  const rand = createRandom(seed ^ 0x0c0ffee);
  // A machine a few years old: 5k–30k running hours, load factor 55–75 %, a start every
  // 3–20 running hours, a load cycle every 1.5–4 loaded minutes.
  const runningHours = given.runningHours ?? 5000 + 25_000 * rand();
  const loadedHours = given.loadedHours ?? runningHours * (0.55 + 0.2 * rand());
  const motorStarts = given.motorStarts ?? Math.round(runningHours * (0.05 + 0.25 * rand()));
  const loadCycles = given.loadCycles ?? Math.round(loadedHours * (15 + 25 * rand()));
  return { runningHours, loadedHours: Math.min(loadedHours, runningHours), motorStarts, loadCycles };
}

/** Per-advance constants and scratch, so the hot loop does no lookups or allocations. */

function createContext(w: CompressorState, events: DeviceEvent[] | null): Ctx {
  const spec = modelSpec(w.modelId);
  const band = effectiveBand(w.control);
  const maxDutyPct = w.control.derate?.maxLoadedDutyPct;
  return {
    spec,
    profile: w.profile,
    vsd: spec.drive === 'vsd',
    mods: faultModifiers(w.faults, w.tMs),
    events,
    env: new EnvironmentSampler(w.profile),
    loadBar: band.loadBar,
    unloadBar: band.unloadBar,
    maxDuty: maxDutyPct === undefined ? null : maxDutyPct / 100,
    alphaDuty: 1 - Math.exp(-PHYSICS.stepMs / 1000 / PHYSICS.dutyWindowS),
    alphaRunning: 1 - Math.exp(-PHYSICS.stepMs / 1000 / PHYSICS.tauRunningS),
    alphaStopped: 1 - Math.exp(-PHYSICS.stepMs / 1000 / PHYSICS.tauStoppedS),
    amb: 0,
    demand: 0,
    flow: 0,
    power: 0,
    sepDp: 0,
    afDp: 0,
  };
}

/** Flows and power for the current machine state at time t (fills the ctx scratch). */
function instant(c: Ctx, w: CompressorState, t: number): void {
  const spec = c.spec;
  c.amb = c.env.ambientC(t, w.env.weatherOffsetK);
  c.demand = c.env.demandFraction(t, c.mods.extraDemandFadFraction) * spec.fadM3Min;
  c.sepDp = PHYSICS.separatorNewBar + (PHYSICS.separatorBarPer1000h * w.wear.separatorLoadedHours) / 1000 + c.mods.extraSeparatorDpBar;
  c.afDp =
    PHYSICS.airFilterNewMbar + (PHYSICS.airFilterMbarPer1000h * c.profile.dustFactor * w.wear.airFilterRunningHours) / 1000 + c.mods.extraAirFilterDpMbar;
  if (w.state === 'loaded') {
    // Inlet loss lowers inlet density, so free air delivered falls with filter ΔP.
    const fad = spec.fadM3Min * (1 - c.afDp / 1013.25);
    // Discharge pressure = net + separator loss; every extra bar costs ~6.5 % (≈0.5 %/psi, docs/domain.md §2).
    const pressureFactor = 1 + PHYSICS.powerPerBar * (w.pressureBar + c.sepDp - PHYSICS.separatorNewBar - spec.ratedPressureBar);
    const s = c.vsd ? w.control.speed : 1;
    c.flow = fad * s;
    c.power = spec.ratedPowerKw * pressureFactor * (c.vsd ? PHYSICS.vsdPowerFloor + (1 - PHYSICS.vsdPowerFloor) * s : 1);
  } else if (w.state === 'unloaded') {
    c.flow = 0;
    c.power = spec.ratedPowerKw * spec.unloadedPowerFraction;
  } else {
    c.flow = 0;
    c.power = 0;
  }
}

export interface AdvanceOptions {
  /** Collect load/unload/start/stop events (default true). Fast-forwards can skip them. */
  collectEvents?: boolean;
}

/**
 * Integrates the machine from `prev.tMs` to `toMs` and returns the new state (the input is
 * not modified) with the events that happened on the way. A `toMs` in the past is a no-op.
 */
export function advance(prev: CompressorState, toMs: number, opts: AdvanceOptions = {}): StepResult {
  const w = cloneState(prev);
  const events: DeviceEvent[] | null = opts.collectEvents === false ? null : [];
  advanceInPlace(w, toMs, events);
  return { state: w, events: events ?? [] };
}

/** In-place variant for hot loops that own their state (the history generator). */
export function advanceInPlace(w: CompressorState, toMs: number, events: DeviceEvent[] | null): void {
  if (!(toMs > w.tMs)) return;
  const c = createContext(w, events);
  while (w.tMs < toMs) step(c, w, Math.min(PHYSICS.stepMs, toMs - w.tMs));
  writeOutputs(c, w);
  recordStuckSensors(w);
}

function step(c: Ctx, w: CompressorState, dtMs: number): void {
  const t0 = w.tMs;
  const dtS = dtMs / 1000;
  instant(c, w, t0);

  // Receiver pressure (docs/domain.md §3); the safety valve caps it, atmosphere floors it.
  const dp = (((c.flow - c.demand) * PHYSICS.atmosphereBar) / c.profile.receiverM3) * (dtS / 60);
  w.pressureBar = Math.min(c.spec.maxPressureBar + PHYSICS.reliefMarginBar, Math.max(0, w.pressureBar + dp));

  // First-order element temperature towards ambient + ΔT (docs/domain.md §3).
  const loaded = w.state === 'loaded';
  const running = loaded || w.state === 'unloaded';
  let target = c.amb;
  if (loaded) {
    const dT = c.vsd ? PHYSICS.deltaTUnloadedK + (PHYSICS.deltaTLoadedK - PHYSICS.deltaTUnloadedK) * (0.5 + 0.5 * w.control.speed) : PHYSICS.deltaTLoadedK;
    target = Math.max(c.amb + dT, PHYSICS.thermostatFloorC) + c.mods.extraDeltaTK;
  } else if (running) {
    target = c.amb + PHYSICS.deltaTUnloadedK + c.mods.extraDeltaTK * 0.5;
  }
  const tau = running ? PHYSICS.tauRunningS : PHYSICS.tauStoppedS;
  const alpha = dtMs === PHYSICS.stepMs ? (running ? c.alphaRunning : c.alphaStopped) : 1 - Math.exp(-dtS / tau);
  w.elementTempC += (target - w.elementTempC) * alpha;

  // Loaded share over the rolling duty window (exponentially weighted).
  const alphaDuty = dtMs === PHYSICS.stepMs ? c.alphaDuty : 1 - Math.exp(-dtS / PHYSICS.dutyWindowS);
  w.control.dutyShare += ((loaded ? 1 : 0) - w.control.dutyShare) * alphaDuty;

  if (running) {
    const h = dtS / 3600;
    w.counters.runningHours += h;
    w.wear.airFilterRunningHours += h;
    if (loaded) {
      w.counters.loadedHours += h;
      w.wear.separatorLoadedHours += h;
    }
  }
  w.tMs = t0 + dtMs;
  control(c, w, dtS);

  // Slow processes tick on absolute time grids, so they are independent of the step size.
  if (Math.floor(w.tMs / MINUTE_MS) !== Math.floor(t0 / MINUTE_MS)) {
    const d = w.env.vibrationDriftMmS;
    w.env.vibrationDriftMmS = d * 0.98 + (nextRandom(w) - 0.5) * 0.04;
    c.mods = faultModifiers(w.faults, w.tMs);
    sensorProtection(c, w);
  }
  if (Math.floor(w.tMs / WEATHER_MS) !== Math.floor(t0 / WEATHER_MS)) {
    // AR(1) with ~16 h correlation and ≈2 K spread: warm and cool spells around the site mean.
    const next = w.env.weatherOffsetK * 0.99 + (nextRandom(w) - 0.5) * 0.98;
    w.env.weatherOffsetK = Math.max(-6, Math.min(6, next));
  }
}

/** Fills `w.outputs` for the state at `w.tMs`. */
function writeOutputs(c: Ctx, w: CompressorState): void {
  instant(c, w, w.tMs);
  const running = w.state === 'loaded' || w.state === 'unloaded';
  const o = w.outputs;
  o.ambientC = c.amb;
  o.demandM3Min = c.demand;
  o.flowM3Min = c.flow;
  o.powerKw = c.power;
  o.currentA = motorCurrentA(c, c.power);
  o.separatorDpBar = c.sepDp;
  o.airFilterDpMbar = c.afDp;
  o.vibrationMmS = running ? vibrationMmS(c, w) : PHYSICS.vibrationStoppedMmS;
}

/** Noise-free readings at `w.tMs`, by protocol metric key. */
export function rawMetrics(w: CompressorState): Record<MetricKey, number> {
  const o = w.outputs;
  return {
    pressureBar: w.pressureBar,
    elementTempC: w.elementTempC,
    ambientTempC: o.ambientC,
    motorCurrentA: o.currentA,
    powerKw: o.powerKw,
    flowM3Min: o.flowM3Min,
    separatorDpBar: o.separatorDpBar,
    airFilterDpMbar: o.airFilterDpMbar,
    vibrationMmS: o.vibrationMmS,
    runningHours: w.counters.runningHours,
    loadedHours: w.counters.loadedHours,
    motorStarts: w.counters.motorStarts,
    loadCycles: w.counters.loadCycles,
  };
}

function recordStuckSensors(w: CompressorState): void {
  if (w.faults.length === 0) {
    if (Object.keys(w.faultMemory).length > 0) w.faultMemory = {};
    return;
  }
  const { stuck } = sensorFaults(w.faults, w.tMs);
  // A repaired sensor forgets its frozen value, so a later fault freezes a fresh one.
  for (const key of Object.keys(w.faultMemory) as Array<keyof typeof w.faultMemory>) if (!stuck.includes(key)) delete w.faultMemory[key];
  if (stuck.length === 0) return;
  const raw = rawMetrics(w);
  for (const metric of stuck) if (w.faultMemory[metric] === undefined) w.faultMemory[metric] = raw[metric];
}

export function cloneState(s: CompressorState): CompressorState {
  return {
    ...s,
    counters: { ...s.counters },
    wear: { ...s.wear },
    control: { ...s.control },
    timers: { ...s.timers, recentStartsMs: [...s.timers.recentStartsMs] },
    protection: { ...s.protection },
    service: { ...s.service },
    // Judgment records and the derate/maintenance objects are never mutated, only replaced.
    memory: { ...s.memory, judgments: [...s.memory.judgments] },
    env: { ...s.env },
    faults: [...s.faults],
    faultMemory: { ...s.faultMemory },
    outputs: { ...s.outputs },
  };
}

/** Events a device publishes: not every load/unload, to keep event volume sane. */
export const NOTABLE_EVENT_TYPES: ReadonlySet<DeviceEvent['type']> = new Set(['start', 'stop', 'trip', 'warning', 'reset']);
export function isNotableEvent(e: DeviceEvent): boolean {
  return NOTABLE_EVENT_TYPES.has(e.type);
}

