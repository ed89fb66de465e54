import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createLogger } from '@airfleet/runtime';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { waitFor } from '../../../../tests/support/wait-for.ts';
import { createPool } from './pool.ts';
import { listenChannel } from './pg-listen.ts';

const log = createLogger('pg-listen-test', { level: 'silent' });

/** The PostgreSQL backend of a listening connection. */
const pidOf = (c: pg.PoolClient | undefined): number => (c as unknown as { processID: number }).processID;

describe('listenChannel: one listening connection, reconnected when lost', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, log, 4);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const notify = (channel: string, payload: string) => db.pool.query('SELECT pg_notify($1, $2)', [channel, payload]);

  it('delivers payloads; a lost connection is released once and replaced after the retry delay', async () => {
    const heard: string[] = [];
    let lost = 0;
    let connections = 0;
    const l = await listenChannel(pool, 'test_listen_a', (p) => heard.push(p), log, { onLost: () => (lost += 1), onListening: () => void (connections += 1) });
    try {
      expect(l.listening).toBe(true);
      await notify('test_listen_a', 'one');
      // Another channel is not delivered.
      await notify('test_listen_other', 'ignored');
      await waitFor(() => heard.includes('one'), 'first payload');
      const first = pidOf(l.client);

      await db.pool.query('SELECT pg_terminate_backend($1)', [first]);
      await waitFor(() => lost === 1, 'the loss noticed');
      expect(l.listening).toBe(false);
      await waitFor(() => l.listening, 'listening again', 5_000);
      expect(pidOf(l.client)).not.toBe(first);
      expect(connections).toBe(2);
      await notify('test_listen_a', 'two');
      await waitFor(() => heard.includes('two'), 'payload after the reconnect');
      expect(heard).toEqual(['one', 'two']);
      expect(lost).toBe(1);
    } finally {
      l.stop();
    }
    // The connection is closed, not returned to the pool; stopping again is harmless.
    expect(l.listening).toBe(false);
    l.stop();
    await waitFor(() => pool.totalCount === pool.idleCount, 'no connection left checked out');
  });

  it('a failing onListening drops the connection and tries again', async () => {
    let attempts = 0;
    const l = await listenChannel(pool, 'test_listen_b', () => undefined, log, {
      onListening: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('not yet');
      },
    });
    try {
      expect(l.listening).toBe(false);
      await waitFor(() => l.listening, 'listening after the retry', 5_000);
      expect(attempts).toBe(2);
    } finally {
      l.stop();
    }
  });

  it('the server ending the connection after stop() is ignored', async () => {
    const l = await listenChannel(pool, 'test_listen_c', () => undefined, log);
    const pid = pidOf(l.client);
    l.stop();
    // Destroyed by stop(): the backend goes away on its own, and nothing throws or reconnects.
    await waitFor(async () => (await db.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0, 'the backend gone');
    expect(l.listening).toBe(false);
    expect(l.client).toBeUndefined();
  });
});
