import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { MetricKey } from '@airfleet/contracts';
import { METRIC_COLUMNS, METRIC_SQL_TYPES } from '../db/metric-columns.ts';
import { levelsFor, planRead, type ReadPlan, type Span, type StoredPart } from '../history/history-plan.domain.ts';
import { finalAggregates, partialColumns, sampleAsPartial } from '../history/rollup-levels.ts';

type Db = pg.Pool | pg.PoolClient;

/** Which bucketing function the server offers (docs/architecture.md §8, TimescaleDB: switch on pg_extension). */
export type BucketFlavour = 'postgres' | 'timescale';

export interface BucketQuery {
  deviceId: string;
  /** Inclusive, epoch ms. */
  fromMs: number;
  /** Exclusive, epoch ms. */
  toMs: number;
  bucketMs: number;
  metrics: readonly MetricKey[];
}

export interface BucketRow {
  /** Bucket start, epoch ms. */
  t: number;
  count: number;
  /** Per metric: avg/min/max, null when no sample in the bucket carried that metric. */
  values: Partial<Record<MetricKey, { avg: number | null; min: number | null; max: number | null }>>;
}

/**
 * The bucket expression. Both align buckets to the Unix epoch so the two servers return
 * identical buckets (time_bucket's own default origin is 2000-01-03, date_bin has none).
 * The width is whole milliseconds times an interval, so it never carries day or month
 * units that would make bucketing depend on the session time zone.
 */
export function bucketExpression(flavour: BucketFlavour, widthParam = '$4'): string {
  const width = `(${widthParam}::bigint * INTERVAL '1 millisecond')`;
  return flavour === 'timescale' ? `time_bucket(${width}, ts, TIMESTAMPTZ 'epoch')` : `date_bin(${width}, ts, TIMESTAMPTZ 'epoch')`;
}

/** Aggregates one metric column. Output aliases are positional (m0, m1 …) so no metric key is ever quoted into SQL. */
function aggregates(key: MetricKey, i: number): string {
  const column = METRIC_COLUMNS[key];
  // real columns stay real so 7.1 comes back as 7.1, not 7.099999904632568;
  // bigint counters become float8 because pg hands int8 to JS as a string.
  const isReal = METRIC_SQL_TYPES[key] === 'real[]';
  const avgCast = isReal ? 'real' : 'float8';
  const extremaCast = isReal ? '' : '::float8';
  return `avg(${column})::${avgCast} AS m${i}_avg, min(${column})${extremaCast} AS m${i}_min, max(${column})${extremaCast} AS m${i}_max`;
}

/**
 * One statement per request: the range filter on (device_id, ts) uses the primary key
 * (and chunk exclusion on a hypertable); empty buckets produce no row at all.
 */
export function bucketSql(flavour: BucketFlavour, metrics: readonly MetricKey[]): string {
  const aggs = metrics.map(aggregates);
  return [
    `SELECT ${bucketExpression(flavour)} AS bucket, count(*)::int AS n${aggs.length ? `, ${aggs.join(', ')}` : ''}`,
    'FROM telemetry',
    'WHERE device_id = $1 AND ts >= $2 AND ts < $3',
    'GROUP BY bucket',
    'ORDER BY bucket',
  ].join('\n');
}

/**
 * A chart read from stored buckets plus raw samples (see planRead): both become partial rows
 * (count, sum, min, max per metric) that one GROUP BY combines into the chart's buckets. $1 device,
 * $2 the chart bucket width, $3/$4 the raw spans (bounds arrays), then two parameters (lo, hi) per
 * stored part.
 */
export function combinedBucketSql(flavour: BucketFlavour, parts: ReadonlyArray<Pick<StoredPart, 'level'>>, metrics: readonly MetricKey[]): string {
  const partials = metrics.flatMap(partialColumns).join(', ');
  const stored = parts.map(({ level }, i) =>
    [
      `SELECT bucket AS ts, n${partials ? `, ${partials}` : ''} FROM ${level.table}`,
      `WHERE device_id = $1 AND bucket >= $${5 + 2 * i} AND bucket < $${6 + 2 * i}`,
      'AND NOT EXISTS (SELECT 1 FROM unnest($3::timestamptz[], $4::timestamptz[]) AS r(lo, hi) WHERE bucket >= r.lo AND bucket < r.hi)',
    ].join(' '),
  );
  // One primary-key range scan per raw span: OFFSET 0 keeps the planner from flattening the
  // LATERAL into a join, which it would do by scanning all of the device's samples once.
  const raw = [
    'SELECT x.* FROM unnest($3::timestamptz[], $4::timestamptz[]) AS r(lo, hi)',
    `CROSS JOIN LATERAL (SELECT ts, ${sampleAsPartial(metrics)} FROM telemetry WHERE device_id = $1 AND ts >= r.lo AND ts < r.hi OFFSET 0) AS x`,
  ].join(' ');
  const finals = finalAggregates(metrics);
  return [
    `SELECT ${bucketExpression(flavour, '$2')} AS bucket, sum(n)::int AS n${finals ? `, ${finals}` : ''}`,
    `FROM (${[...stored, raw].join(' UNION ALL ')}) AS p`,
    'GROUP BY bucket',
    'ORDER BY bucket',
  ].join('\n');
}

export async function detectBucketFlavour(db: Db): Promise<BucketFlavour> {
  const { rows } = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length > 0 ? 'timescale' : 'postgres';
}

/**
 * A named (prepared) statement per distinct SQL text: each connection plans it once and reuses
 * the plan. Chart reads are frequent and their statements few (one per metric list and shape),
 * and planning over the daily partitions cost about as much as executing a month of hours.
 */
