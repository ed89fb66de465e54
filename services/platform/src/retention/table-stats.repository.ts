import type pg from 'pg';

export interface TableStats {
  table: string;
  /** Live rows as the statistics estimate them (n_live_tup, kept current by autovacuum/ANALYZE): no count(*). */
  rows: number;
  /** Heap, indexes and TOAST (pg_total_relation_size). */
  bytes: number;
}

/**
 * Rows and bytes of every table of the database, from the statistics collector: one cheap
 * catalogue query, whatever the tables' sizes. Partitions are summed under their partitioned
 * table, and inheritance children (TimescaleDB chunks) under their parent, so a table reads as
 * one figure however it is stored.
 */
export async function tableStats(db: pg.Pool): Promise<TableStats[]> {
  const { rows } = await db.query<{ name: string; rows: number; bytes: number }>(
    `SELECT root::regclass::text AS name, sum(n_live_tup)::float8 AS rows, sum(pg_total_relation_size(relid))::float8 AS bytes
       FROM (SELECT s.relid, s.n_live_tup,
                    coalesce(pg_partition_root(s.relid), (SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = s.relid LIMIT 1), s.relid) AS root
               FROM pg_stat_user_tables s) t
      GROUP BY root
      ORDER BY 1`,
  );
  return rows.map((r) => ({ table: r.name, rows: r.rows, bytes: r.bytes }));
}
