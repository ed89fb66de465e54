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

/**
 * A periodic job that runs on one platform instance at a time: `run` under the lease `name`
 * (runExclusive) every `everyMs`, the first time `firstAfterMs` after start (0: at once). A
 * round that finds the previous one still going here, or the lease held elsewhere, is skipped.
 * `tick` runs a round now (tests, and the timer); `stop` ends the timer and waits for a round in
 * progress.
 */
export function createLeasedTimer<T>(opts: {
  pool: pg.Pool;
  name: string;
  log: { error(obj: object, msg: string): void };
  everyMs: number;
  firstAfterMs?: number;
  run: () => Promise<T>;
  /** Called with what a round returned (and how long it took) when this instance ran it. */
  onRan?: (value: T, ms: number) => void;
}) {
  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  const tick = async (): Promise<boolean> => {
    if (running) return false;
    const t0 = Date.now();
    const round = runExclusive(opts.pool, opts.name, opts.run);
    running = round;
    try {
      const r = await round;
      if (r.ran) opts.onRan?.(r.value, Date.now() - t0);
      return r.ran;
    } catch (err) {
      opts.log.error({ err, job: opts.name }, `${opts.name} run failed`);
      return false;
    } finally {
      running = null;
    }
  };

  return {
    tick,
    start(): void {
      if (opts.everyMs <= 0 || timer) return;
      first = setTimeout(() => void tick(), opts.firstAfterMs ?? 0);
      first.unref();
      timer = setInterval(() => void tick(), opts.everyMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (first) clearTimeout(first);
      if (timer) clearInterval(timer);
      first = null;
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
