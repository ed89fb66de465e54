import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@airfleet/runtime';
import { METRIC_KEYS, type MetricKey } from '@airfleet/contracts';
import { seedPlatformFixtures } from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { writeBatch, type IngestBatch } from '../ingest/ingest-store.repository.ts';
import { METRIC_SQL_TYPES } from '../db/metric-columns.ts';
import { bucketSql, createTelemetryQueryRepository, type BucketRow } from '../repositories/telemetry-query.repository.ts';
import { mulberry32 } from '../parts/parts-catalogue.data.ts';
import { createTelemetryRollupJob } from './telemetry-rollup.job.ts';
import { createTelemetryRollupRepository } from './telemetry-rollup.repository.ts';
import { ROLLUP_LEVELS } from './rollup-levels.ts';

/**
 * Property: a chart read answered from the stored 5-minute/hour buckets (plus raw samples where
 * they are not whole, complete or current) equals raw bucketing of the samples, over random data
 * with gaps, missing metrics, unaligned timestamps and late samples, before and after the rollup
 * job has folded the late samples in.
 */
const M = 60_000;
const H = 60 * M;
const DAY = 24 * H;
const T0 = Date.parse('2025-03-01T00:00:00Z');
const SPAN_DAYS = 3;
const DEVICES = ['FX-ACME-002', 'FX-GLOBEX-001'];
const WIDTHS = [M, 2 * M, 5 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, DAY];

/** Deterministic data and queries: the same seed, the same rows. */
const rng = mulberry32;

function sample(rand: () => number, ts: number, seq: number, hours: { run: number }): IngestBatch['telemetry'][number]['sample'] {
  const metrics: Partial<Record<MetricKey, number>> = {};
  hours.run += 10 / 3600;
  for (const key of METRIC_KEYS) {
    if (rand() < 0.08) continue; // the device did not report this metric in this sample
    const type = METRIC_SQL_TYPES[key];
    metrics[key] = type === 'int8[]' ? Math.floor(rand() * 100_000) : type === 'float8[]' ? hours.run + rand() : Math.fround(Math.round(rand() * 20_000) / 100);
  }
  return { ts, seq, state: rand() < 0.7 ? 'loaded' : 'unloaded', metrics };
}

/** ~10 s samples with jitter and random outages of minutes to hours. */
function series(rand: () => number, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs + Math.floor(rand() * 10_000); t < toMs; ) {
    out.push(t);
    t += rand() < 0.003 ? Math.floor(rand() * 5 * H) : 9_000 + Math.floor(rand() * 2_000);
  }
  return out;
}

let db: TestDatabase;
const log = createLogger('history-test', { level: 'silent' });

async function write(rows: IngestBatch['telemetry']): Promise<void> {
  const client = await db.pool.connect();
  try {
    for (let i = 0; i < rows.length; i += 2000) {
      await writeBatch(client, { telemetry: rows.slice(i, i + 2000), statuses: [], events: [], acks: [], deadLetters: [] });
    }
  } finally {
    client.release();
  }
}

/** The reference: raw bucketing over every sample of the range (the statement charts used alone). */
async function rawBuckets(deviceId: string, fromMs: number, toMs: number, bucketMs: number): Promise<BucketRow[]> {
  const { rows } = await db.pool.query(bucketSql('postgres', METRIC_KEYS), [deviceId, new Date(fromMs), new Date(toMs), bucketMs]);
  return rows.map((row: Record<string, unknown>) => ({
    t: (row.bucket as Date).getTime(),
    count: row.n as number,
    values: Object.fromEntries(METRIC_KEYS.map((k, i) => [k, { avg: row[`m${i}_avg`], min: row[`m${i}_min`], max: row[`m${i}_max`] }])),
  }));
}

