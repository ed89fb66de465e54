import type pg from 'pg';
import type { DeadLetter, DeadLetterCount, DeadLetterReason } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

export interface DeadLetterCountsFilter {
  deviceId?: string;
  reason?: DeadLetterReason;
  hours: number;
  limit: number;
}

export interface DeadLetterCounts {
  from: string;
  to: string;
  items: DeadLetterCount[];
  totals: { received: number; kept: number; dropped: number };
}

export interface DeadLetterFilter {
  deviceId?: string;
  reason?: DeadLetterReason;
  limit: number;
  offset: number;
}

interface DeadLetterRow {
  id: string;
  received_at: Date;
  topic: string;
  device_id: string | null;
  reason: DeadLetterReason;
  detail: string;
  payload: string;
  payload_bytes: number;
}

/** Read side of `dead_letters` and `dead_letter_counts` (ingest writes them). */
export function createDeadLettersRepository(pool: pg.Pool) {
  return {
    /** Newest first; `id` breaks ties within one millisecond so paging is stable. */
    async list(filter: DeadLetterFilter, db: Db = pool): Promise<{ items: DeadLetter[]; total: number }> {
      const where = `WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR reason = $2)`;
      const params = [filter.deviceId ?? null, filter.reason ?? null];
      const [page, count] = await Promise.all([
        db.query<DeadLetterRow>(
          `SELECT id::text AS id, received_at, topic, device_id, reason, detail, payload, payload_bytes
             FROM dead_letters ${where}
            ORDER BY received_at DESC, id DESC
            LIMIT $3 OFFSET $4`,
          [...params, filter.limit, filter.offset],
        ),
        db.query<{ total: number }>(`SELECT count(*)::int AS total FROM dead_letters ${where}`, params),
      ]);
      return {
        items: page.rows.map((r) => ({
          id: r.id,
          receivedAt: r.received_at.toISOString(),
          topic: r.topic,
          deviceId: r.device_id,
          reason: r.reason,
          detail: r.detail,
          payload: r.payload,
          payloadBytes: r.payload_bytes,
        })),
        total: count.rows[0]?.total ?? 0,
      };
    },

    /**
     * Per source and reason over the last `hours` (by sampling window): refused, stored, only
     * counted. Windows that started before `from` but reach into it count whole.
     */
    async counts(filter: DeadLetterCountsFilter, nowMs: number, db: Db = pool): Promise<DeadLetterCounts> {
      const from = new Date(nowMs - filter.hours * 3_600_000);
      const { rows } = await db.query<{
        source: string; device_id: string | null; reason: DeadLetterReason; kept: string; dropped: string; first_window: Date; last_at: Date;
        all_kept: string; all_dropped: string;
      }>(
        `WITH c AS (
           SELECT source, reason, max(device_id) AS device_id, sum(kept) AS kept, sum(dropped) AS dropped, min(window_start) AS first_window, max(last_at) AS last_at
             FROM dead_letter_counts
            -- By window (indexed); a window is at most a day long (DEAD_LETTER_WINDOW_S), so one
            -- that started a day before "from" may still reach into the range.
            WHERE window_start >= $1::timestamptz - INTERVAL '1 day' AND last_at >= $1 AND ($2::text IS NULL OR device_id = $2) AND ($3::text IS NULL OR reason = $3)
            GROUP BY source, reason)
         SELECT c.*, sum(c.kept) OVER () AS all_kept, sum(c.dropped) OVER () AS all_dropped
           FROM c ORDER BY c.kept + c.dropped DESC, c.source, c.reason
          LIMIT $4`,
        [from, filter.deviceId ?? null, filter.reason ?? null, filter.limit],
      );
      const kept = Number(rows[0]?.all_kept ?? 0);
      const dropped = Number(rows[0]?.all_dropped ?? 0);
      return {
        from: from.toISOString(),
        to: new Date(nowMs).toISOString(),
        items: rows.map((r) => ({
          source: r.source,
          deviceId: r.device_id,
          reason: r.reason,
          received: Number(r.kept) + Number(r.dropped),
          kept: Number(r.kept),
          dropped: Number(r.dropped),
          firstWindowAt: r.first_window.toISOString(),
          lastAt: r.last_at.toISOString(),
        })),
        totals: { received: kept + dropped, kept, dropped },
      };
    },
  };
}
export type DeadLettersRepository = ReturnType<typeof createDeadLettersRepository>;
