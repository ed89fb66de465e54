import type pg from 'pg';
import type { DeadLetter, DeadLetterReason } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

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

/** Read side of `dead_letters` (ingest writes them). */
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
  };
}
export type DeadLettersRepository = ReturnType<typeof createDeadLettersRepository>;
