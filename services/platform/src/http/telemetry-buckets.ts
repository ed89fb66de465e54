/**
 * Bucket width selection for chart queries. Pure: no clock, no I/O.
 *
 * Widths are "nice" so axis ticks and tooltips read naturally (1 s … 12 h, 1 d …) and so
 * repeated requests over slightly different ranges still hit the same bucket boundaries.
 * Buckets are aligned to the Unix epoch (the SQL uses the same origin).
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const NICE_BUCKET_WIDTHS_MS: readonly number[] = [
  1 * SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  1 * MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  1 * HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  1 * DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/**
 * How many epoch-aligned buckets of `widthMs` the half-open range [fromMs, toMs) touches.
 * A range of exactly N widths that does not start on a boundary touches N + 1 buckets,
 * which is why this is not simply ceil(range / width).
 */
export function bucketsTouched(fromMs: number, toMs: number, widthMs: number): number {
  if (toMs <= fromMs) return 0;
  return Math.floor((toMs - 1) / widthMs) - Math.floor(fromMs / widthMs) + 1;
}

/** The smallest nice width whose buckets over [fromMs, toMs) number at most maxPoints. */
export function chooseBucketWidth(fromMs: number, toMs: number, maxPoints: number): number {
  if (!(maxPoints >= 1)) throw new RangeError('maxPoints must be at least 1');
  for (const width of NICE_BUCKET_WIDTHS_MS) {
    if (bucketsTouched(fromMs, toMs, width) <= maxPoints) return width;
  }
  // Beyond the table (years at few points): whole days, grown until it fits.
  let width = Math.max(31 * DAY, Math.ceil((toMs - fromMs) / maxPoints / DAY) * DAY);
  while (bucketsTouched(fromMs, toMs, width) > maxPoints) width += DAY;
  return width;
}
