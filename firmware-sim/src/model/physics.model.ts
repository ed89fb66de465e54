import { findModel, type CompressorModel, type DeviceEvent, type MachineState, type MetricKey } from '@airfleet/contracts';
import type { EnvironmentSampler } from './demand.model.ts';
import type { DeviceProfile } from './device-profile.model.ts';
import type { FaultModifiers, FaultSpec } from './fault.model.ts';
import type { MaintenanceDue, ServiceMarks } from './service.model.ts';

/**
 * Physics of an oil-injected rotary screw compressor (docs/domain.md §3), pure and deterministic:
 * time comes in as `toMs`, randomness from the seed carried in the state. Catalogue figures
 * (rated kW, FAD, FLA, receiver, set points, limits) are data from @airfleet/contracts; the
 * constants below are the class-typical engineering figures of docs/domain.md.
 */
export const PHYSICS = {
  /** Integration step. Fixed and grid-aligned so the history generator and the live agent,
   *  started from the same state, walk exactly the same trajectory. */
  stepMs: 1000,
  /** dp/dt [bar/min] ≈ (Q_delivered − Q_demand) [m³/min] × 1.013 / V (docs/domain.md §3). */
  atmosphereBar: 1.013,
  /** Loaded power rises ~6–7 % per bar of discharge pressure (docs/domain.md §3). */
  powerPerBar: 0.065,
  /** ADT rise over ambient, loaded ≈ 55–60 K, unloaded ≈ 40 K, τ ≈ 5 min (docs/domain.md §3). */
  deltaTLoadedK: 57,
  deltaTUnloadedK: 40,
  tauRunningS: 300,
  /** Stopped, the cooling fan is off too: the airend cools more slowly. */
  tauStoppedS: 1200,
  /** The thermostatic valve holds the oil at ~70 °C in (docs/domain.md §2): a loaded ADT floor in a cold room. */
  thermostatFloorC: 70,
  adtWarningHysteresisK: 5,
  /** Separator ΔP 0.1–0.2 bar new, +0.12 bar per 1000 loaded h (docs/domain.md §2, §3). */
  separatorNewBar: 0.15,
  separatorBarPer1000h: 0.12,
  /** Air-filter ΔP 10–20 mbar new (docs/domain.md §2); growth × the site's dust factor. */
  airFilterNewMbar: 12,
  airFilterMbarPer1000h: 9,
  /** Elements are replaced at service: separator at level B (4000 h), air filter at level A (2000 h) (docs/domain.md §5). */
  separatorChangeHours: 4000,
  airFilterChangeHours: 2000,
  /** I = P / (√3 · U · cos φ); cos φ ≈ 0.86 at load, falling at light load for a DOL motor. */
  lineVoltageV: 400,
  cosPhiFull: 0.86,
  cosPhiUnloaded: 0.62,
  /** VSD: turndown floor ~15 % of flow, power roughly linear in flow above it (docs/domain.md §3). */
  vsdMinSpeed: 0.15,
  vsdPowerFloor: 0.15,
  /** PI gains on pressure error (per bar, per bar·s): critically damped for the catalogue sizes. */
  vsdKp: 2,
  vsdKi: 0.1,
  /** The safety valve lifts at max working pressure + 0.5 bar (docs/domain.md §2). */
  reliefMarginBar: 0.5,
  vibrationStoppedMmS: 0.15,
  /** Overload relay: current above the trip factor × FLA for this long trips the motor (a short
   *  delay rides through the inrush of a load change, as a thermal relay does). */
  overloadDelayS: 5,
  /** Current above the warning factor for this long raises MOTOR_CURRENT_WARNING… */
  currentWarningDelayS: 30,
  /** …which clears this far (× FLA) below the warning factor. */
  currentWarningHysteresis: 0.02,
  /** A warning re-arms only after its value stayed below the clear level this long: a machine
   *  cycling across a limit raises one warning per excursion of the fault, not one per load cycle. */
  warningRearmS: 1800,
  /** Vibration above the trip limit (ISO 10816 zone D) for this long trips the machine. */
  vibrationTripDelayS: 10,
  /** Rolling window of the loaded-duty limit (derate): exponentially weighted, 10 min. */
  dutyWindowS: 600,
  /** Once forced unloaded by a duty limit, load again only this far (fraction) below it, so the
   *  machine cycles every few minutes instead of every second. */
  dutyHysteresis: 0.05,
  /** Lowest load set point a remote judgment may set, and the narrowest band (docs/domain.md §2). */
  minLoadBar: 4,
  minBandBar: 0.3,
} as const;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface Counters {
  runningHours: number;
  loadedHours: number;
  motorStarts: number;
  loadCycles: number;
}

/** A derate judgment's active limits (the shape of the status `derate` field). */
export interface Derate {
  maxLoadedDutyPct?: number;
  maxPressureBar?: number;
}

export interface ControlState {
  /** Operator / remote run command: false holds the machine in `stopped`. */
  run: boolean;
  /** The configured pressure band; a derate may lower it (see effectiveBand). */
  loadBar: number;
  unloadBar: number;
  /** Active derate, or null. */
  derate: Derate | null;
  /** Loaded share of time over the rolling duty window, 0..1. */
  dutyShare: number;
  /** Forced unloaded by the duty limit until the share falls below it minus the hysteresis. */
  dutyHold: boolean;
  /** VSD speed as a fraction of maximum (1 for a fixed-speed machine running). */
  speed: number;
  /** VSD PI integrator (speed units). */
  integral: number;
}

