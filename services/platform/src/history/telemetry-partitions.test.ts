import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@airfleet/runtime';
import { seedPlatformFixtures } from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { writeBatch, type IngestBatch } from '../ingest/ingest-store.repository.ts';
import { historyRetentionPolicies } from './history-retention.policies.ts';
import { createTelemetryPartitionsJob } from './telemetry-partitions.job.ts';
import { createTelemetryPartitionsRepository, isPartitioned } from './telemetry-partitions.repository.ts';

const DAY = 86_400_000;
const log = createLogger('partitions-test', { level: 'silent' });
let db: TestDatabase;

async function write(rows: IngestBatch['telemetry']): Promise<number> {
  const client = await db.pool.connect();
  try {
    return (await writeBatch(client, { telemetry: rows, statuses: [], events: [], acks: [], deadLetters: [] })).inserted;
  } finally {
    client.release();
  }
}
const sample = (deviceId: string, ts: number, seq = 1): IngestBatch['telemetry'][number] => ({ deviceId, sample: { ts, seq, state: 'loaded', metrics: { pressureBar: 7 } } });
const partitionOf = async (deviceId: string, ts: number): Promise<string | undefined> =>
  (await db.pool.query(`SELECT tableoid::regclass::text AS p FROM telemetry WHERE device_id = $1 AND ts = $2`, [deviceId, new Date(ts)])).rows[0]?.p;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlatformFixtures(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

describe('telemetry partitions (plain PostgreSQL)', () => {
  const repo = () => createTelemetryPartitionsRepository(db.pool);
  const today = Math.floor(Date.now() / DAY) * DAY;

  it('stores each day in its own partition, from 8 days back to 3 ahead, and deduplicates across them', async () => {
    expect(await isPartitioned(db.pool)).toBe(true);
    const days = (await repo().list()).filter((p) => p.fromMs !== null).map((p) => p.fromMs);
    for (let d = today - 8 * DAY; d <= today + 3 * DAY; d += DAY) expect(days).toContain(d);
    const ts = Date.now() - 2 * DAY;
    expect(await write([sample('FX-ACME-002', ts)])).toBe(1);
    expect(await write([sample('FX-ACME-002', ts)])).toBe(0); // a redelivery: the primary key holds across the partitioned table
    expect(await partitionOf('FX-ACME-002', ts)).toBe(`telemetry_p${new Date(ts).toISOString().slice(0, 10).replaceAll('-', '')}`);
  });

  it('creates the days ahead, moves rows that arrived before their day existed, and drops whole days past retention', async () => {
    const far = today + 20 * DAY + 3_600_000;
    expect(await write([sample('FX-ACME-002', far, 7)])).toBe(1);
    expect(await partitionOf('FX-ACME-002', far)).toBe('telemetry_default');
    const old = today - 6 * DAY + 60_000;
    expect(await write([sample('FX-GLOBEX-001', old)])).toBe(1);

    // Twenty days later, keeping 10 days: the days of then are created, the default's row moves
    // into its day, and every day that ended before the cutoff is dropped with its rows.
    const job = createTelemetryPartitionsJob({ pool: db.pool, partitions: repo(), log, retentionDays: 10, clock: () => far });
    const run = await job.runOnce();
    expect(run.moved).toBe(1);
    expect(await partitionOf('FX-ACME-002', far)).toMatch(/^telemetry_p\d{8}$/);
    const cutoff = far - 10 * DAY;
    const left = await repo().list();
    expect(left.filter((p) => p.toMs !== null && p.toMs <= cutoff)).toEqual([]);
    expect(run.dropped.length).toBeGreaterThan(0);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM telemetry WHERE device_id = 'FX-GLOBEX-001' AND ts = $1`, [new Date(old)])).rows[0].n).toBe(0);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM telemetry_default`)).rows[0].n).toBe(0);

    // A second run has nothing to do.
    expect(await job.runOnce()).toEqual({ created: [], dropped: [], moved: 0 });
  });

  it('deletes history buckets past their own retention and keeps the newer ones', async () => {
    const now = Date.now();
    for (const table of ['telemetry_5m', 'telemetry_1h']) {
      await db.pool.query(
        `INSERT INTO ${table} (device_id, bucket, n) SELECT 'FX-ACME-002', to_timestamp(t / 1000.0), 1 FROM unnest($1::float8[]) AS t`,
        [[now - 900 * DAY, now - 801 * DAY, now - 799 * DAY, now - 3651 * DAY, now - 3000 * DAY].map((t) => Math.floor(t / 3_600_000) * 3_600_000)],
      );
    }
    const policies = historyRetentionPolicies({ '5m': 800, '1h': 3650 });
    const deleted = [];
    for (const p of policies) deleted.push([p.table, await p.run(db.pool, now, 2)]);
    expect(deleted).toEqual([
      ['telemetry_1h', 1],
      ['telemetry_5m', 4],
    ]);
    const left = async (table: string) => (await db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE device_id = 'FX-ACME-002'`)).rows[0].n;
    expect([await left('telemetry_5m'), await left('telemetry_1h')]).toEqual([1, 4]);
  });
});
