import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createLogger } from '@airfleet/runtime';
import { telemetryTopic } from '@airfleet/contracts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { seedPlatformFixtures } from '../../../../tests/support/platform-fixtures.ts';
import { createIngestPipeline, type IngestPipeline } from '../ingest/ingest-pipeline.ts';
import { createIngestMetrics } from '../observability/ingest.metrics.ts';
import { createDeadLettersRepository } from '../repositories/dead-letters.repository.ts';

const log = createLogger('dead-letter-throttle-test', { level: 'silent' });
const WINDOW = 60_000;
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

/**
 * A device flooding bad payloads through the real ingest pipeline into PostgreSQL: per device and
 * reason only the first N of each window are stored, every one is counted.
 */
describe('dead-letter throttling (ingest → PostgreSQL)', () => {
  let db: TestDatabase;
  let pipeline: IngestPipeline;
  let registry: Registry;
  let now = T0 + 1_000;
  let flooder: string;
  let quiet: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const fx = await seedPlatformFixtures(db.pool);
    flooder = fx.devices.acme1.id;
    quiet = fx.devices.globex1.id;
    registry = new Registry();
    pipeline = createIngestPipeline({
      pool: db.pool,
      log,
      metrics: createIngestMetrics(registry),
      // Small batches: the window's limit must hold across many batches, not only within one.
      batchMaxRows: 7,
      batchWaitMs: 1,
      clock: () => now,
      deadLetterSampling: { keepPerWindow: 10, windowMs: WINDOW },
    });
  });
  afterAll(async () => {
    await pipeline?.stop();
    await db?.drop();
  });

  const flood = (deviceId: string, n: number, payload = '{"ts": 1') =>
    Promise.all(Array.from({ length: n }, () => pipeline.submit(telemetryTopic(deviceId), Buffer.from(payload))));
  const stored = async (deviceId: string): Promise<number> =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM dead_letters WHERE device_id = $1`, [deviceId])).rows[0]!.n;
  const countsOf = async (source: string) =>
    (
      await db.pool.query<{ w: number; kept: number; dropped: number }>(
        `SELECT (extract(epoch FROM window_start) * 1000)::float8 AS w, kept, dropped::int AS dropped
           FROM dead_letter_counts WHERE source = $1 ORDER BY window_start`,
        [source],
      )
    ).rows;

  it('keeps the first N per window in full and counts the rest exactly', async () => {
    await flood(flooder, 483);
    await flood(quiet, 3);
    expect(await stored(flooder)).toBe(10);
    expect(await stored(quiet)).toBe(3);
    expect(await countsOf(flooder)).toEqual([{ w: T0, kept: 10, dropped: 473 }]);
    expect(await countsOf(quiet)).toEqual([{ w: T0, kept: 3, dropped: 0 }]);
    // Every refused message is counted on /metrics, the ones not stored also on their own.
    const dropped = (await registry.getSingleMetric('airfleet_dead_letters_dropped_total')!.get()).values;
    expect(dropped).toEqual([{ labels: { reason: 'malformed_json' }, value: 473 }]);
    const all = (await registry.getSingleMetric('airfleet_dead_letters_total')!.get()).values;
    expect(all).toEqual([{ labels: { reason: 'malformed_json' }, value: 486 }]);
  });

  it('a new window stores N again; another reason has its own N', async () => {
    now = T0 + WINDOW + 5;
    await flood(flooder, 25);
    await flood(flooder, 12, '{"ts":1,"seq":1,"state":"loaded","metrics":{"pressureBar":NaN}}');
    expect(await stored(flooder)).toBe(10 + 10 + 10);
    // The first window's count is as it was.
    expect((await countsOf(flooder))[0]).toEqual({ w: T0, kept: 10, dropped: 473 });
    const reasons = await db.pool.query(`SELECT reason, kept, dropped::int AS dropped FROM dead_letter_counts WHERE source = $1 AND window_start = to_timestamp($2 / 1000.0) ORDER BY reason`, [flooder, T0 + WINDOW]);
    expect(reasons.rows).toEqual([
      { reason: 'malformed_json', kept: 10, dropped: 15 },
      { reason: 'non_finite_number', kept: 10, dropped: 2 },
    ]);
  });

  it('the dead-letter API reports refused, stored and only counted per device and reason', async () => {
    const repo = createDeadLettersRepository(db.pool);
    const all = await repo.counts({ hours: 1, limit: 100 }, T0 + WINDOW + 10_000);
    expect(all.totals).toEqual({ received: 483 + 3 + 25 + 12, kept: 10 + 3 + 10 + 10, dropped: 473 + 15 + 2 });
    expect(all.items[0]).toMatchObject({ source: flooder, deviceId: flooder, reason: 'malformed_json', received: 483 + 25, kept: 20, dropped: 488 });
    const one = await repo.counts({ hours: 1, limit: 100, deviceId: quiet }, T0 + WINDOW + 10_000);
    expect(one.items).toEqual([
      expect.objectContaining({ source: quiet, reason: 'malformed_json', received: 3, kept: 3, dropped: 0, firstWindowAt: new Date(T0).toISOString() }),
    ]);
  });
});
