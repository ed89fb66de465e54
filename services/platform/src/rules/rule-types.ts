import type { AlarmSeverity, Judgment, MachineState, MetricKey } from '@airfleet/contracts';

/**
 * Shared shapes of the pure rules domain. Nothing here does I/O: the engine turns
 * (rule set, state, inputs) into a new state plus intents (alarms to raise, clear or
 * touch; judgments to issue), and the ingest hook applies the intents in SQL.
 */

export type AlarmSource = 'rule' | 'device' | 'connectivity' | 'service';

export interface AlarmRaise {
  type: string;
  severity: AlarmSeverity;
  source: AlarmSource;
  message: string;
  value: number | null;
  threshold: number | null;
  /** Event time (sample or event timestamp, epoch ms). */
  ts: number;
  details?: Record<string, unknown>;
}

export interface AlarmClear {
  type: string;
  ts: number;
  reason: string;
}

/** A still-active alarm confirmed by a newer sample: refresh its value and last-seen time. */
export interface AlarmTouch {
  type: string;
  ts: number;
  value: number | null;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type JudgmentSource = 'rule' | 'fleet' | 'manual';

/** A judgment before it has an id: the hook assigns one and stores it (deduplicated). */
export type JudgmentDraft = DistributiveOmit<Judgment, 'id'> & {
  source: JudgmentSource;
  /** The alarm type that caused it, to link the two. */
  alarmType?: string;
};

export interface ThresholdRule {
  /** `condition` is a threshold that means "replace now" (docs/domain.md §5: condition overrides the plan). */
  kind: 'threshold' | 'condition';
  /** The alarm type it raises; unique within a rule set. */
  type: string;
  label: string;
  metric: MetricKey;
  unit: string;
  /** Condition: value > raiseAbove (≥ when inclusive). */
  raiseAbove: number;
  inclusive: boolean;
  /** Hysteresis: an active alarm clears only once the value is below this. */
  clearBelow: number;
  /** The condition must hold this long (event time) before the alarm is raised. */
  forMs: number;
  /** Only samples in these machine states count (e.g. ΔP is meaningful only while loaded). */
  states: readonly MachineState[] | null;
  severity: AlarmSeverity;
  /** Judgments that go with the alarm. */
  effect?: ThresholdEffect;
}

export type ThresholdEffect =
  | { kind: 'derate'; maxLoadedDutyPct: number }
  | { kind: 'shutdown_request' }
  | { kind: 'replace_now'; level: 'first' | 'A' | 'B' | 'C' };

export interface CounterRule {
  kind: 'counter';
  type: string;
  metric: MetricKey;
  windowMs: number;
  /** Raise when more than this many counts fall in the window. */
  raiseAbove: number;
  /** Hysteresis: clear once the window holds at most this many. */
  clearAtOrBelow: number;
  severity: AlarmSeverity;
}

export interface RateRule {
  kind: 'rate';
  type: string;
  /** Least-squares slope of the daily mean (ADT − ambient) while loaded, K/day. */
  raiseAboveKPerDay: number;
  clearBelowKPerDay: number;
  /** And the fitted rise over the window must be at least this (ignores a flat but noisy series). */
  minRiseK: number;
  windowDays: number;
  minDays: number;
  /** A day counts only with this many loaded samples (comparable load). */
  minSamplesPerDay: number;
  severity: AlarmSeverity;
}

export interface ServicePlanLevel {
  level: 'first' | 'A' | 'B' | 'C';
  intervalHours: number;
  intervalMonths: number | null;
}

export interface ServiceRule {
  levels: readonly ServicePlanLevel[];
  /** Send maintenance_due when a level falls due within this many running hours … */
  horizonHours: number;
  /** … or calendar days. */
  horizonDays: number;
  /** Used to turn hours into days until the device's own usage is known. */
  defaultHoursPerDay: number;
  /** Evaluate at most this often (event time). */
  everyMs: number;
  severity: AlarmSeverity;
}

export interface RuleSet {
  modelId: string;
  maxPressureBar: number;
  thresholds: readonly ThresholdRule[];
  counters: readonly CounterRule[];
  rate: RateRule;
  service: ServiceRule;
  /** A still-active alarm is touched (value, last seen) at most this often. */
  touchEveryMs: number;
  /** A longer gap between samples restarts a threshold's duration. */
  maxGapMs: number;
  /** Events older than the newest sample by more than this are late (store-and-forward). */
  lateEventToleranceMs: number;
  /** A device warning without a repeat for this long is considered over. */
  deviceWarningQuietMs: number;
}

/** What a device's last service per level was (the device_service table). */
export interface ServiceRecord {
  level: 'first' | 'A' | 'B' | 'C';
  lastHours: number;
  lastAt: number;
  done: boolean;
  source: 'seed' | 'service';
}
