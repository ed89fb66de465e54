import { describe, expect, it } from 'vitest';
import type { DeadLetterDraft } from '../ingest/uplink-parse.domain.ts';
import { EMPTY_SAMPLER, sampleDeadLetters, type SamplingPolicy } from './dead-letter-sampling.domain.ts';

const policy: SamplingPolicy = { keepPerWindow: 3, windowMs: 60_000, maxKeys: 100 };
const T = Date.UTC(2026, 11, 7, 10, 0, 0);

const bad = (deviceId: string | null, reason: DeadLetterDraft['reason'] = 'malformed_json', n = 1, topic = `v1/devices/${deviceId}/telemetry`): DeadLetterDraft[] =>
  Array.from({ length: n }, (_, i) => ({ topic, deviceId, reason, detail: 'x', payload: `#${i}`, payloadBytes: 2 }));

describe('dead-letter sampling', () => {
  it('keeps the first N per device and reason in a window and counts the rest, each key once per batch', () => {
    const batch = [...bad('d1', 'malformed_json', 5), ...bad('d1', 'out_of_range', 2), ...bad('d2', 'malformed_json', 4)];
    const out = sampleDeadLetters(EMPTY_SAMPLER, batch, T + 5_000, policy);
    expect(out.keep.map((d) => `${d.deviceId}:${d.reason}:${d.payload}`)).toEqual([
      'd1:malformed_json:#0', 'd1:malformed_json:#1', 'd1:malformed_json:#2',
      'd1:out_of_range:#0', 'd1:out_of_range:#1',
      'd2:malformed_json:#0', 'd2:malformed_json:#1', 'd2:malformed_json:#2',
    ]);
    expect(out.tallies).toEqual([
      { source: 'd1', deviceId: 'd1', reason: 'malformed_json', windowStartMs: T, atMs: T + 5_000, kept: 3, dropped: 2 },
      { source: 'd1', deviceId: 'd1', reason: 'out_of_range', windowStartMs: T, atMs: T + 5_000, kept: 2, dropped: 0 },
      { source: 'd2', deviceId: 'd2', reason: 'malformed_json', windowStartMs: T, atMs: T + 5_000, kept: 3, dropped: 1 },
    ]);
  });

  it('remembers what the window kept across batches, and starts afresh in the next window', () => {
    const first = sampleDeadLetters(EMPTY_SAMPLER, bad('d1', 'malformed_json', 2), T + 1_000, policy);
    const second = sampleDeadLetters(first.next, bad('d1', 'malformed_json', 2), T + 59_999, policy);
    expect(second.tallies).toEqual([{ source: 'd1', deviceId: 'd1', reason: 'malformed_json', windowStartMs: T, atMs: T + 59_999, kept: 1, dropped: 1 }]);
    const third = sampleDeadLetters(second.next, bad('d1', 'malformed_json', 4), T + 60_000, policy);
    expect(third.tallies).toEqual([{ source: 'd1', deviceId: 'd1', reason: 'malformed_json', windowStartMs: T + 60_000, atMs: T + 60_000, kept: 3, dropped: 1 }]);
    // The state of the window before is gone: it does not grow with time.
    expect([...third.next.kept.keys()]).toHaveLength(1);
  });

  it('leaves the state it was given untouched (a batch that fails to commit is sampled again from the same state)', () => {
    const first = sampleDeadLetters(EMPTY_SAMPLER, bad('d1', 'malformed_json', 2), T, policy);
    const retry1 = sampleDeadLetters(first.next, bad('d1', 'malformed_json', 2), T + 10, policy);
    const retry2 = sampleDeadLetters(first.next, bad('d1', 'malformed_json', 2), T + 10, policy);
    expect(retry1.tallies).toEqual(retry2.tallies);
    expect(first.next.kept.get('d1\u0000malformed_json')).toBe(2);
  });

  it('counts by topic when no device is known', () => {
    const out = sampleDeadLetters(EMPTY_SAMPLER, [...bad(null, 'topic_invalid', 4, 'junk/a'), ...bad(null, 'topic_invalid', 1, 'junk/b')], T, policy);
    expect(out.tallies).toEqual([
      { source: 'junk/a', deviceId: null, reason: 'topic_invalid', windowStartMs: T, atMs: T, kept: 3, dropped: 1 },
      { source: 'junk/b', deviceId: null, reason: 'topic_invalid', windowStartMs: T, atMs: T, kept: 1, dropped: 0 },
    ]);
  });

  it('past maxKeys in a window, new keys are counted only: the state stays bounded', () => {
    const small = { ...policy, maxKeys: 2 };
    const out = sampleDeadLetters(EMPTY_SAMPLER, [...bad('a'), ...bad('b'), ...bad('c'), ...bad('a')], T, small);
    expect(out.keep.map((d) => d.deviceId)).toEqual(['a', 'b', 'a']);
    expect(out.tallies.find((t) => t.source === 'c')).toMatchObject({ kept: 0, dropped: 1 });
    expect(out.next.kept.size).toBe(2);
  });

  it('keepPerWindow 0 stores none and counts all', () => {
    const out = sampleDeadLetters(EMPTY_SAMPLER, bad('d1', 'malformed_json', 3), T, { ...policy, keepPerWindow: 0 });
    expect(out.keep).toEqual([]);
    expect(out.tallies).toEqual([{ source: 'd1', deviceId: 'd1', reason: 'malformed_json', windowStartMs: T, atMs: T, kept: 0, dropped: 3 }]);
  });
});
