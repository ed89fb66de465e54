import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { PlatformEvent } from '@airfleet/contracts';
import { createLogger } from '@airfleet/runtime';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { waitFor } from '../../../../tests/support/wait-for.ts';
import { createPool } from '../db/pool.ts';
import { createOutboxRelay, type OutboxRelay } from './outbox.relay.ts';
import { appendOutbox } from './outbox.repository.ts';

const log = createLogger('outbox-relay-test', { level: 'silent' });
const event = (deviceId: string): PlatformEvent => ({ name: 'telemetry', payload: { deviceIds: [deviceId] } });

/**
 * The durable relay's lease is a session advisory lock on its listening connection: of two
 * instances exactly one reads, and when its connection is lost the other one takes over from the
 * stored cursor, so every event is handled once.
 */
describe('durable outbox relay: one reader across instances, handed over with the connection', () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  const relays: OutboxRelay[] = [];
  const got: Array<{ by: number; deviceId: string }> = [];

  /** Backends holding the consumer's lease now. */
  const leaseHolders = async (): Promise<number[]> =>
    (
      await db.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid::int = hashtext('airfleet-outbox:test-consumer')`,
      )
    ).rows.map((r) => r.pid);

  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 2; i += 1) {
      const pool = createPool(db.url, log, 4);
      pools.push(pool);
      const relay = createOutboxRelay({
        pool,
        log,
        durable: 'test-consumer',
        pollIntervalMs: 100,
        deliver: (evs) => {
          for (const e of evs) if (e.name === 'telemetry') got.push({ by: i, deviceId: e.payload.deviceIds[0]! });
        },
      });
      relays.push(relay);
      await relay.start();
    }
  });
  afterAll(async () => {
    for (const r of relays) await r.stop();
    for (const p of pools) await p.end();
    await db.drop();
  });

  it('exactly one instance leads and delivers', async () => {
    expect(relays.every((r) => r.listening)).toBe(true);
    expect(await leaseHolders()).toHaveLength(1);
    await appendOutbox(db.pool, [event('A-1'), event('A-2')]);
    await waitFor(() => got.length === 2, 'both events delivered');
    expect(new Set(got.map((g) => g.by)).size).toBe(1);
  });

  it('when the leader loses its listening connection, the other takes over and nothing is delivered twice', async () => {
    const leader = got[0]!.by;
    const [pid] = await leaseHolders();
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    // The other instance's poll takes the lease; the old leader reconnects as a follower.
    await waitFor(async () => {
      const holders = await leaseHolders();
      return holders.length === 1 && holders[0] !== pid;
    }, 'a new lease holder');
    await waitFor(() => relays[leader]!.listening, 'the old leader listening again', 5_000);
    await appendOutbox(db.pool, [event('B-1')]);
    await appendOutbox(db.pool, [event('B-2')]);
    await waitFor(() => got.length === 4, 'the events after the handover delivered');
    for (const r of relays) await r.drain();
    expect(got.map((g) => g.deviceId)).toEqual(['A-1', 'A-2', 'B-1', 'B-2']);
    expect(got.slice(2).every((g) => g.by === 1 - leader)).toBe(true);
    expect(await leaseHolders()).toHaveLength(1);
  });
});
