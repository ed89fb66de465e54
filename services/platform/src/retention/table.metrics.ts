import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { tableStats, type TableStats } from './table-stats.repository.ts';

/**
 * `airfleet_table_rows{table}` and `airfleet_table_bytes{table}`: what retention keeps in check,
 * read when /metrics is scraped. The figures are cached for `maxAgeMs` (scrapes of several
 * Prometheus servers share one query), and a failed query keeps the last figures instead of
 * failing the scrape.
 */
export function registerTableMetrics(opts: { pool: pg.Pool; registry: Registry; maxAgeMs?: number; clock?: () => number }): { refresh(): Promise<TableStats[]> } {
  const clock = opts.clock ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? 30_000;
  let cached: { atMs: number; stats: Promise<TableStats[]> } | undefined;
  let last: TableStats[] = [];

  const refresh = async (): Promise<TableStats[]> => {
    const stats = tableStats(opts.pool).then(
      (s) => (last = s),
      () => last,
    );
    cached = { atMs: clock(), stats };
    return stats;
  };
  const current = (): Promise<TableStats[]> => (cached && clock() - cached.atMs < maxAgeMs ? cached.stats : refresh());

  new Gauge({
    name: 'airfleet_table_rows',
    help: 'Live rows per table (statistics estimate: pg_stat_user_tables.n_live_tup)',
    labelNames: ['table'],
    registers: [opts.registry],
    async collect() {
      const stats = await current();
      this.reset();
      for (const s of stats) this.set({ table: s.table }, s.rows);
    },
  });
  new Gauge({
    name: 'airfleet_table_bytes',
    help: 'Bytes per table including indexes and TOAST (pg_total_relation_size)',
    labelNames: ['table'],
    registers: [opts.registry],
    async collect() {
      const stats = await current();
      this.reset();
      for (const s of stats) this.set({ table: s.table }, s.bytes);
    },
  });
  return { refresh };
}
