import type { DeviceEvent, Telemetry } from '@airfleet/contracts';
import { JUDGMENT_TTL_MS } from '../judgments/judgment-policy.domain.ts';
import { evaluateCounter, initialCounterState, recordCounter } from './counter.rule.ts';
import { alarmForEvent, deviceAlarmsEnded } from './device-event.rule.ts';
import { aggregateRateSample, evaluateRate } from './rate-of-change.rule.ts';
import { cloneRuleState, type RuleState } from './rule-state.ts';
import type { AlarmClear, AlarmRaise, AlarmTouch, JudgmentDraft, RuleSet, ServiceRecord, ThresholdRule } from './rule-types.ts';
import { evaluateService, seedServiceRecords } from './service-interval.rule.ts';
import { evaluateThreshold, fmt, initialThresholdState } from './threshold.rule.ts';

export interface DeviceInputs {
  /** Newly stored samples of this device (any order; duplicates never reach the rules). */
  samples: readonly Telemetry[];
  events: readonly DeviceEvent[];
  /** Birth / will / shutdown messages in arrival order; `ts` is the device's, or the receive time. */
  statuses: ReadonlyArray<{ online: boolean; ts: number; will: boolean }>;
  /** device_service rows (last service per level). */
  serviceRecords: readonly ServiceRecord[];
}

export type AlarmOp = ({ op: 'raise' } & AlarmRaise) | ({ op: 'clear' } & AlarmClear) | ({ op: 'touch' } & AlarmTouch);

export interface DeviceOutcome {
  state: RuleState;
  /** In evaluation order: the store applies them in sequence. */
  alarms: AlarmOp[];
  judgments: JudgmentDraft[];
  /** device_service rows to create (first sight of the running-hours counter). */
  seedService: ServiceRecord[];
  /** Samples older than the newest seen: stored and counted, no live alarms. */
  lateSamples: number;
  lateEvents: number;
}

type Item = { at: number; order: number; sample?: Telemetry; event?: DeviceEvent };

/**
 * The rules engine for one device and one batch — a pure function of (rule set, state,
 * inputs). It runs on event time (sample and event timestamps), never the wall clock, so
 * a fast-forwarded replay yields the same alarms and judgments as real time.
 */
