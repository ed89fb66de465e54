import type pg from 'pg';
import { detectBucketFlavour } from '../repositories/telemetry-query.repository.ts';
import { deleteInBatches, type RetentionPolicy } from '../retention/retention.repository.ts';
import { ROLLUP_LEVELS, type RollupLevel } from './rollup-levels.ts';

const DAY_MS = 86_400_000;

/**
 * Retention of the stored history levels (the retention job runs these with the others): on plain
 * PostgreSQL bounded DELETEs by bucket time (the tables are small: a row per device and 5 minutes
 * or hour), on TimescaleDB drop_chunks on the continuous aggregate. Raw samples are not here: the
 * telemetry partition job drops them a day at a time.
 */
export function historyRetentionPolicies(days: Record<RollupLevel['name'], number>): RetentionPolicy[] {
  return ROLLUP_LEVELS.filter((level) => days[level.name] > 0).map((level) => ({
    name: `${level.table}.age`,
    table: level.table,
    describe: `${level.name} history buckets older than ${days[level.name]} days`,
    async run(db: pg.Pool, nowMs: number, batch: number, progress) {
      const before = new Date(nowMs - days[level.name] * DAY_MS);
      if ((await detectBucketFlavour(db)) === 'timescale') {
        const { rows } = await db.query(`SELECT drop_chunks($1::regclass, older_than => $2::timestamptz)`, [level.table, before]);
        return rows.length;
      }
      return deleteInBatches(db, level.table, `SELECT ctid FROM ${level.table} WHERE bucket < $2 LIMIT $1`, [before], batch, progress);
    },
  }));
}