/** Equal bucket for bucket: counts, min and max exactly; averages to the last bits of their type. */
function expectSameBuckets(actual: BucketRow[], expected: BucketRow[], label: string): void {
  expect(actual.map((b) => [b.t, b.count]), label).toEqual(expected.map((b) => [b.t, b.count]));
  actual.forEach((b, i) => {
    for (const key of METRIC_KEYS) {
      const a = b.values[key]!;
      const e = expected[i]!.values[key]!;
      expect([a.min, a.max], `${label} ${key} min/max @${b.t}`).toEqual([e.min, e.max]);
      if (e.avg === null) expect(a.avg, `${label} ${key} avg @${b.t}`).toBeNull();
      else {
        const tolerance = METRIC_SQL_TYPES[key] === 'real[]' ? 2e-7 : 1e-12;
        expect(Math.abs(a.avg! - e.avg) <= tolerance * Math.max(1, Math.abs(e.avg)), `${label} ${key} avg @${b.t}: ${a.avg} vs ${e.avg}`).toBe(true);
      }
    }
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlatformFixtures(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

describe('telemetry history levels', () => {
  it.each([1, 7, 42])('answer chart reads exactly as raw bucketing does (seed %i)', async (seed) => {
    const rand = rng(seed);
    // Each seed its own stretch of time, so the runs do not see each other's rows.
    const start = T0 + (seed % 10) * 10 * DAY;
    const end = start + SPAN_DAYS * DAY;
    await db.pool.query(`TRUNCATE telemetry_5m, telemetry_1h, telemetry_rollup_dirty; UPDATE telemetry_rollup_state SET upto = NULL`);
    await db.pool.query(`DELETE FROM telemetry WHERE device_id = ANY($1::text[])`, [DEVICES]);
    const rows: IngestBatch['telemetry'] = [];
    for (const deviceId of DEVICES) {
      const hours = { run: 1000 };
      series(rand, start, end).forEach((ts, i) => rows.push({ deviceId, sample: sample(rand, ts, i, hours) }));
    }
    await write(rows);

    // The job's clock 30 minutes after the last sample: the last 40 minutes or so stay unsettled (raw).
    const rollup = createTelemetryRollupRepository(db.pool);
    const job = createTelemetryRollupJob({ pool: db.pool, rollup, log, clock: () => end + 30 * M });
    const first = await job.runOnce();
    expect(first.written['5m']).toBeGreaterThan(0);
    expect(first.written['1h']).toBeGreaterThan(0);

    // Late samples (store-and-forward replays) into stored hours: they leave markers.
    const late: IngestBatch['telemetry'] = [];
    for (let i = 0; i < 40; i++) {
      const deviceId = DEVICES[i % DEVICES.length]!;
      late.push({ deviceId, sample: sample(rand, start + Math.floor(rand() * (SPAN_DAYS * DAY - 2 * H)), 900_000 + i, { run: 5000 }) });
    }
    await write(late);
    const { rows: pending } = await db.pool.query(`SELECT count(*)::int AS n FROM telemetry_rollup_dirty`);
    expect(pending[0].n).toBeGreaterThan(0);

    const repo = createTelemetryQueryRepository(db.pool, { flavour: 'postgres' });
    const queries = Array.from({ length: 25 }, () => {
      const bucketMs = WIDTHS[Math.floor(rand() * WIDTHS.length)]!;
      const a = start - H + Math.floor(rand() * (SPAN_DAYS * DAY + 2 * H));
      const b = start - H + Math.floor(rand() * (SPAN_DAYS * DAY + 2 * H));
      return { deviceId: DEVICES[Math.floor(rand() * DEVICES.length)]!, fromMs: Math.min(a, b), toMs: Math.max(a, b) + 1, bucketMs };
    });
    // Plus the whole span at hour and day widths, so stored buckets surely answer some reads.
    queries.push({ deviceId: DEVICES[0]!, fromMs: start - 7 * M, toMs: end + H, bucketMs: H }, { deviceId: DEVICES[1]!, fromMs: start, toMs: end, bucketMs: DAY });

    let fromStore = 0;
    for (const phase of ['late samples pending', 'late samples folded in']) {
      if (phase === 'late samples folded in') {
        const second = await job.runOnce();
        expect(second.markers).toBeGreaterThan(0);
        const { rows: left } = await db.pool.query(`SELECT count(*)::int AS n FROM telemetry_rollup_dirty`);
        expect(left[0].n).toBe(0);
      }
      for (const q of queries) {
        const plan = await repo.plan(q);
        if (plan.stored.length > 0) fromStore += 1;
        expectSameBuckets(await repo.buckets({ ...q, metrics: METRIC_KEYS }), await rawBuckets(q.deviceId, q.fromMs, q.toMs, q.bucketMs), `${phase} ${JSON.stringify(q)}`);
      }
    }
    expect(fromStore).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('stores a level only up to the settled horizon and leaves what is younger to raw reads', async () => {
    const rollup = createTelemetryRollupRepository(db.pool);
    const [hour, fiveMinutes] = ROLLUP_LEVELS;
    const upToFine = await rollup.storedUpTo(fiveMinutes!);
    const upToHour = await rollup.storedUpTo(hour!);
    expect(upToFine).not.toBeNull();
    expect(upToHour!).toBeLessThanOrEqual(upToFine!);
    expect(upToHour! % H).toBe(0);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM telemetry_5m WHERE bucket >= $1`, [new Date(upToFine!)]);
    expect(rows[0].n).toBe(0);
  });
});
