import type pg from 'pg';
import type { Span } from './history-plan.domain.ts';
import { partialsFromRaw, partialsFromRollup, ROLLUP_VALUE_COLUMNS, type RollupLevel } from './rollup-levels.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

/** A late-sample marker: one device's sample times [lo, hi], inclusive. */
export interface DirtySpan extends Span {
  deviceId: string;
}

const INSERT_COLUMNS = ['device_id', 'bucket', ...ROLLUP_VALUE_COLUMNS].join(', ');
const bucketOf = (level: RollupLevel, column: string): string => `date_bin(INTERVAL '${level.ms} milliseconds', ${column}, TIMESTAMPTZ 'epoch')`;

/**
 * What a level's buckets are made of: the finest from raw samples, the hour from 5-minute buckets
 * (12 rows instead of 360 samples each). `dev`, `lo`, `hi` are SQL expressions of the caller.
 */
function sourceSelect(level: RollupLevel, finer: RollupLevel | undefined, dev: string, lo: string, hi: string): string {
  return finer
    ? `SELECT ${bucketOf(level, 'bucket')} AS bucket, ${partialsFromRollup()} FROM ${finer.table} WHERE device_id = ${dev} AND bucket >= ${lo} AND bucket < ${hi} GROUP BY 1`
    : `SELECT ${bucketOf(level, 'ts')} AS bucket, ${partialsFromRaw()} FROM telemetry WHERE device_id = ${dev} AND ts >= ${lo} AND ts < ${hi} GROUP BY 1`;
}

/** Storage of the history rollup on plain PostgreSQL (TimescaleDB: continuous aggregates, refreshed). */
export function createTelemetryRollupRepository(pool: pg.Pool) {
  return {
    /** Every bucket of `level` before this is stored; null before the first run. */
    async storedUpTo(level: RollupLevel, db: Db = pool): Promise<number | null> {
      const { rows } = await db.query<{ upto: number | null }>(`SELECT (extract(epoch FROM upto) * 1000)::float8 AS upto FROM telemetry_rollup_state WHERE level = $1`, [level.name]);
      return rows[0]?.upto ?? null;
    },

    async setStoredUpTo(level: RollupLevel, ms: number, db: Db = pool): Promise<void> {
      await db.query(`UPDATE telemetry_rollup_state SET upto = $2, updated_at = now() WHERE level = $1`, [level.name, new Date(ms)]);
    },

    /** The oldest sample of any registered device: one primary-key probe per device. */
    async oldestSample(db: Db = pool): Promise<number | null> {
      const { rows } = await db.query<{ t: number | null }>(
        `SELECT (extract(epoch FROM min(x.ts)) * 1000)::float8 AS t
           FROM devices d CROSS JOIN LATERAL (SELECT ts FROM telemetry WHERE device_id = d.id ORDER BY ts LIMIT 1) x`,
      );
      return rows[0]?.t ?? null;
    },

    /**
     * Stores the buckets of every device in [fromMs, toMs) (level-aligned, not stored yet): one
     * index range scan per device on the finer source. Returns the rows written.
     */
    async materialise(client: pg.ClientBase, level: RollupLevel, finer: RollupLevel | undefined, fromMs: number, toMs: number): Promise<number> {
      const res = await client.query(
        `INSERT INTO ${level.table} (${INSERT_COLUMNS})
         SELECT d.id, x.* FROM devices d CROSS JOIN LATERAL (${sourceSelect(level, finer, 'd.id', '$1', '$2')}) x`,
        [new Date(fromMs), new Date(toMs)],
      );
      return res.rowCount ?? 0;
    },

    /** Replaces the stored buckets of these (device, level-aligned span) pairs by fresh ones. */
    async recompute(client: pg.ClientBase, level: RollupLevel, finer: RollupLevel | undefined, spans: readonly DirtySpan[]): Promise<number> {
      if (spans.length === 0) return 0;
      const params = [spans.map((s) => s.deviceId), spans.map((s) => new Date(s.lo)), spans.map((s) => new Date(s.hi))];
      await client.query(
        `DELETE FROM ${level.table} t USING unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS r(id, lo, hi)
          WHERE t.device_id = r.id AND t.bucket >= r.lo AND t.bucket < r.hi`,
        params,
      );
      const res = await client.query(
        `INSERT INTO ${level.table} (${INSERT_COLUMNS})
         SELECT r.id, x.* FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS r(id, lo, hi)
         CROSS JOIN LATERAL (${sourceSelect(level, finer, 'r.id', 'r.lo', 'r.hi')}) x`,
        params,
      );
      return res.rowCount ?? 0;
    },

    /**
     * Takes up to `limit` late-sample markers (oldest first) out of the queue, inside the caller's
     * transaction: if the recomputation fails they come back with the rollback.
     */
    async takeDirty(db: Db, limit: number): Promise<DirtySpan[]> {
      const { rows } = await db.query<{ device_id: string; lo: number; hi: number }>(
        `DELETE FROM telemetry_rollup_dirty WHERE id IN (SELECT id FROM telemetry_rollup_dirty ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING device_id, (extract(epoch FROM ts_lo) * 1000)::float8 AS lo, (extract(epoch FROM ts_hi) * 1000)::float8 AS hi`,
        [limit],
      );
      return rows.map((r) => ({ deviceId: r.device_id, lo: r.lo, hi: r.hi }));
    },

    /** TimescaleDB: folds raw rows of [fromMs, toMs) into a continuous aggregate now (outside any transaction). */
    async refreshContinuousAggregate(level: RollupLevel, fromMs: number, toMs: number, db: Db = pool): Promise<void> {
      await db.query(`CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)`, [level.table, new Date(fromMs), new Date(toMs)]);
    },
  };
}
export type TelemetryRollupRepository = ReturnType<typeof createTelemetryRollupRepository>;
