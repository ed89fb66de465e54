import type { MachineState } from '@airfleet/contracts';
import type { ThresholdState } from './rule-state.ts';
import type { AlarmClear, AlarmRaise, AlarmTouch, ThresholdRule } from './rule-types.ts';

export interface ThresholdInput {
  ts: number;
  state: MachineState;
  value: number;
}

export interface ThresholdOutcome {
  state: ThresholdState;
  raise?: AlarmRaise;
  clear?: AlarmClear;
  touch?: AlarmTouch;
}

export const initialThresholdState = (): ThresholdState => ({ since: null, lastTs: null, active: false, lastTouchTs: null });

/**
 * Threshold with duration and hysteresis, in event time (sample timestamps):
 * raised once the condition has held continuously for `forMs`; cleared only when the value
 * falls below `clearBelow`. Samples in other machine states neither advance nor reset it.
 * A gap longer than `maxGapMs` between samples breaks continuity (we cannot know what
 * happened in between). Only in-order samples reach this function.
 */
export function evaluateThreshold(
  rule: ThresholdRule,
  prev: ThresholdState,
  input: ThresholdInput,
  opts: { maxGapMs: number; touchEveryMs: number },
): ThresholdOutcome {
  if (rule.states && !rule.states.includes(input.state)) return { state: prev };
  const { ts, value } = input;
  const gap = prev.lastTs !== null && ts - prev.lastTs > opts.maxGapMs;
  const state: ThresholdState = { ...prev, lastTs: ts };

  if (state.active) {
    if (value < rule.clearBelow) {
      return {
        state: { since: null, lastTs: ts, active: false, lastTouchTs: null },
        clear: { type: rule.type, ts, reason: `${rule.label} ${fmt(value)} ${rule.unit} below ${fmt(rule.clearBelow)} ${rule.unit}` },
      };
    }
    if (state.lastTouchTs === null || ts - state.lastTouchTs >= opts.touchEveryMs) {
      state.lastTouchTs = ts;
      return { state, touch: { type: rule.type, ts, value } };
    }
    return { state };
  }

  const holds = rule.inclusive ? value >= rule.raiseAbove : value > rule.raiseAbove;
  if (!holds) return { state: { ...state, since: null } };
  const since = state.since === null || gap ? ts : state.since;
  if (ts - since < rule.forMs) return { state: { ...state, since } };
  return {
    state: { since, lastTs: ts, active: true, lastTouchTs: ts },
    raise: {
      type: rule.type,
      severity: rule.severity,
      source: 'rule',
      message: raiseMessage(rule, value),
      value,
      threshold: rule.raiseAbove,
      ts,
      details: { since, forMs: rule.forMs, clearBelow: rule.clearBelow },
    },
  };
}

function raiseMessage(rule: ThresholdRule, value: number): string {
  const op = rule.inclusive ? '≥' : '>';
  const held = rule.forMs > 0 ? ` for ${Math.round(rule.forMs / 1000)} s` : '';
  const what = rule.kind === 'condition' ? ': replace now' : '';
  return `${rule.label} ${fmt(value)} ${rule.unit} ${op} ${fmt(rule.raiseAbove)} ${rule.unit}${held}${what}`;
}

export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) < 10 ? 2 : 1);
}
