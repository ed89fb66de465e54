import type pg from 'pg';
import { OUTBOX_CHANNEL, type PlatformEvent } from '@airfleet/contracts';

type Db = pg.ClientBase | pg.Pool;

/** A position in the outbox: rows are read in (txid, id) order. */
export interface OutboxPosition {
  txid: string;
  id: string;
}
export const OUTBOX_START: OutboxPosition = { txid: '0', id: '0' };

export interface OutboxRow {
  position: OutboxPosition;
  event: PlatformEvent;
}

/**
 * Appends events in the caller's transaction and wakes the readers. NOTIFY is itself
 * transactional: it is delivered on COMMIT and never for a rolled-back batch.
 */
export async function appendOutbox(db: Db, events: readonly PlatformEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `WITH ins AS (INSERT INTO outbox (event) SELECT unnest($1::jsonb[]) RETURNING 1)
     SELECT pg_notify($2, count(*)::text) FROM ins`,
    [events.map((e) => JSON.stringify(e)), OUTBOX_CHANNEL],
  );
}

/** Rows after `after`, only of transactions older than every one still running (see the migration). */
export async function readOutbox(db: Db, after: OutboxPosition, limit: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<{ txid: string; id: string; event: PlatformEvent }>(
    `SELECT txid::text AS txid, id::text AS id, event FROM outbox
      WHERE (txid, id) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY txid, id LIMIT $3`,
    [after.txid, after.id, limit],
  );
  return rows.map((r) => ({ position: { txid: r.txid, id: r.id }, event: r.event }));
}

/** The newest position every reader could already see: where a live reader starts. */
export async function outboxHead(db: Db): Promise<OutboxPosition> {
  const { rows } = await db.query<{ txid: string; id: string }>(
    `SELECT txid::text AS txid, id::text AS id FROM outbox
      WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY txid DESC, id DESC LIMIT 1`,
  );
  return rows[0] ?? OUTBOX_START;
}

export async function loadCursor(db: Db, consumer: string): Promise<OutboxPosition | null> {
  const { rows } = await db.query<{ txid: string; id: string }>(`SELECT txid::text AS txid, last_id::text AS id FROM outbox_cursors WHERE consumer = $1`, [consumer]);
  return rows[0] ?? null;
}

export async function saveCursor(db: Db, consumer: string, at: OutboxPosition): Promise<void> {
  await db.query(
    `INSERT INTO outbox_cursors (consumer, txid, last_id) VALUES ($1, $2::xid8, $3::bigint)
     ON CONFLICT (consumer) DO UPDATE SET txid = EXCLUDED.txid, last_id = EXCLUDED.last_id, updated_at = now()`,
    [consumer, at.txid, at.id],
  );
}

/**
 * Deletes rows older than `keepMs` that every durable consumer has passed. Live readers are
 * never behind by more than seconds; a durable consumer that stopped for good keeps rows until
 * its cursor row is removed.
 */
export async function pruneOutbox(db: Db, keepMs: number): Promise<number> {
  const res = await db.query(
    `DELETE FROM outbox o
      WHERE o.created_at < now() - make_interval(secs => $1::float8 / 1000)
        AND NOT EXISTS (SELECT 1 FROM outbox_cursors c WHERE (c.txid, c.last_id) < (o.txid, o.id))`,
    [keepMs],
  );
  return res.rowCount ?? 0;
}
