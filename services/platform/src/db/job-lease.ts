import type pg from 'pg';

/** What a job run under a lease returned, or that another instance held the lease. */
export type Exclusive<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `fn` only if no other process is running the job `name` now: a session advisory lock on
 * `hashtext('airfleet-job:<name>')`, taken with pg_try_advisory_lock on a connection of its own
 * and held while `fn` runs (fn does its work on other connections of the pool; no transaction
 * stays open meanwhile). Whoever does not get the lock skips this round: `{ ran: false }`.
 * Several platform instances run the same timers; with this, each job body runs on one of them
 * at a time. If the lock's connection dies during a run the lock is gone too, and another
 * instance may start the job while this one finishes: job bodies stay idempotent (they are).
 */
export async function runExclusive<T>(pool: pg.Pool, name: string, fn: () => Promise<T>): Promise<Exclusive<T>> {
  const key = `airfleet-job:${name}`;
  const client = await pool.connect();
  // A connection whose lock or unlock failed is closed instead of pooled (that also ends any lock).
  let broken: Error | undefined;
  try {
    const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]).catch((err: Error) => {
      broken = err;
      throw err;
    });
    if (got.rows[0]?.ok !== true) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch((err: Error) => (broken = err));
    }
  } finally {
    client.release(broken);
  }
}
