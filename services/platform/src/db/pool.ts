import pg from 'pg';
import type { Logger } from 'pino';

// Return int8 (bigint) as JS numbers: counters and ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Server-side limits of every connection of a pool, sent in the startup packet (so they hold
 * from the first statement, with no extra round trip per connection). 0 or unset = none.
 */
export interface PoolTimeouts {
  /** `statement_timeout`: PostgreSQL cancels a statement running longer (SQLSTATE 57014). */
  statementTimeoutMs?: number;
  /**
   * `idle_in_transaction_session_timeout`: a connection left idle inside an open transaction this
   * long is closed by the server, which ends the transaction. Such a transaction would hold its
   * locks and its snapshot: vacuum could not clean behind it and the outbox relays (which read
   * only below the oldest running transaction) would stall.
   */
  idleInTransactionTimeoutMs?: number;
  /** Names the pool in its log lines (api, jobs, ingest). */
  name?: string;
}

export function createPool(connectionString: string, log: Logger, max = 10, timeouts: PoolTimeouts = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    ...(timeouts.statementTimeoutMs ? { statement_timeout: timeouts.statementTimeoutMs } : {}),
    ...(timeouts.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs } : {}),
  });
  const plog = timeouts.name ? log.child({ pool: timeouts.name }) : log;
  // Without this handler an idle client's error (e.g. the database restarting) kills the process.
  pool.on('error', (err) => plog.warn({ err: err.message }, 'idle database connection failed'));
  // A checked-out client whose server goes away emits 'error' besides failing its query; without a
  // listener that is an uncaught exception. The query's rejection is what callers handle.
  pool.on('connect', (client) => client.on('error', (err) => plog.warn({ err: err.message }, 'database connection lost')));
  return pool;
}

/** Waits until the database answers, logging each retry so a slow start is visible. */
export async function waitForDatabase(pool: pg.Pool, log: Logger, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      log.info({ attempt, err: (err as Error).message }, 'waiting for database');
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * attempt)));
    }
  }
}

export async function hasTimescale(pool: pg.Pool): Promise<boolean> {
  const { rowCount } = await pool.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return (rowCount ?? 0) > 0;
}
