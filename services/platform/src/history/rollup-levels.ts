import { METRIC_KEYS, type MetricKey } from '@airfleet/contracts';
import { METRIC_COLUMNS, METRIC_SQL_TYPES } from '../db/metric-columns.ts';

/**
 * The stored resolutions of telemetry history, coarsest first. A chart bucket whose width is a
 * whole multiple of a level's width is a union of that level's buckets (both are aligned to the
 * Unix epoch), so it can be answered from them exactly.
 *
 * Why 5 minutes and an hour: at the usual 10 s reporting interval a 5-minute bucket holds 30
 * samples and an hour 360, while a stored bucket costs about twice a raw row (every metric's
 * count, sum, min and max). The hour level answers every chart width of an hour or more (a month
 * to years at 1,000 points), the 5-minute level the widths of 5 to 30 minutes (3 days to 3
 * weeks). Narrower widths span at most a day and a half at 1,000 points: a range scan of raw
 * samples answers those within the same time, and a minute level would cost 5 times the storage
 * of the 5-minute one for them.
 */
export interface RollupLevel {
  name: '5m' | '1h';
  ms: number;
  table: 'telemetry_5m' | 'telemetry_1h';
}

export const ROLLUP_LEVELS: readonly RollupLevel[] = [
  { name: '1h', ms: 3_600_000, table: 'telemetry_1h' },
  { name: '5m', ms: 300_000, table: 'telemetry_5m' },
];

/** How the sums of a metric are kept: exact for the integer counters (bigint), float8 otherwise. */
const isCounter = (key: MetricKey): boolean => METRIC_SQL_TYPES[key] === 'int8[]';
const isReal = (key: MetricKey): boolean => METRIC_SQL_TYPES[key] === 'real[]';

/**
 * The four partial aggregates of one metric, by column name (<column>_n, _sum, _min, _max). A
 * stored <column>_n is NULL when every sample of the bucket carried the metric (the usual case:
 * a NULL costs a bit of the row's null bitmap, an integer 4 bytes); read it as coalesce(_n, n).
 */
export const partialColumns = (key: MetricKey): [string, string, string, string] => {
  const c = METRIC_COLUMNS[key];
  return [`${c}_n`, `${c}_sum`, `${c}_min`, `${c}_max`];
};

/** Every stored column of a rollup row after (device_id, bucket), in table order. */
export const ROLLUP_VALUE_COLUMNS: readonly string[] = ['n', ...METRIC_KEYS.flatMap(partialColumns)];

/** Partial aggregates of raw samples (a GROUP BY over telemetry), aliased as the rollup columns. */
export function partialsFromRaw(keys: readonly MetricKey[] = METRIC_KEYS): string {
  return [
    'count(*)::int AS n',
    ...keys.map((key) => {
      const c = METRIC_COLUMNS[key];
      const [n, sum, min, max] = partialColumns(key);
      return `nullif(count(${c}), count(*))::int AS ${n}, sum(${isCounter(key) ? c : `${c}::float8`})${isCounter(key) ? '::bigint' : ''} AS ${sum}, min(${c}) AS ${min}, max(${c}) AS ${max}`;
    }),
  ].join(', ');
}

/** Partial aggregates of finer rollup rows (a GROUP BY over a rollup table), aliased the same way. */
export function partialsFromRollup(keys: readonly MetricKey[] = METRIC_KEYS): string {
  return [
    'sum(n)::int AS n',
    ...keys.map((key) => {
      const [n, sum, min, max] = partialColumns(key);
      return `nullif(sum(coalesce(${n}, n)), sum(n))::int AS ${n}, sum(${sum})${isCounter(key) ? '::bigint' : ''} AS ${sum}, min(${min}) AS ${min}, max(${max}) AS ${max}`;
    }),
  ].join(', ');
}

/**
 * One raw sample as a partial row (count 1), so raw samples and rollup rows can be combined by one
 * GROUP BY; a metric the sample did not carry counts 0 and leaves sum/min/max NULL.
 */
export function sampleAsPartial(keys: readonly MetricKey[]): string {
  return [
    '1 AS n',
    ...keys.map((key) => {
      const c = METRIC_COLUMNS[key];
      const [n, sum, min, max] = partialColumns(key);
      return `(${c} IS NOT NULL)::int AS ${n}, ${isCounter(key) ? `${c}::numeric` : `${c}::float8`} AS ${sum}, ${c} AS ${min}, ${c} AS ${max}`;
    }),
  ].join(', ');
}

/**
 * The chart's avg/min/max from partials, positional aliases (m0_avg …) as the raw statement has.
 * The average is sum over count of the parts, i.e. weighted by each part's sample count: what
 * avg() over the raw samples gives. real stays real and counters come back as float8 (pg hands
 * int8/numeric to JS as strings).
 */
export function finalAggregates(keys: readonly MetricKey[]): string {
  return keys
    .map((key, i) => {
      const [n, sum, min, max] = partialColumns(key);
      const avgCast = isReal(key) ? 'real' : 'float8';
      const extremaCast = isReal(key) ? '' : '::float8';
      return `(sum(${sum}) / nullif(sum(coalesce(${n}, n)), 0))::${avgCast} AS m${i}_avg, min(${min})${extremaCast} AS m${i}_min, max(${max})${extremaCast} AS m${i}_max`;
    })
    .join(', ');
}
