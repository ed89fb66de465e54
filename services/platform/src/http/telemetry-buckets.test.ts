import { describe, expect, it } from 'vitest';
import { bucketsTouched, chooseBucketWidth, DAY, NICE_BUCKET_WIDTHS_MS } from './telemetry-buckets.ts';

const H = 3_600_000;
const ALIGNED = Date.parse('2025-01-01T00:00:00Z');

describe('bucketsTouched', () => {
  it.each([
    [0, 10_000, 1_000, 10],
    [500, 10_500, 1_000, 11], // unaligned start touches one more bucket
    [0, 1, 1_000, 1],
    [999, 1_001, 1_000, 2],
    [5, 5, 1_000, 0],
  ])('[%d, %d) at %d ms → %d', (from, to, width, expected) => {
    expect(bucketsTouched(from, to, width)).toBe(expected);
  });
});

describe('chooseBucketWidth', () => {
  it.each([
    ['24 h at 500 points', ALIGNED, ALIGNED + 24 * H, 500, 5 * 60_000],
    ['1 h at 500 points', ALIGNED, ALIGNED + H, 500, 10_000],
    ['1 h at 3600 points', ALIGNED, ALIGNED + H, 3600, 1_000],
    ['7 d at 500 points', ALIGNED, ALIGNED + 7 * DAY, 500, 30 * 60_000],
    ['30 d at 500 points', ALIGNED, ALIGNED + 30 * DAY, 500, 2 * H],
    ['30 d at 10 points', ALIGNED, ALIGNED + 30 * DAY, 10, 7 * DAY],
    ['a short range', ALIGNED, ALIGNED + 10_000, 500, 1_000],
    ['500 s, unaligned, 500 points', ALIGNED + 500, ALIGNED + 500_500, 500, 2_000],
  ])('%s', (_name, from, to, maxPoints, expected) => {
    expect(chooseBucketWidth(from, to, maxPoints)).toBe(expected);
  });

  it('is the smallest nice width that fits, and always fits', () => {
    const ranges = [1_000, 59_999, 3_600_000, 86_400_000, 7 * DAY + 123, 90 * DAY, 5 * 365 * DAY];
    for (const span of ranges) {
      for (const offset of [0, 1, 499, 86_399_999]) {
        for (const maxPoints of [1, 2, 10, 100, 500, 10_000]) {
          const from = ALIGNED + offset;
          const width = chooseBucketWidth(from, from + span, maxPoints);
          expect(bucketsTouched(from, from + span, width)).toBeLessThanOrEqual(maxPoints);
          const smaller = NICE_BUCKET_WIDTHS_MS.filter((w) => w < width);
          for (const w of smaller) expect(bucketsTouched(from, from + span, w)).toBeGreaterThan(maxPoints);
        }
      }
    }
  });

  it('beyond the table it uses whole days', () => {
    const width = chooseBucketWidth(ALIGNED, ALIGNED + 5 * 365 * DAY, 10);
    expect(width % DAY).toBe(0);
    expect(width).toBeGreaterThan(30 * DAY);
  });
});
