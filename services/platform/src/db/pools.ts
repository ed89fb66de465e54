import type pg from 'pg';
import type { Logger } from 'pino';
import { createPool } from './pool.ts';

/** Size and server-side limits of one pool. */
export interface PoolBudget {
  size: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/**
 * Defaults of the three pools (docs/operations.md "Database pools" says why these figures):
 * - api: user requests. 5 s is about 4 × the slowest legitimate statement an API request runs
 *   (a 30-day raw telemetry bucketing at 19 M rows: p95 1.1 s); anything longer is answered
 *   503 QUERY_TIMEOUT instead of holding a connection other users need.
 * - jobs: the platform's timers (rules sweep, fleet analysis, usage rollup, weekly reports,
 *   outbox relays and pruning, notifications). They run unattended over whole fleets and days;
 *   5 min only stops a runaway. Two connections stay held for the relays' LISTEN and each
 *   running job holds one for its lease besides the ones it works on: eight leased jobs may
 *   fire at once, hence 16.
 * - ingest (the gateway's own pool): a batch commit takes milliseconds to a second; 30 s stops a
 *   batch stuck behind a lock, which then fails and is retried with nothing acknowledged.
 * A connection idle inside a transaction is closed after 15 s (api) or 60 s (jobs, ingest: their
 *   transactions interleave statements with work in Node, e.g. a year of one machine integrated).
 */
export const POOL_DEFAULTS = {
  api: { size: 10, statementTimeoutMs: 5_000, idleInTransactionTimeoutMs: 15_000 },
  jobs: { size: 16, statementTimeoutMs: 300_000, idleInTransactionTimeoutMs: 60_000 },
  ingest: { size: 10, statementTimeoutMs: 30_000, idleInTransactionTimeoutMs: 60_000 },
} as const satisfies Record<'api' | 'jobs' | 'ingest', PoolBudget>;

export interface PlatformPools {
  /** HTTP API (and the live channel): short statements, answered to a waiting user. */
  api: pg.Pool;
  /** Everything on a timer or a relay: rules sweeps, jobs, outbox, notifications, start-up sync. */
  jobs: pg.Pool;
  end(): Promise<void>;
}

function poolFor(name: string, databaseUrl: string, log: Logger, b: PoolBudget): pg.Pool {
  return createPool(databaseUrl, log, b.size, { name, statementTimeoutMs: b.statementTimeoutMs, idleInTransactionTimeoutMs: b.idleInTransactionTimeoutMs });
}

/**
 * The platform's two pools. They share nothing but the database: a burst of heavy reports can
 * exhaust the API's connections without delaying a job, and the reverse. The ingest has a third
 * pool in the gateway process (createIngestPool), so it never waits for either.
 */
export function createPools(databaseUrl: string, log: Logger, budgets: { api?: PoolBudget; jobs?: PoolBudget } = {}): PlatformPools {
  const api = poolFor('api', databaseUrl, log, budgets.api ?? POOL_DEFAULTS.api);
  const jobs = poolFor('jobs', databaseUrl, log, budgets.jobs ?? POOL_DEFAULTS.jobs);
  return {
    api,
    jobs,
    async end() {
      await Promise.all([api.end(), jobs.end()]);
    },
  };
}

/** The gateway's pool: ingest batches, credential lookups and its three LISTEN connections. */
export function createIngestPool(databaseUrl: string, log: Logger, budget: PoolBudget = POOL_DEFAULTS.ingest): pg.Pool {
  return poolFor('ingest', databaseUrl, log, budget);
}

/**
 * Logs this process's connection budget beside the server's limit, so an operator sizing
 * `max_connections` for N gateways and M platforms sees both figures in one line; warns when
 * this process alone could take every connection the server has for ordinary users.
 */
export async function logConnectionBudget(pool: pg.Pool, log: Logger, sizes: Record<string, number>): Promise<void> {
  const own = Object.values(sizes).reduce((a, b) => a + b, 0);
  try {
    const { rows } = await pool.query<{ max: number; reserved: number }>(
      `SELECT current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved`,
    );
    const available = rows[0]!.max - rows[0]!.reserved;
    const line = { pools: sizes, connections: own, maxConnections: rows[0]!.max, availableToUsers: available };
    if (own >= available) log.warn(line, 'database pools may take every connection the server allows: raise max_connections or lower the pool sizes');
    else log.info(line, 'database pools');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not read max_connections');
  }
}
