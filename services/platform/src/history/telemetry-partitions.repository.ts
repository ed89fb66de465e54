import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';

/** One daily partition of telemetry (plain PostgreSQL), or the legacy/default ones. */
export interface TelemetryPartition {
  name: string;
  /** [fromMs, toMs); null bounds for the DEFAULT partition. */
  fromMs: number | null;
  toMs: number | null;
}

const DAY_MS = 86_400_000;
const dayName = (dayMs: number): string => `telemetry_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;

/** Whether `telemetry` is a partitioned table (plain PostgreSQL after the partitioning migration). */
export async function isPartitioned(db: pg.Pool | pg.ClientBase): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'telemetry'::regclass`);
  return rows.length > 0;
}

/** Partition maintenance of `telemetry` on plain PostgreSQL: daily partitions ahead, whole days dropped at retention. */
export function createTelemetryPartitionsRepository(pool: pg.Pool) {
  const repo = {
    async list(db: pg.Pool | pg.ClientBase = pool): Promise<TelemetryPartition[]> {
      const { rows } = await db.query<{ name: string; lo: number | null; hi: number | null }>(
        `SELECT c.relname AS name,
                (extract(epoch FROM (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz) * 1000)::float8 AS lo,
                (extract(epoch FROM (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz) * 1000)::float8 AS hi
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'telemetry'::regclass
          ORDER BY lo NULLS LAST`,
      );
      return rows.map((r) => ({ name: r.name, fromMs: r.lo, toMs: r.hi }));
    },

    /**
     * Creates the partition of the UTC day starting at `dayMs`. Rows that arrived for that day
     * while it had none (in the DEFAULT partition) move into it in the same transaction, since
     * PostgreSQL refuses a partition whose rows sit in the default one.
     */
    async createDay(dayMs: number): Promise<{ name: string; moved: number }> {
      const name = dayName(dayMs);
      const from = new Date(dayMs).toISOString();
      const to = new Date(dayMs + DAY_MS).toISOString();
      return withTransaction(pool, async (client) => {
        await client.query(`CREATE TABLE ${name} (LIKE telemetry INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        const moved = await client.query(
          `WITH m AS (DELETE FROM telemetry_default WHERE ts >= $1 AND ts < $2 RETURNING *) INSERT INTO ${name} SELECT * FROM m`,
          [from, to],
        );
        await client.query(`ALTER TABLE telemetry ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
        return { name, moved: moved.rowCount ?? 0 };
      });
    },

    /**
     * Makes sure every UTC day touching [fromMs, toMs) has its partition (for the days the ingest
     * may write to, and for loading history); returns what it created. No-op on an unpartitioned table.
     */
    async ensureDays(fromMs: number, toMs: number): Promise<Array<{ name: string; moved: number }>> {
      if (!(await isPartitioned(pool))) return [];
      const existing = await repo.list();
      const covered = (dayMs: number): boolean => existing.some((p) => p.fromMs !== null && p.toMs !== null && p.fromMs <= dayMs && dayMs < p.toMs);
      const made: Array<{ name: string; moved: number }> = [];
      for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
        if (!covered(day)) made.push(await repo.createDay(day));
      }
      return made;
    },

    /**
     * Drops a partition. That takes the parent's ACCESS EXCLUSIVE lock for a moment (DETACH …
     * CONCURRENTLY is not possible beside a DEFAULT partition), so it waits at most `lockTimeoutMs`
     * for the ingest's running transactions and gives up otherwise (the next run tries again),
     * rather than making the ingest queue behind it.
     */
    async drop(name: string, lockTimeoutMs = 2000): Promise<void> {
      if (!/^telemetry_(p\d{8}|legacy)$/.test(name)) throw new Error(`not a telemetry partition: ${name}`);
      await withTransaction(pool, async (client) => {
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
        await client.query(`DROP TABLE ${name}`);
      });
    },
  };
  return repo;
}
export type TelemetryPartitionsRepository = ReturnType<typeof createTelemetryPartitionsRepository>;

