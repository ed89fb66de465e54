/**
 * A device's rule state: everything the rules must remember between samples. It is plain
 * JSON, persisted per device (device_rule_state.state) inside the ingest transaction, so a
 * restarted or second ingest worker continues exactly where the last one stopped.
 */
export interface ThresholdState {
  /** Event time the condition was first seen true in the current run, or null. */
  since: number | null;
  /** Timestamp of the last applicable sample (a long gap restarts the duration). */
  lastTs: number | null;
  active: boolean;
  lastTouchTs: number | null;
}

export interface CounterState {
  /** Change points [ts, counter value], oldest first: the window plus one point before it. */
  points: Array<[number, number]>;
  active: boolean;
}

export interface RateState {
  /** Per UTC day: [sum of (ADT − ambient) at load, samples]. */
  days: Record<string, [number, number]>;
  active: boolean;
  /** The newest day the rule has evaluated up to (exclusive), YYYY-MM-DD. */
  evaluatedDay: string | null;
  lastSlope: number | null;
}

export interface ServiceState {
  /** First sight of the running-hours counter, to estimate hours per day. */
  baseTs: number;
  baseHours: number;
  lastCheckTs: number | null;
  lastHours: number;
  /** Levels with an active "overdue" alarm. */
  overdue: string[];
}

export interface DeviceAlarmState {
  kind: 'trip' | 'warning';
  ts: number;
}

export interface RuleState {
  v: 1;
  newestTs: number | null;
  thresholds: Record<string, ThresholdState>;
  counters: Record<string, CounterState>;
  rate: RateState;
  service: ServiceState | null;
  /** Alarms raised by device trip/warning events, by alarm type. */
  device: Record<string, DeviceAlarmState>;
  offline: boolean;
  /** A derate judgment is standing because of overheating (lifted when it clears). */
  derated: boolean;
}

export function initialRuleState(): RuleState {
  return {
    v: 1,
    newestTs: null,
    thresholds: {},
    counters: {},
    rate: { days: {}, active: false, evaluatedDay: null, lastSlope: null },
    service: null,
    device: {},
    offline: false,
    derated: false,
  };
}

/** Reads a stored document; an empty or older document starts fresh instead of failing the batch. */
export function parseRuleState(raw: unknown): RuleState {
  if (!raw || typeof raw !== 'object' || (raw as { v?: unknown }).v !== 1) return initialRuleState();
  const s = raw as Partial<RuleState>;
  const init = initialRuleState();
  return {
    v: 1,
    newestTs: typeof s.newestTs === 'number' ? s.newestTs : null,
    thresholds: s.thresholds ?? {},
    counters: s.counters ?? {},
    rate: s.rate ?? init.rate,
    service: s.service ?? null,
    device: s.device ?? {},
    offline: s.offline ?? false,
    derated: s.derated ?? false,
  };
}

/**
 * The engine never mutates its input state. Its rules return new values instead of changing
 * old ones, so a copy of the three maps it writes entries into is a full copy of what can change
 * (the engine tests drive it with frozen states to keep it so). A deep copy per device and batch
 * was the ingest's largest allocation.
 */
export function cloneRuleState(s: RuleState): RuleState {
  return { ...s, thresholds: { ...s.thresholds }, counters: { ...s.counters }, device: { ...s.device } };
}
