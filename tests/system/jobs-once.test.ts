import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Registry } from 'prom-client';
import {
  createOutboxPruning,
  createPool,
  createRetentionJob,
  createRulesRuntime,
  createUsageRollupMaintenance,
  createWeeklyReporting,
  migrate,
  retentionPolicies,
  runExclusive,
} from '@airfleet/platform';
import { createLogger } from '@airfleet/runtime';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const log = createLogger('jobs-once-test', { level: 'silent' });

/** What one platform instance runs on its timers: each with its own pool, as separate processes would. */
function instance(url: string) {
  const pool = createPool(url, log, 6);
  const rules = createRulesRuntime({ pool, log, registry: new Registry(), sweepIntervalMs: 0, fleetCheckIntervalMs: 0 });
  const usage = createUsageRollupMaintenance({ pool, log, intervalMs: 0 });
  const weekly = createWeeklyReporting({ pool, log, intervalMs: 0, send: async () => undefined });
  const pruning = createOutboxPruning({ pool, log });
  const retention = createRetentionJob({ pool, log, policies: retentionPolicies(), everyMs: 0 });
  return {
    pool,
    /** Each job as its timer fires it: true when this instance ran the body. */
    jobs: {
      'rules-sweep': async () => (await rules.sweepExclusive()) !== null,
      'usage-rollup': () => usage.tick(),
      'weekly-reports': () => weekly.tick(),
      'outbox-pruning': () => pruning.run(),
      retention: async () => (await retention.run()) !== null,
    } as Record<string, () => Promise<boolean>>,
    async close() {
      await rules.stop();
      await usage.stop();
      await weekly.stop();
      pruning.stop();
      await retention.stop();
      await pool.end();
    },
  };
}

/**
 * Several platform instances run the same timers on one database; each job body must run on one
 * of them at a time. The bodies are held up by table locks, so both instances fire while the
 * first one is still inside: the other one must skip the round instead of running it too.
 */
describe('jobs run on one platform instance at a time', () => {
  let db: TestDatabase;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  /** Advisory locks held now on the job keys (the leases). */
  const leasesHeld = async (): Promise<number> =>
    (
      await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.granted
            AND l.objid::int = ANY (SELECT hashtext('airfleet-job:' || j) FROM unnest($1::text[]) AS j)`,
        [Object.keys(a.jobs)],
      )
    ).rows[0]!.n;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = instance(db.url);
    b = instance(db.url);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('runExclusive: of two callers at once one runs, the other skips; afterwards the next one runs', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let bodies = 0;
    const body = async (): Promise<string> => {
      bodies += 1;
      entered();
      await held;
      return 'done';
    };
    const first = runExclusive(a.pool, 'test-job', body);
    const second = runExclusive(b.pool, 'test-job', body);
    try {
      // Whichever got the lock waits inside; the other one has returned already (its answer may
      // reach this process before the winner's does, so the winner's entry is awaited, not assumed).
      const loser = await Promise.race([first, second]);
      expect(loser).toEqual({ ran: false });
      await inside;
      expect(bodies).toBe(1);
    } finally {
      release();
    }
    const results = await Promise.all([first, second]);
    expect(results.filter((r) => r.ran)).toEqual([{ ran: true, value: 'done' }]);
    expect(bodies).toBe(1);
    // The lease is released after the body: the next round runs (on either instance).
    expect(await runExclusive(b.pool, 'test-job', async () => 42)).toEqual({ ran: true, value: 42 });
    expect(await runExclusive(a.pool, 'test-job', async () => 43)).toEqual({ ran: true, value: 43 });
  });

  it('a body that throws releases the lease (and its connection stays usable)', async () => {
    await expect(runExclusive(a.pool, 'test-job', async () => Promise.reject(new Error('job failed')))).rejects.toThrow('job failed');
    expect(await runExclusive(b.pool, 'test-job', async () => 'next')).toEqual({ ran: true, value: 'next' });
    expect(await leasesHeld()).toBe(0);
  });

  it('the rules sweep, usage rollup, weekly reports, outbox pruning and retention each run once when both instances fire together', async () => {
    // The first statement of every body waits on one of these tables.
    const blocker = new pg.Client({ connectionString: db.url });
    // Dropping the test database terminates whatever is still connected: never an uncaught error.
    blocker.on('error', () => undefined);
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE device_status, devices, report_subscriptions, outbox, dead_letters IN ACCESS EXCLUSIVE MODE');
      const names = Object.keys(a.jobs);
      const fired = names.map((name) => {
        const both = [a.jobs[name]!(), b.jobs[name]!()];
        const settled = both.map(() => false);
        both.forEach((p, i) => void p.then(() => (settled[i] = true), () => (settled[i] = true)));
        return { name, both, settled };
      });
      // Every job: one instance holds its lease (blocked inside the body), the other has skipped.
      await waitFor(async () => (await leasesHeld()) === names.length, 'one lease per job held');
      await waitFor(() => fired.every((f) => f.settled.filter(Boolean).length === 1), 'the other instance skipped each job');
      await blocker.query('COMMIT');
      for (const f of fired) {
        const ran = await Promise.all(f.both);
        expect({ job: f.name, runs: ran.filter(Boolean).length }).toEqual({ job: f.name, runs: 1 });
      }
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    expect(await leasesHeld()).toBe(0);
    // One at a time, not once for ever: fired one after the other, both instances run each job.
    for (const name of Object.keys(a.jobs)) {
      expect(await a.jobs[name]!()).toBe(true);
      expect(await b.jobs[name]!()).toBe(true);
    }
  });

  it('a platform starting while another one migrates waits for it instead of exiting', async () => {
    // node-pg-migrate's lock (its PG_MIGRATE_LOCK_ID), held as a first instance would while migrating.
    const first = new pg.Client({ connectionString: db.url });
    first.on('error', () => undefined);
    await first.connect();
    try {
      await first.query('SELECT pg_advisory_lock(7241865325823964)');
      const second = migrate(db.url);
      let settled = false;
      void second.then(() => (settled = true), () => (settled = true));
      await waitFor(
        async () => (await db.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0].n === 1,
        'the second migration waiting for the lock',
      );
      expect(settled).toBe(false);
      await first.query('SELECT pg_advisory_unlock(7241865325823964)');
      // Then it migrates (nothing, or what is new) instead of failing.
      await expect(second).resolves.toBeInstanceOf(Array);
    } finally {
      await first.end();
    }
  });
});
