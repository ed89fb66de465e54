import { METRIC_KEYS, type MetricKey } from '@airfleet/contracts';
import { METRIC_COLUMNS, METRIC_SQL_TYPES } from '../db/metric-columns.ts';

/**
 * The stored resolutions of telemetry history, coarsest first. A chart bucket whose width is a
 * whole multiple of a level's width is a union of that level's buckets (both are aligned to the
 * Unix epoch), so it can be answered from them exactly.
 *
 * Why minute and hour: at the usual 10 s reporting interval a minute holds 6 samples and an hour
 * 360. Charts ask for widths from 1 minute (a few hours at full detail) to days (a year), so the
 * hour level answers every width of an hour or more and the minute level the widths from 1 to
 * 30 minutes (a day to a week); widths under a minute are raw samples anyway.
 */
export interface RollupLevel {
  name: '1m' | '1h';
  ms: number;
  table: 'telemetry_1m' | 'telemetry_1h';
}

export const ROLLUP_LEVELS: readonly RollupLevel[] = [
  { name: '1h', ms: 3_600_000, table: 'telemetry_1h' },
  { name: '1m', ms: 60_000, table: 'telemetry_1m' },
];

/** How the sums of a metric are kept: exact for the integer counters (numeric), float8 otherwise. */
const isCounter = (key: MetricKey): boolean => METRIC_SQL_TYPES[key] === 'int8[]';
const isReal = (key: MetricKey): boolean => METRIC_SQL_TYPES[key] === 'real[]';

/** The four partial aggregates of one metric, by column name (<column>_n, _sum, _min, _max). */
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
      return `count(${c})::int AS ${n}, sum(${isCounter(key) ? c : `${c}::float8`}) AS ${sum}, min(${c}) AS ${min}, max(${c}) AS ${max}`;
    }),
  ].join(', ');
}

/** Partial aggregates of finer rollup rows (a GROUP BY over a rollup table), aliased the same way. */
export function partialsFromRollup(keys: readonly MetricKey[] = METRIC_KEYS): string {
  return [
    'sum(n)::int AS n',
    ...keys.map((key) => {
      const [n, sum, min, max] = partialColumns(key);
      return `sum(${n})::int AS ${n}, sum(${sum}) AS ${sum}, min(${min}) AS ${min}, max(${max}) AS ${max}`;
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
      return `(sum(${sum}) / nullif(sum(${n}), 0))::${avgCast} AS m${i}_avg, min(${min})${extremaCast} AS m${i}_min, max(${max})${extremaCast} AS m${i}_max`;
    })
    .join(', ');
}