export function evaluateDevice(rules: RuleSet, prev: RuleState, inputs: DeviceInputs): DeviceOutcome {
  const state = cloneRuleState(prev);
  const alarms: AlarmOp[] = [];
  const judgments: JudgmentDraft[] = [];
  let seedService: ServiceRecord[] = [];
  let lateSamples = 0;
  let lateEvents = 0;

  // An alarm type can have several owners (a cloud rule and the device's own event); it
  // clears only when none of them still holds it.
  const clear = (c: AlarmClear): void => {
    if (!holders(rules, state).has(c.type)) alarms.push({ op: 'clear', ...c });
  };

  for (const s of inputs.statuses) {
    if (!s.online) {
      // Only the last will means the connection was lost; an orderly shutdown says so itself (protocol §5).
      if (s.will && !state.offline) {
        alarms.push({ op: 'raise', type: 'device_offline', severity: 'major', source: 'connectivity', message: 'Connection lost (last will)', value: null, threshold: null, ts: s.ts });
      }
      state.offline = true;
    } else {
      state.offline = false;
      alarms.push({ op: 'clear', type: 'device_offline', ts: s.ts, reason: 'device back online' });
    }
  }

  const items: Item[] = [
    ...inputs.events.map((event) => ({ at: event.ts, order: 0, event })),
    ...inputs.samples.map((sample) => ({ at: sample.ts, order: 1, sample })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);

  for (const item of items) {
    if (item.event) {
      const e = item.event;
      if (state.newestTs !== null && e.ts < state.newestTs - rules.lateEventToleranceMs) {
        lateEvents += 1;
        continue;
      }
      const raise = alarmForEvent(e);
      if (raise) {
        state.device[raise.type] = { kind: e.type === 'trip' ? 'trip' : 'warning', ts: e.ts };
        alarms.push({ op: 'raise', ...raise });
      }
      // A service-counter reset (code SERVICE_RESET, after a service_reset judgment) is not a trip reset.
      if (e.type === 'reset' && e.code !== 'SERVICE_RESET') endDeviceAlarms(e.ts, true, null);
      continue;
    }
    const s = item.sample!;
    const m = s.metrics;
    const live = state.newestTs === null || s.ts > state.newestTs;

    // Counters and daily aggregates take every stored sample, in order or not.
    for (const rule of rules.counters) {
      const v = m[rule.metric];
      if (v === undefined) continue;
      const cs = state.counters[rule.type] ?? initialCounterState();
      state.counters[rule.type] = { ...cs, points: recordCounter(cs.points, s.ts, v, rule.windowMs) };
    }
    if (s.state === 'loaded' && m.elementTempC !== undefined && m.ambientTempC !== undefined) {
      state.rate = aggregateRateSample(state.rate, rules.rate, s.ts, m.elementTempC, m.ambientTempC);
    }
    if (m.runningHours !== undefined && state.service === null) {
      state.service = { baseTs: s.ts, baseHours: m.runningHours, lastCheckTs: null, lastHours: m.runningHours, overdue: [] };
      seedService = seedServiceRecords(rules.service.levels, m.runningHours, s.ts, inputs.serviceRecords);
    }
    if (!live) {
      lateSamples += 1;
      continue;
    }
    state.newestTs = s.ts;

    const rate = evaluateRate(rules.rate, state.rate, s.ts);
    state.rate = rate.state;
    if (rate.raise) alarms.push({ op: 'raise', ...rate.raise });
    if (rate.clear) clear(rate.clear);

    for (const rule of rules.thresholds) {
      const value = m[rule.metric];
      if (value === undefined) continue;
      const out = evaluateThreshold(rule, state.thresholds[rule.type] ?? initialThresholdState(), { ts: s.ts, state: s.state, value }, rules);
      state.thresholds[rule.type] = out.state;
      if (out.raise) {
        alarms.push({ op: 'raise', ...out.raise });
        judgments.push(...effectJudgments(rule, 'raise', s, value, state));
      }
      if (out.touch) {
        alarms.push({ op: 'touch', ...out.touch });
        judgments.push(...effectJudgments(rule, 'touch', s, value, state));
      }
      if (out.clear) {
        clear(out.clear);
        judgments.push(...effectJudgments(rule, 'clear', s, value, state));
      }
    }

    for (const rule of rules.counters) {
      const out = evaluateCounter(rule, state.counters[rule.type] ?? initialCounterState(), s.ts);
      state.counters[rule.type] = out.state;
      if (out.raise) alarms.push({ op: 'raise', ...out.raise });
      if (out.clear) clear(out.clear);
    }

    if (m.runningHours !== undefined && state.service && (state.service.lastCheckTs === null || s.ts - state.service.lastCheckTs >= rules.service.everyMs)) {
      const out = evaluateService(rules.service, state.service, [...inputs.serviceRecords, ...seedService], m.runningHours, s.ts);
      state.service = out.state;
      for (const r of out.raise) alarms.push({ op: 'raise', ...r });
      for (const c of out.clear) clear(c);
      if (out.judgment) judgments.push(out.judgment);
    }

    endDeviceAlarms(s.ts, false, s.state);
  }

  function endDeviceAlarms(ts: number, resetEvent: boolean, machineState: string | null): void {
    const ended = deviceAlarmsEnded(state.device, { ts, resetEvent, machineState }, rules.deviceWarningQuietMs);
    for (const c of ended) {
      delete state.device[c.type];
      clear(c);
    }
  }

  return { state, alarms, judgments, seedService, lateSamples, lateEvents };
}

/** Alarm types some owner still holds active in this state. */
function holders(rules: RuleSet, state: RuleState): Set<string> {
  const held = new Set<string>(Object.keys(state.device));
  for (const [type, t] of Object.entries(state.thresholds)) if (t.active) held.add(type);
  for (const [type, c] of Object.entries(state.counters)) if (c.active) held.add(type);
  if (state.rate.active) held.add(rules.rate.type);
  for (const level of state.service?.overdue ?? []) held.add(`service_overdue_${level}`);
  return held;
}

const RUNNING = new Set(['loaded', 'unloaded']);

/** Judgments that go with a threshold alarm (derate, shutdown_request, replace now). */
function effectJudgments(rule: ThresholdRule, phase: 'raise' | 'touch' | 'clear', s: Telemetry, value: number, state: RuleState): JudgmentDraft[] {
  const effect = rule.effect;
  if (!effect) return [];
  const base = { ts: s.ts, source: 'rule' as const, alarmType: rule.type };
  const reading = `${rule.label} ${fmt(value)} ${rule.unit}`;
  if (effect.kind === 'derate') {
    if (phase === 'clear') {
      if (!state.derated) return [];
      state.derated = false;
      return [
        {
          ...base,
          kind: 'derate',
          severity: 'info',
          reason: `${reading}, back below ${fmt(rule.clearBelow)} ${rule.unit}: loaded duty limit lifted`,
          params: { maxLoadedDutyPct: 100 },
          expiresAt: s.ts + JUDGMENT_TTL_MS.derate,
        },
      ];
    }
    // Re-issued on every touch while hot: storage drops it while an equivalent derate stands,
    // and so renews it once the previous one has expired.
    state.derated = true;
    return [
      {
        ...base,
        kind: 'derate',
        severity: 'major',
        reason: `${reading} above the warning limit ${fmt(rule.raiseAbove)} ${rule.unit}: limit loaded duty to ${effect.maxLoadedDutyPct} % until it cools`,
        params: { maxLoadedDutyPct: effect.maxLoadedDutyPct },
        expiresAt: s.ts + JUDGMENT_TTL_MS.derate,
      },
    ];
  }
  if (phase !== 'raise') return [];
  if (effect.kind === 'shutdown_request') {
    // A machine that already stopped or tripped needs no request.
    if (!RUNNING.has(s.state)) return [];
    return [
      {
        ...base,
        kind: 'shutdown_request',
        severity: 'critical',
        reason: `${reading} at the shutdown limit ${fmt(rule.raiseAbove)} ${rule.unit}: unload and stop`,
        params: { code: rule.type },
        expiresAt: s.ts + JUDGMENT_TTL_MS.shutdown_request,
      },
    ];
  }
  return [
    {
      ...base,
      kind: 'maintenance_due',
      severity: 'major',
      reason: `${reading} ≥ ${fmt(rule.raiseAbove)} ${rule.unit}: replace now (service level ${effect.level} kit)`,
      params: { level: effect.level, dueInHours: 0, dueInDays: 0 },
      expiresAt: s.ts + JUDGMENT_TTL_MS.maintenance_due,
    },
  ];
}