/** Instantaneous values at `tMs`, kept so a sample can be built without re-deriving the physics. */
export interface Outputs {
  ambientC: number;
  demandM3Min: number;
  flowM3Min: number;
  powerKw: number;
  currentA: number;
  separatorDpBar: number;
  airFilterDpMbar: number;
  vibrationMmS: number;
}

export interface CompressorState {
  /** Shape version, so a persisted state from another firmware build can be upgraded or refused. */
  v: 2;
  modelId: string;
  profile: DeviceProfile;
  tMs: number;
  state: MachineState;
  pressureBar: number;
  elementTempC: number;
  /** Monotonic; carried in the state so they survive restarts (docs/domain.md §3 "Counters"). */
  counters: Counters;
  /** Hours on the current separator (loaded) and air-filter (running) elements. */
  wear: { separatorLoadedHours: number; airFilterRunningHours: number };
  control: ControlState;
  timers: {
    stateSinceMs: number;
    unloadedSinceMs: number | null;
    stoppedSinceMs: number | null;
    /** Start instants within the last hour, for the starts-per-hour budget. */
    recentStartsMs: number[];
    startInhibited: boolean;
  };
  protection: ProtectionState;
  /** Running-hours reading at which each service level was last performed. */
  service: ServiceMarks;
  /** Controller memory the cloud's judgments write to (persisted with the state). */
  memory: ControllerMemory;
  /** Slow random processes: weather around the site mean, drift of the vibration reading. */
  env: { weatherOffsetK: number; vibrationDriftMmS: number };
  faults: FaultSpec[];
  /** Values frozen by stuck-sensor faults. */
  faultMemory: Partial<Record<MetricKey, number>>;
  outputs: Outputs;
  /** mulberry32 state. */
  rng: number;
}

/** Latches and delay timers of the local protections (protection.model.ts). */
export interface ProtectionState {
  adtWarning: boolean;
  currentWarning: boolean;
  /** Since when a standing warning's value has been below its clear level (re-arm timer), or null. */
  adtClearSinceMs: number | null;
  currentClearSinceMs: number | null;
  /** When the current first exceeded the trip factor (overload relay delay), or null. */
  overloadSinceMs: number | null;
  /** When the current first exceeded the warning factor, or null. */
  currentHighSinceMs: number | null;
  /** When vibration first exceeded the trip limit, or null. */
  vibrationHighSinceMs: number | null;
  /** A SENSOR_FAULT warning is standing (a sensor dropout is active). */
  sensorFault: boolean;
}

/** One handled judgment: the ack sent for it, kept for idempotent re-acks (protocol §9). */
export interface HandledJudgment {
  ack: { judgmentId: string; ts: number; result: 'applied' | 'rejected' | 'ignored'; reason: string };
  /** Remember at least until the judgment's expiry (protocol §9); pruned after this. */
  keepUntilMs: number;
}

export interface ControllerMemory {
  /** Set by a maintenance_due judgment, cleared by a service that covers its level. */
  maintenanceDue: MaintenanceDue | null;
  /** Most recent last; bounded (judgment-policy.model.ts). */
  judgments: HandledJudgment[];
}

export interface StepResult {
  state: CompressorState;
  /** Every transition, load/unload included; see isNotableEvent for what a device publishes. */
  events: DeviceEvent[];
}

export function modelSpec(modelId: string): CompressorModel {
  const spec = findModel(modelId);
  if (!spec) throw new Error(`unknown compressor model ${JSON.stringify(modelId)}`);
  return spec;
}


/** Per-advance constants and scratch, so the hot loop does no lookups or allocations. */
export interface Ctx {
  spec: CompressorModel;
  profile: DeviceProfile;
  vsd: boolean;
  mods: FaultModifiers;
  events: DeviceEvent[] | null;
  env: EnvironmentSampler;
  /** Effective pressure band for this advance (configured band under the derate cap). */
  loadBar: number;
  unloadBar: number;
  /** Duty limit as a fraction, or null. */
  maxDuty: number | null;
  alphaDuty: number;
  /** 1 − e^(−Δt/τ) for a full step, running and stopped. */
  alphaRunning: number;
  alphaStopped: number;
  // scratch written by instant()
  amb: number;
  demand: number;
  flow: number;
  power: number;
  sepDp: number;
  afDp: number;
}

/**
 * The band the controller runs: a derate's maxPressureBar caps the unload point and pulls the
 * load point down with it so the band keeps its minimum width.
 */
export function effectiveBand(control: Pick<ControlState, 'loadBar' | 'unloadBar' | 'derate'>): { loadBar: number; unloadBar: number } {
  const cap = control.derate?.maxPressureBar;
  if (cap === undefined || cap >= control.unloadBar) return { loadBar: control.loadBar, unloadBar: control.unloadBar };
  return { loadBar: Math.min(control.loadBar, cap - PHYSICS.minBandBar), unloadBar: cap };
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

