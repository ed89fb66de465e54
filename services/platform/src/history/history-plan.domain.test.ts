import { describe, expect, it } from 'vitest';
import { levelsFor, mergeSpans, planRead, staleBuckets } from './history-plan.domain.ts';
import { ROLLUP_LEVELS } from './rollup-levels.ts';

const M = 60_000;
const H = 60 * M;
const [hour, fiveMinutes] = ROLLUP_LEVELS as [(typeof ROLLUP_LEVELS)[number], (typeof ROLLUP_LEVELS)[number]];

describe('levelsFor', () => {
  it('lists the levels whose buckets tile the chart bucket, coarsest first', () => {
    expect(levelsFor(30_000)).toEqual([]);
    expect(levelsFor(M)).toEqual([]);
    expect(levelsFor(2 * M)).toEqual([]);
    expect(levelsFor(5 * M).map((l) => l.name)).toEqual(['5m']);
    expect(levelsFor(15 * M).map((l) => l.name)).toEqual(['5m']);
    expect(levelsFor(H).map((l) => l.name)).toEqual(['1h', '5m']);
    expect(levelsFor(12 * H).map((l) => l.name)).toEqual(['1h', '5m']);
    expect(levelsFor(90 * 1000)).toEqual([]);
  });
});

describe('planRead', () => {
  it('reads unaligned edges and the not yet stored tail raw, whole stored buckets from the level', () => {
    const plan = planRead({ fromMs: 10 * H + 5 * M, toMs: 20 * H + 30 * M, levels: [{ level: hour, storedUpToMs: 18 * H }], dirty: [] });
    expect(plan.stored).toEqual([{ level: hour, lo: 11 * H, hi: 18 * H }]);
    expect(plan.raw).toEqual([
      { lo: 10 * H + 5 * M, hi: 11 * H },
      { lo: 18 * H, hi: 20 * H + 30 * M },
    ]);
  });

  it('answers the edges around the coarse level from the finer one, raw only what neither has', () => {
    const plan = planRead({
      fromMs: 10 * H + 7 * M,
      toMs: 20 * H + 30 * M,
      levels: [
        { level: hour, storedUpToMs: 18 * H },
        { level: fiveMinutes, storedUpToMs: 19 * H + 20 * M },
      ],
      dirty: [],
    });
    expect(plan.stored).toEqual([
      { level: fiveMinutes, lo: 10 * H + 10 * M, hi: 11 * H },
      { level: hour, lo: 11 * H, hi: 18 * H },
      { level: fiveMinutes, lo: 18 * H, hi: 19 * H + 20 * M },
    ]);
    expect(plan.raw).toEqual([
      { lo: 10 * H + 7 * M, hi: 10 * H + 10 * M },
      { lo: 19 * H + 20 * M, hi: 20 * H + 30 * M },
    ]);
  });

  it('reads the buckets of pending late samples raw (widened to whole coarse buckets, clipped to the stored span)', () => {
    const plan = planRead({ fromMs: 0, toMs: 10 * H, levels: [{ level: hour, storedUpToMs: 10 * H }], dirty: [{ lo: 3 * H + 1, hi: 3 * H + 1 }, { lo: 4 * H, hi: 5 * H }, { lo: 9 * H + 30 * M, hi: 12 * H }] });
    expect(plan.stored).toEqual([{ level: hour, lo: 0, hi: 10 * H }]);
    expect(plan.raw).toEqual([
      { lo: 3 * H, hi: 6 * H },
      { lo: 9 * H, hi: 10 * H },
    ]);
  });

  it('falls back to raw samples when no whole stored bucket lies in the range', () => {
    expect(planRead({ fromMs: 10 * M, toMs: 50 * M, levels: [{ level: hour, storedUpToMs: 10 * H }], dirty: [] })).toEqual({ stored: [], raw: [{ lo: 10 * M, hi: 50 * M }] });
    expect(planRead({ fromMs: 0, toMs: 10 * H, levels: [{ level: fiveMinutes, storedUpToMs: Number.NEGATIVE_INFINITY }], dirty: [] }).stored).toEqual([]);
  });
});

describe('staleBuckets', () => {
  it('widens markers to whole buckets per device, merges them and drops what is not stored yet', () => {
    const stale = staleBuckets(
      [
        { deviceId: 'a', lo: 61 * M + 5, hi: 61 * M + 5 },
        { deviceId: 'a', lo: 62 * M, hi: 63 * M + 1 },
        { deviceId: 'b', lo: 5 * M, hi: 5 * M },
        { deviceId: 'b', lo: 200 * M, hi: 300 * M },
      ],
      M,
      100 * M,
    );
    expect(stale).toEqual([
      { deviceId: 'a', lo: 61 * M, hi: 64 * M },
      { deviceId: 'b', lo: 5 * M, hi: 6 * M },
    ]);
  });

  it('merges touching spans', () => {
    expect(mergeSpans([{ lo: 2, hi: 3 }, { lo: 0, hi: 2 }, { lo: 5, hi: 5 }])).toEqual([{ lo: 0, hi: 3 }]);
  });
});
