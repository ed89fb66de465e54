import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { seedPlatformFixtures } from '../../../../tests/support/platform-fixtures.ts';
import { writeBatch, type IngestBatch, type TelemetryRow } from './ingest-store.repository.ts';

const empty = (): IngestBatch => ({ telemetry: [], statuses: [], events: [], acks: [], deadLetters: [] });

describe('writeBatch', () => {
  let db: TestDatabase;
  let deviceId: string;
  const t0 = Date.UTC(2026, 10, 20, 8, 0, 0, 123);

  beforeAll(async () => {
    db = await createTestDatabase();
    const fx = await seedPlatformFixtures(db.pool);
    deviceId = fx.devices.acme2.id; // a device without telemetry yet
  });
  afterAll(async () => db?.drop());

  const row = (i: number, over: Partial<TelemetryRow['sample']> = {}): TelemetryRow => ({
    deviceId,
    sample: { ts: t0 + i * 1001, seq: i, state: 'loaded', metrics: { pressureBar: 7 + i / 100, dewPointC: 2 }, ...over },
  });

  it('hands the in-transaction hook only the rows it inserted, matched to the millisecond', async () => {
    const client = await db.pool.connect();
    try {
      await writeBatch(client, { ...empty(), telemetry: [row(0), row(1)] });
      let seen: TelemetryRow[] = [];
      const result = await writeBatch(client, { ...empty(), telemetry: [row(0), row(1), row(2), row(3)] }, async (_c, _b, inserted) => {
        seen = inserted;
      });
      expect(result).toMatchObject({ inserted: 2, duplicates: 2 });
      expect(seen.map((r) => r.sample.seq)).toEqual([2, 3]);
      // Duplicates between new rows: each row is matched by its position in the batch.
      await writeBatch(client, { ...empty(), telemetry: [row(4), row(2), row(5), row(0), row(6)] }, async (_c, _b, inserted) => {
        seen = inserted;
      });
      expect(seen.map((r) => r.sample.seq)).toEqual([4, 5, 6]);
    } finally {
      client.release();
    }
  });

  it('rolls the whole batch back when the hook fails, so nothing is acknowledged half-done', async () => {
    const client = await db.pool.connect();
    try {
      await expect(
        writeBatch(client, { ...empty(), telemetry: [row(10)] }, async () => {
          throw new Error('rules failed');
        }),
      ).rejects.toThrow('rules failed');
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1 AND seq = 10', [deviceId]);
      expect(rows[0].n).toBe(0);
    } finally {
      client.release();
    }
  });

  it('stores extras as jsonb and never moves device_latest backwards', async () => {
    const client = await db.pool.connect();
    try {
      await writeBatch(client, { ...empty(), telemetry: [row(20)] });
      await writeBatch(client, { ...empty(), telemetry: [row(19)] });
      const latest = await db.pool.query('SELECT seq, metrics FROM device_latest WHERE device_id = $1', [deviceId]);
      expect(Number(latest.rows[0].seq)).toBe(20);
      expect(latest.rows[0].metrics).toEqual({ pressureBar: 7.2, dewPointC: 2 });
      const t = await db.pool.query('SELECT extras FROM telemetry WHERE device_id = $1 AND seq = 20', [deviceId]);
      expect(t.rows[0].extras).toEqual({ dewPointC: 2 });
    } finally {
      client.release();
    }
  });
});
