import { describe, expect, it } from 'vitest';
import { escalationStep, startEscalation } from './escalation.domain.ts';
import { afterFailure, backoffDelayMs } from './delivery-backoff.domain.ts';

const MIN = 60_000;
const policy = { afterMs: 15 * MIN };
const active = { state: 'active' as const, acknowledged: false, severity: 'critical' as const };

describe('escalation', () => {
  it('only an active, unacknowledged critical alarm starts an escalation', () => {
    expect(startEscalation(active, 0, policy)).toEqual({ level: 0, startedAtMs: 0, nextAtMs: 15 * MIN });
    expect(startEscalation({ ...active, severity: 'major' }, 0, policy)).toBeNull();
    expect(startEscalation({ ...active, acknowledged: true }, 0, policy)).toBeNull();
  });

  it('waits until N minutes, then notifies the next level; the top level ends it', () => {
    const s = startEscalation(active, 0, policy)!;
    expect(escalationStep(s, active, 15 * MIN - 1, policy)).toEqual({ action: 'wait', nextAtMs: 15 * MIN });
    expect(escalationStep(s, active, 15 * MIN, policy)).toEqual({ action: 'escalate', level: 1, nextAtMs: null });
    expect(escalationStep({ ...s, level: 1, nextAtMs: null }, active, 60 * MIN, policy)).toEqual({ action: 'resolve', resolution: 'top_level' });
  });

  it('an acknowledged, cleared or deleted alarm does not escalate', () => {
    const s = startEscalation(active, 0, policy)!;
    expect(escalationStep(s, { ...active, acknowledged: true }, 20 * MIN, policy)).toEqual({ action: 'resolve', resolution: 'acknowledged' });
    expect(escalationStep(s, { ...active, state: 'cleared' }, 20 * MIN, policy)).toEqual({ action: 'resolve', resolution: 'cleared' });
    expect(escalationStep(s, null, 20 * MIN, policy)).toEqual({ action: 'resolve', resolution: 'gone' });
  });
});

describe('delivery backoff', () => {
  it('doubles per attempt, with jitter between half and the whole delay, capped', () => {
    expect(backoffDelayMs(1, () => 0)).toBe(15_000);
    expect(backoffDelayMs(1, () => 0.999999)).toBe(30_000);
    expect(backoffDelayMs(2, () => 0)).toBe(30_000);
    expect(backoffDelayMs(4, () => 0.5)).toBe(180_000);
    expect(backoffDelayMs(30, () => 0)).toBe(1_800_000); // half of the 1 h cap
  });

  it('dead after the maximum number of attempts, retried before', () => {
    expect(afterFailure(5, 1000, () => 0, { maxAttempts: 6 })).toEqual({ status: 'failed', nextAttemptAtMs: 1000 + backoffDelayMs(5, () => 0) });
    expect(afterFailure(6, 1000, () => 0, { maxAttempts: 6 })).toEqual({ status: 'dead' });
  });
});
