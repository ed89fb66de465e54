import type { AlarmSeverity } from '@airfleet/contracts';
import { ESCALATION_LADDER } from './notification-policy.domain.ts';

/**
 * Escalation of critical alarms (docs/notifications.md): a critical alarm nobody acknowledged within
 * `afterMs` of its first notice notifies the next level of the ladder, and again `afterMs`
 * later, until the top level. Timed on the platform clock from the first notice (device
 * event time can lag or run fast under store-and-forward replays).
 */
export interface EscalationPolicy {
  afterMs: number;
  /** Highest level to notify (the ladder's top by default). */
  maxLevel?: number;
}

export interface EscalationState {
  level: number;
  startedAtMs: number;
  nextAtMs: number | null;
}

export interface AlarmStatus {
  state: 'active' | 'cleared';
  acknowledged: boolean;
  severity: AlarmSeverity;
}

export type EscalationStep =
  | { action: 'resolve'; resolution: 'acknowledged' | 'cleared' | 'gone' | 'top_level' }
  | { action: 'wait'; nextAtMs: number }
  | { action: 'escalate'; level: number; nextAtMs: number | null };

export function topLevel(policy: EscalationPolicy): number {
  return Math.min(policy.maxLevel ?? ESCALATION_LADDER.length - 1, ESCALATION_LADDER.length - 1);
}

/** Only critical alarms escalate; null = no escalation for this alarm. */
export function startEscalation(alarm: AlarmStatus, nowMs: number, policy: EscalationPolicy): EscalationState | null {
  if (alarm.severity !== 'critical' || alarm.state !== 'active' || alarm.acknowledged) return null;
  if (topLevel(policy) < 1) return null;
  return { level: 0, startedAtMs: nowMs, nextAtMs: nowMs + policy.afterMs };
}

/** What to do now with an escalation whose alarm is `alarm` (null: the alarm was deleted). */
export function escalationStep(state: EscalationState, alarm: AlarmStatus | null, nowMs: number, policy: EscalationPolicy): EscalationStep {
  if (!alarm) return { action: 'resolve', resolution: 'gone' };
  if (alarm.acknowledged) return { action: 'resolve', resolution: 'acknowledged' };
  if (alarm.state === 'cleared') return { action: 'resolve', resolution: 'cleared' };
  if (state.level >= topLevel(policy) || state.nextAtMs === null) return { action: 'resolve', resolution: 'top_level' };
  if (nowMs < state.nextAtMs) return { action: 'wait', nextAtMs: state.nextAtMs };
  const level = state.level + 1;
  return { action: 'escalate', level, nextAtMs: level >= topLevel(policy) ? null : nowMs + policy.afterMs };
}
