import type pg from 'pg';
import { DEFAULT_RETENTION, HOUR_MS, cutoffMs, type RetentionSettings } from './retention.domain.ts';

/**
 * One retention rule: which table it trims and how. `run` deletes what is past its age in
 * statements of at most `batch` rows (short locks, small WAL bursts), reports each statement's
 * count through `progress`, and returns the total. It stops between statements once `stopping()`
 * says so (shutdown); what it left is taken on the next run. Runs must be idempotent: a second
 * run right after the first deletes nothing.
 */
export interface RetentionPolicy {
  /** Stable name: the metric label and the log field (`<table>.<rule>`). */
  name: string;
  table: string;
  /** What it deletes, for the log and the docs. */
  describe: string;
  run(db: pg.Pool, nowMs: number, batch: number, progress?: RetentionProgress): Promise<number>;
}

export interface RetentionProgress {
  /** Called after each statement with the rows it deleted. */
  deleted(rows: number): void;
  /** True once the job is being stopped: the policy returns after its current statement. */
  stopping(): boolean;
}

/**
 * Deletes the rows `select` picks (a SELECT of ctid … LIMIT $1, further parameters from $2), one
 * bounded statement at a time, until a statement deletes fewer than `batch`. Each statement is its
 * own short transaction: row locks are held for one batch, and WAL comes in batch-sized pieces that
 * autovacuum and replicas keep up with. Rows are addressed by ctid so that tables without a single
 * id column work the same; a row updated between the SELECT and the DELETE of one statement is
 * left for the next run.
 */
export async function deleteInBatches(db: pg.Pool, table: string, select: string, params: unknown[], batch: number, progress?: RetentionProgress): Promise<number> {
  const sql = `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(${select}))`;
  let total = 0;
  for (;;) {
    const { rowCount } = await db.query(sql, [batch, ...params]);
    const n = rowCount ?? 0;
    total += n;
    if (n > 0) progress?.deleted(n);
    if (n < batch || progress?.stopping()) return total;
  }
}

/** A policy that deletes the rows of `table` whose `column` is older than `days`. */
function byAge(opts: { name: string; table: string; column: string; days: number; describe: string; where?: string }): RetentionPolicy {
  return {
    name: opts.name,
    table: opts.table,
    describe: opts.describe,
    async run(db, nowMs, batch, progress) {
      const before = cutoffMs(nowMs, opts.days);
      if (before === null) return 0;
      const select = `SELECT ctid FROM ${opts.table} WHERE ${opts.column} < to_timestamp($2 / 1000.0)${opts.where ? ` AND ${opts.where}` : ''} LIMIT $1`;
      return deleteInBatches(db, opts.table, select, [before], batch, progress);
    },
  };
}

/**
 * Keeps the newest `keep` dead letters of every device (and of those without a device, as one
 * group), whatever their age. The devices over the cap are found by walking the
 * (device_id, received_at) index one device at a time (a loose index scan: one probe per device,
 * never a count of the table).
 */
function deadLettersPerDeviceCap(keep: number): RetentionPolicy {
  return {
    name: 'dead_letters.per_device',
    table: 'dead_letters',
    describe: `all but the newest ${keep} dead letters of each device`,
    async run(db, _nowMs, batch, progress) {
      if (keep <= 0) return 0;
      const { rows } = await db.query<{ device_id: string | null }>(
        `WITH RECURSIVE d AS (
           SELECT min(device_id) AS id FROM dead_letters
           UNION ALL
           SELECT (SELECT min(device_id) FROM dead_letters WHERE device_id > d.id) FROM d WHERE d.id IS NOT NULL)
         SELECT id AS device_id FROM d
          WHERE id IS NOT NULL
            AND EXISTS (SELECT 1 FROM dead_letters x WHERE x.device_id = d.id ORDER BY x.received_at DESC OFFSET $1 LIMIT 1)
         UNION ALL
         SELECT NULL WHERE EXISTS (SELECT 1 FROM dead_letters x WHERE x.device_id IS NULL ORDER BY x.received_at DESC OFFSET $1 LIMIT 1)`,
        [keep],
      );
      let total = 0;
      for (const { device_id: deviceId } of rows) {
        const select = `SELECT ctid FROM dead_letters WHERE device_id IS NOT DISTINCT FROM $2::text ORDER BY received_at DESC, id DESC OFFSET $3 LIMIT $1`;
        total += await deleteInBatches(db, 'dead_letters', select, [deviceId, keep], batch, progress);
        if (progress?.stopping()) break;
      }
      return total;
    },
  };
}

/**
 * The retention policies, in the order the job runs them. Telemetry and its aggregates are not
 * here: their storage has its own retention (partitions or chunks dropped whole), added beside
 * these as further policies.
 *
 * Not here on purpose: service_audit (an audit trail is kept), alarms, judgments, work orders
 * and service requests (a machine's history, small), notification_escalations (one row per
 * critical alarm, kept with its alarm), the outbox (its own pruning job keeps a day).
 */
export function retentionPolicies(settings: RetentionSettings = DEFAULT_RETENTION): RetentionPolicy[] {
  const s = settings;
  return [
    byAge({ name: 'dead_letters.age', table: 'dead_letters', column: 'received_at', days: s.deadLettersDays, describe: `dead letters older than ${s.deadLettersDays} days` }),
    deadLettersPerDeviceCap(s.deadLettersPerDevice),
    byAge({
      name: 'dead_letter_counts.age',
      table: 'dead_letter_counts',
      column: 'window_start',
      days: s.deadLettersDays,
      describe: `dead-letter counts of windows older than ${s.deadLettersDays} days`,
    }),
    {
      name: 'sessions.expired',
      table: 'sessions',
      describe: `sessions expired more than ${s.sessionsExpiredHours} h ago`,
      run: (db, nowMs, batch, progress) =>
        deleteInBatches(db, 'sessions', 'SELECT ctid FROM sessions WHERE expires_at <= to_timestamp($2 / 1000.0) LIMIT $1', [nowMs - s.sessionsExpiredHours * HOUR_MS], batch, progress),
    },
    // Only finished deliveries: a row still to send (or queued for a digest) is work, not log.
    byAge({
      name: 'notifications.age',
      table: 'notifications',
      column: 'created_at',
      days: s.notificationsDays,
      where: `status IN ('sent', 'dead', 'skipped')`,
      describe: `delivered, given-up and skipped notifications older than ${s.notificationsDays} days`,
    }),
    byAge({ name: 'engagement_events.age', table: 'engagement_events', column: 'at', days: s.engagementDays, describe: `engagement events older than ${s.engagementDays} days` }),
    byAge({ name: 'device_events.age', table: 'device_events', column: 'ts', days: s.deviceEventsDays, describe: `device events older than ${s.deviceEventsDays} days` }),
    byAge({ name: 'device_acks.age', table: 'device_acks', column: 'ts', days: s.deviceAcksDays, describe: `judgment acknowledgements older than ${s.deviceAcksDays} days` }),
  ];
}