const statementNames = new Map<string, string>();
function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `telemetry-read-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    // Bounded: metric lists are subsets of a fixed set, but a client could ask for many of them.
    if (statementNames.size >= 500) statementNames.clear();
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/**
 * The chart statement's rows as one JSON document of columns ([t, n, m0_avg, m0_min, m0_max, …],
 * each an array in bucket order). node-postgres parses a result field by field in JavaScript, which
 * for a month of hours over every metric (720 rows × 40 fields) cost more than the statement; the
 * server writes the same values (real as real, with its shortest exact text) and JSON.parse reads
 * them natively.
 */
export function asColumnsJson(sql: string, metrics: readonly MetricKey[]): string {
  const columns = ['(extract(epoch FROM c.bucket) * 1000)::float8', 'c.n', ...metrics.flatMap((_, i) => [`c.m${i}_avg`, `c.m${i}_min`, `c.m${i}_max`])];
  return `SELECT json_build_array(${columns.map((col) => `coalesce(json_agg(${col} ORDER BY c.bucket), '[]'::json)`).join(', ')})::text AS columns FROM (${sql}) AS c`;
}

/**
 * Read side of telemetry for charts. The flavour is detected once per repository
 * (the extension does not come and go while we run) unless it is given.
 */
export function createTelemetryQueryRepository(pool: pg.Pool, options: { flavour?: BucketFlavour } = {}) {
  let flavour: Promise<BucketFlavour> | undefined = options.flavour ? Promise.resolve(options.flavour) : undefined;
  const getFlavour = (db: Db): Promise<BucketFlavour> => {
    if (!flavour) {
      flavour = detectBucketFlavour(db);
      // A failed probe (database down) must not be remembered: retry on the next request.
      flavour.catch(() => {
        flavour = undefined;
      });
    }
    return flavour;
  };

  /** How a read is answered: stored parts and raw spans (also for the history benchmark). */
  const plan = async (query: Pick<BucketQuery, 'deviceId' | 'fromMs' | 'toMs' | 'bucketMs'>, db: Db = pool): Promise<ReadPlan> => {
    const levels = levelsFor(query.bucketMs);
    if (levels.length === 0) return planRead({ ...query, levels: [], dirty: [] });
    const f = await getFlavour(db);
    // Plain PostgreSQL: stored up to the rollup job's marks. TimescaleDB: the continuous
    // aggregates answer up to now by themselves (real-time aggregation).
    const upto =
      f === 'timescale'
        ? `ARRAY(SELECT 'Infinity'::float8 FROM unnest($4::text[]))`
        : `ARRAY(SELECT (SELECT (extract(epoch FROM s.upto) * 1000)::float8 FROM telemetry_rollup_state s WHERE s.level = l) FROM unnest($4::text[]) WITH ORDINALITY AS u(l, i) ORDER BY i)`;
    const { rows } = await db.query<{ upto: Array<number | null>; lo: number[]; hi: number[] }>(
      prepared(
        `SELECT ${upto} AS upto,
                ARRAY(SELECT (extract(epoch FROM ts_lo) * 1000)::float8 FROM telemetry_rollup_dirty WHERE device_id = $1 AND ts_lo < $3 AND ts_hi >= $2 ORDER BY id) AS lo,
                ARRAY(SELECT (extract(epoch FROM ts_hi) * 1000)::float8 FROM telemetry_rollup_dirty WHERE device_id = $1 AND ts_lo < $3 AND ts_hi >= $2 ORDER BY id) AS hi`,
        [query.deviceId, new Date(query.fromMs), new Date(query.toMs), levels.map((l) => l.name)],
      ),
    );
    const r = rows[0]!;
    const dirty: Span[] = r.lo.map((lo, i) => ({ lo, hi: r.hi[i]! }));
    return planRead({ ...query, levels: levels.map((level, i) => ({ level, storedUpToMs: r.upto[i] ?? Number.NEGATIVE_INFINITY })), dirty });
  };

  return {
    flavour: (db: Db = pool): Promise<BucketFlavour> => getFlavour(db),

    plan,

    /**
     * Chart buckets over [from, to). Widths that stored levels tile are answered from them (plus
     * raw samples where they are not whole, complete or current); the answer is what raw
     * bucketing gives, at a fraction of the rows read.
     */
    async buckets(query: BucketQuery, db: Db = pool): Promise<BucketRow[]> {
      const flavour = await getFlavour(db);
      const readPlan = await plan(query, db);
      const sql = readPlan.stored.length > 0 ? combinedBucketSql(flavour, readPlan.stored, query.metrics) : bucketSql(flavour, query.metrics);
      const values =
        readPlan.stored.length > 0
          ? [
              query.deviceId,
              query.bucketMs,
              readPlan.raw.map((x) => new Date(x.lo)),
              readPlan.raw.map((x) => new Date(x.hi)),
              ...readPlan.stored.flatMap((p) => [new Date(p.lo), new Date(p.hi)]),
            ]
          : [query.deviceId, new Date(query.fromMs), new Date(query.toMs), query.bucketMs];
      const { rows } = await db.query<{ columns: string }>(prepared(asColumnsJson(sql, query.metrics), values));
      const [t, n, ...series] = JSON.parse(rows[0]!.columns) as Array<Array<number | null>>;
      return t!.map((at, k) => {
        const values: BucketRow['values'] = {};
        query.metrics.forEach((key, i) => {
          values[key] = { avg: series[3 * i]![k] ?? null, min: series[3 * i + 1]![k] ?? null, max: series[3 * i + 2]![k] ?? null };
        });
        return { t: at!, count: n![k]!, values };
      });
    },
  };
}
export type TelemetryQueryRepository = ReturnType<typeof createTelemetryQueryRepository>;
