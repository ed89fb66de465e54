import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createLogger } from '@airfleet/runtime';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { seedPlatformFixtures, type PlatformFixtures } from '../../../../tests/support/platform-fixtures.ts';
import { waitFor } from '../../../../tests/support/wait-for.ts';
import { createPool } from '../db/pool.ts';
import { DAY_MS, HOUR_MS, type RetentionSettings } from './retention.domain.ts';
import { createRetentionJob } from './retention.job.ts';
import { retentionPolicies } from './retention.repository.ts';
import { registerTableMetrics } from './table.metrics.ts';

const log = createLogger('retention-test', { level: 'silent' });
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const at = (ms: number) => new Date(ms);
/** Just past (older than) and just inside an age. */
const OLDER = (days: number) => at(NOW - days * DAY_MS - 1000);
const YOUNGER = (days: number) => at(NOW - days * DAY_MS + 1000);

const settings: RetentionSettings = {
  deadLettersDays: 30,
  deadLettersPerDevice: 5,
  sessionsExpiredHours: 2,
  notificationsDays: 180,
  engagementDays: 400,
  deviceEventsDays: 400,
  deviceAcksDays: 90,
};

describe('retention job (PostgreSQL)', () => {
  let db: TestDatabase;
  let fx: PlatformFixtures;
  let dev1: string;
  let dev2: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    fx = await seedPlatformFixtures(db.pool);
    dev1 = fx.devices.acme1.id;
    dev2 = fx.devices.globex1.id;
  });
  afterAll(async () => db?.drop());

  async function deadLetter(deviceId: string | null, receivedAt: Date, tag: string): Promise<void> {
    await db.pool.query(
      `INSERT INTO dead_letters (received_at, topic, device_id, reason, detail, payload, payload_bytes) VALUES ($1, $2, $3, 'malformed_json', $4, '{', 1)`,
      [receivedAt, deviceId ? `v1/devices/${deviceId}/telemetry` : 'junk', deviceId, tag],
    );
  }
  const tags = async (sql: string, params: unknown[] = []): Promise<string[]> => (await db.pool.query<{ tag: string }>(sql, params)).rows.map((r) => r.tag).sort();

  it('each policy deletes exactly what is past its age, keeps the rest, and caps dead letters per device at the newest N', async () => {
    // Dead letters: dev1 has 8 young ones (5 kept by the cap) and one past the age; dev2 has 3 young
    // ones (under the cap); those without a device form one group of 7 (5 kept).
    await deadLetter(dev1, OLDER(30), 'dev1-old');
    for (let i = 0; i < 8; i += 1) await deadLetter(dev1, at(NOW - (8 - i) * HOUR_MS), `dev1-${i}`);
    for (let i = 0; i < 3; i += 1) await deadLetter(dev2, at(NOW - (3 - i) * HOUR_MS), `dev2-${i}`);
    await deadLetter(dev2, YOUNGER(30), 'dev2-edge');
    for (let i = 0; i < 7; i += 1) await deadLetter(null, at(NOW - (7 - i) * 60_000), `none-${i}`);
    await db.pool.query(
      `INSERT INTO dead_letter_counts (source, device_id, reason, window_start, kept, dropped, last_at) VALUES
         ($1, $1, 'malformed_json', $2, 10, 100, $2), ($1, $1, 'malformed_json', $3, 10, 5, $3)`,
      [dev1, OLDER(30), YOUNGER(30)],
    );
    // Sessions: expired 3 h ago (goes), 1 h ago (within the 2 h grace), live.
    const user = fx.users.operator.id;
    await db.pool.query(
      `INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ('s-old', $1, $2, $3), ('s-grace', $1, $2, $4), ('s-live', $1, $2, $5)`,
      [user, at(NOW - DAY_MS), at(NOW - 3 * HOUR_MS), at(NOW - HOUR_MS), at(NOW + HOUR_MS)],
    );
    // Notifications: old finished ones go; an old one still to deliver stays; young ones stay.
    const note = (subject: string, status: string, createdAt: Date) =>
      db.pool.query(
        `INSERT INTO notifications (kind, severity, channel, status, user_id, recipient_key, recipient, subject, body, created_at)
         VALUES ('alarm', 'major', 'email', $1, $2, $3, 'x@example.com', $4, 'body', $5)`,
        [status, user, `user:${user}`, subject, createdAt],
      );
    await note('old-sent', 'sent', OLDER(180));
    await note('old-dead', 'dead', OLDER(180));
    await note('old-skipped', 'skipped', OLDER(180));
    await note('old-pending', 'pending', OLDER(180));
    await note('old-digest-queued', 'digest_queued', OLDER(180));
    await note('young-sent', 'sent', YOUNGER(180));
    // Engagement, device events, judgment acknowledgements.
    await db.pool.query(
      `INSERT INTO engagement_events (user_id, kind, feature, at) VALUES ($1, 'login', 'old', $2), ($1, 'login', 'young', $3)`,
      [user, OLDER(400), YOUNGER(400)],
    );
    await db.pool.query(
      `INSERT INTO device_events (device_id, ts, type, code, message) VALUES ($1, $2, 'fault', 'old', 'old'), ($1, $3, 'fault', 'young', 'young')`,
      [dev1, OLDER(400), YOUNGER(400)],
    );
    await db.pool.query(
      `INSERT INTO device_acks (device_id, judgment_id, ts, result, reason) VALUES ($1, 'j-old', $2, 'applied', 'old'), ($1, 'j-young', $3, 'applied', 'young')`,
      [dev1, OLDER(90), YOUNGER(90)],
    );

    const registry = new Registry();
    // Two rows per DELETE: every policy with more than that goes through several statements.
    const job = createRetentionJob({ pool: db.pool, log, registry, policies: retentionPolicies(settings), clock: () => NOW, batchRows: 2, everyMs: 0 });
    const run = await job.run();
    expect(run).not.toBeNull();
    expect(run!.deleted).toEqual({
      'dead_letters.age': 1,
      'dead_letters.per_device': 3 + 2,
      'dead_letter_counts.age': 1,
      'sessions.expired': 1,
      'notifications.age': 3,
      'engagement_events.age': 1,
      'device_events.age': 1,
      'device_acks.age': 1,
    });

    expect(await tags(`SELECT detail AS tag FROM dead_letters WHERE device_id = $1`, [dev1])).toEqual(['dev1-3', 'dev1-4', 'dev1-5', 'dev1-6', 'dev1-7']);
    expect(await tags(`SELECT detail AS tag FROM dead_letters WHERE device_id = $1`, [dev2])).toEqual(['dev2-0', 'dev2-1', 'dev2-2', 'dev2-edge']);
    expect(await tags(`SELECT detail AS tag FROM dead_letters WHERE device_id IS NULL`)).toEqual(['none-2', 'none-3', 'none-4', 'none-5', 'none-6']);
    expect((await db.pool.query(`SELECT dropped::int AS n FROM dead_letter_counts`)).rows).toEqual([{ n: 5 }]);
    expect(await tags(`SELECT id_hash AS tag FROM sessions`)).toEqual(['s-grace', 's-live']);
    expect(await tags(`SELECT subject AS tag FROM notifications`)).toEqual(['old-digest-queued', 'old-pending', 'young-sent']);
    expect(await tags(`SELECT feature AS tag FROM engagement_events`)).toEqual(['young']);
    expect(await tags(`SELECT code AS tag FROM device_events`)).toEqual(['young']);
    expect(await tags(`SELECT reason AS tag FROM device_acks`)).toEqual(['young']);

    // What was deleted is counted per policy on /metrics.
    const deleted = (await registry.getSingleMetric('airfleet_retention_deleted_rows_total')!.get()).values;
    expect(deleted.find((v) => v.labels.policy === 'dead_letters.per_device')?.value).toBe(5);
    expect(deleted.find((v) => v.labels.policy === 'notifications.age')).toMatchObject({ value: 3, labels: { table: 'notifications' } });

    // Idempotent: the next run finds nothing to delete.
    const again = await job.run();
    expect(Object.values(again!.deleted).every((n) => n === 0)).toBe(true);
  });

  it('an age of 0 keeps that table for ever, and a cap of 0 keeps every device\'s dead letters', async () => {
    await deadLetter(dev2, at(NOW - 1000 * DAY_MS), 'ancient');
    const keepAll = { ...settings, deadLettersDays: 0, deadLettersPerDevice: 0 };
    const job = createRetentionJob({ pool: db.pool, log, policies: retentionPolicies(keepAll), clock: () => NOW, everyMs: 0 });
    const run = await job.run();
    expect(run!.deleted['dead_letters.age']).toBe(0);
    expect(run!.deleted['dead_letters.per_device']).toBe(0);
    expect(await tags(`SELECT detail AS tag FROM dead_letters WHERE detail = 'ancient'`)).toEqual(['ancient']);
  });

  it('runs on one instance when two (each with its own pool) fire at once', async () => {
    const other = createPool(db.url, log, 4);
    try {
      // Holding a lock on the first table makes the winner wait inside its run while the other fires.
      const blocker = await db.pool.connect();
      let runs: Array<Promise<unknown>> = [];
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE dead_letters IN ACCESS EXCLUSIVE MODE');
        const a = createRetentionJob({ pool: db.pool, log, policies: retentionPolicies(settings), clock: () => NOW, everyMs: 0 });
        const b = createRetentionJob({ pool: other, log, policies: retentionPolicies(settings), clock: () => NOW, everyMs: 0 });
        runs = [a.run(), b.run()];
        // One of them returns at once (skipped); the other is blocked inside.
        const first = await Promise.race(runs);
        expect(first).toBeNull();
      } finally {
        await blocker.query('COMMIT');
        blocker.release();
      }
      const results = await Promise.all(runs);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    } finally {
      await other.end();
    }
  });

  it('/metrics shows rows and bytes per table', async () => {
    const registry = new Registry();
    const metrics = registerTableMetrics({ pool: db.pool, registry, maxAgeMs: 0 });
    // n_live_tup is the statistics' estimate: each backend adds its inserts and deletes when its
    // statistics flush (clamped at 0, so the order of flushes can skew it), and ANALYZE or VACUUM
    // (autovacuum, in production) sets it from the table. After an ANALYZE it is the row count.
    const count = Number((await db.pool.query(`SELECT count(*)::int AS n FROM dead_letters`)).rows[0].n);
    expect(count).toBeGreaterThan(0);
    const stats = await waitFor(
      async () => {
        await db.pool.query('ANALYZE dead_letters');
        const s = await metrics.refresh();
        return s.find((t) => t.table === 'dead_letters')?.rows === count ? s : null;
      },
      'the statistics of dead_letters to reach its row count',
    );
    const dl = stats.find((t) => t.table === 'dead_letters')!;
    expect(dl.bytes).toBeGreaterThan(8192);
    const text = await registry.metrics();
    expect(text).toMatch(/airfleet_table_rows\{table="dead_letters"\} \d+/);
    expect(text).toMatch(/airfleet_table_bytes\{table="notifications"\} [1-9]\d+/);
    expect(text).toMatch(/airfleet_table_rows\{table="dead_letter_counts"\}/);
  });
});
