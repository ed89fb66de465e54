import { describe, expect, it } from 'vitest';
import type { JudgmentStatus } from '@airfleet/contracts';
import { judgmentDedupeKey, shouldIssue, statusAfterAck, type AckResult } from './judgment-policy.domain.ts';

describe('judgment dedupe keys: same kind + key = the same advice', () => {
  it('maintenance_due keeps one key per level while its countdown changes; "due now" is different advice', () => {
    const a = judgmentDedupeKey({ kind: 'maintenance_due', params: { level: 'A', dueInHours: 90, dueInDays: 6 } });
    const b = judgmentDedupeKey({ kind: 'maintenance_due', params: { level: 'A', dueInHours: 40, dueInDays: 3 } });
    const now = judgmentDedupeKey({ kind: 'maintenance_due', params: { level: 'A', dueInHours: 0, dueInDays: 0 } });
    expect(a).toBe(b);
    expect(now).not.toBe(a);
  });

  it('a derate with another limit is different advice (it supersedes the open one)', () => {
    expect(judgmentDedupeKey({ kind: 'derate', params: { maxLoadedDutyPct: 70 } })).not.toBe(judgmentDedupeKey({ kind: 'derate', params: { maxLoadedDutyPct: 100 } }));
  });
});

describe('status after a device ack', () => {
  const expires = 1_000;
  it.each<[JudgmentStatus, boolean, AckResult, number, JudgmentStatus | null]>([
    ['sent', false, 'applied', 500, 'applied'],
    ['pending', false, 'rejected', 500, 'rejected'],
    ['sent', false, 'ignored', 1500, 'ignored'],
    ['applied', true, 'rejected', 600, null],
    // Marked expired by the sweep, but the device decided in time: the late ack counts.
    ['expired', false, 'applied', 900, 'applied'],
    // Decided after expiry: never counts as applied.
    ['expired', false, 'applied', 1100, 'expired'],
    ['expired', false, 'ignored', 900, 'expired'],
    ['expired', true, 'applied', 900, null],
  ])('%s (acked before: %s) + %s at %d → %s', (current, hasAck, result, ts, expected) => {
    expect(statusAfterAck(current, hasAck, result, ts, expires)).toBe(expected);
  });
});

describe('shouldIssue: rules re-emit drafts freely; only new advice goes out', () => {
  it.each<[string, Parameters<typeof shouldIssue>[0], string, string[], boolean]>([
    ['nothing standing', 'derate', '70/', [], true],
    ['the same derate stands', 'derate', '70/', ['70/'], false],
    // Replacing kinds: a lift (100 %) came after the 70 % derate, so 70 % is new advice again.
    ['overheating again after a lift', 'derate', '70/', ['100/', '70/'], true],
    ['a plan reminder for the same level stands', 'maintenance_due', 'A:plan', ['B:plan', 'A:plan'], false],
    ['a plan reminder while "replace now" stands', 'maintenance_due', 'A:plan', ['B:now'], false],
    ['"replace now" while a plan reminder stands', 'maintenance_due', 'B:now', ['A:plan'], true],
    ['another fleet finding', 'inspect', 'adt_delta', ['specific_power'], true],
  ])('%s', (_name, kind, key, standing, expected) => {
    expect(shouldIssue(kind, key, standing)).toBe(expected);
  });
});
