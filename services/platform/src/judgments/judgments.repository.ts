import type pg from 'pg';
import { judgmentSchema, type DeviceJudgmentsQuery, type Judgment, type JudgmentAck, type JudgmentStatus, type StoredJudgment } from '@airfleet/contracts';
import { OPEN_STATUSES, STANDING_STATUSES } from './judgment-policy.domain.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;
export type CustomerScope = string | null;

interface JudgmentRow {
  id: string;
  device_id: string;
  customer_id: string;
  kind: Judgment['kind'];
  severity: Judgment['severity'];
  reason: string;
  params: Record<string, unknown>;
  ts: Date;
  expires_at: Date;
  status: JudgmentStatus;
  status_reason: string | null;
  source: StoredJudgment['source'];
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
  first_sent_at: Date | null;
  last_sent_at: Date | null;
  send_count: number;
  ack_ts: Date | null;
  ack_result: 'applied' | 'rejected' | 'ignored' | null;
  ack_reason: string | null;
  useful: number;
  not_useful: number;
  mine_useful: boolean | null;
  mine_comment: string | null;
}

/** A stored judgment: its wire message plus what is known about its delivery. */
export interface JudgmentRecord {
  deviceId: string;
  customerId: string;
  judgment: Judgment;
  status: JudgmentStatus;
  statusReason: string | null;
  expiresAtMs: number;
  stored: StoredJudgment;
}

export interface NewJudgment {
  judgment: Judgment;
  deviceId: string;
  dedupeKey: string;
  source: StoredJudgment['source'];
  alarmId?: string | null;
  createdBy?: string | null;
}

/** Columns with tenant, author and feedback tallies; `j` may be a CTE of changed rows. $U = the caller's user id. */
const columns = (): string => `
  j.id, j.device_id, s.customer_id, j.kind, j.severity, j.reason, j.params, j.ts, j.expires_at, j.status, j.status_reason,
  j.source, j.created_by, u.name AS created_by_name, j.created_at, j.first_sent_at, j.last_sent_at, j.send_count,
  j.ack_ts, j.ack_result, j.ack_reason,
  (SELECT count(*) FROM judgment_feedback f WHERE f.judgment_id = j.id AND f.useful)::int AS useful,
  (SELECT count(*) FROM judgment_feedback f WHERE f.judgment_id = j.id AND NOT f.useful)::int AS not_useful,
  mine.useful AS mine_useful, mine.comment AS mine_comment`;
const joins = (userParam: string): string => `
  JOIN devices d ON d.id = j.device_id
  JOIN sites s ON s.id = d.site_id
  LEFT JOIN users u ON u.id = j.created_by
  LEFT JOIN judgment_feedback mine ON mine.judgment_id = j.id AND mine.user_id = ${userParam}`;

const returning = (modifying: string, what = '*'): string => `WITH j AS (${modifying} RETURNING ${what}) SELECT ${columns()} FROM j ${joins('NULL::uuid')}`;

function toRecord(r: JudgmentRow): JudgmentRecord {
  // The stored row was validated when it was made; parse again so a bad row fails loudly, not on a device.
  const judgment = judgmentSchema.parse({
    id: r.id,
    ts: r.ts.getTime(),
    kind: r.kind,
    severity: r.severity,
    reason: r.reason,
    params: r.params,
    expiresAt: r.expires_at.getTime(),
  });
  return {
    deviceId: r.device_id,
    customerId: r.customer_id,
    judgment,
    status: r.status,
    statusReason: r.status_reason,
    expiresAtMs: r.expires_at.getTime(),
    stored: {
      deviceId: r.device_id,
      judgment,
      status: r.status,
      statusReason: r.status_reason,
      source: r.source,
      createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
      createdAt: r.created_at.toISOString(),
      firstSentAt: r.first_sent_at?.toISOString() ?? null,
      lastSentAt: r.last_sent_at?.toISOString() ?? null,
      sendCount: r.send_count,
      ack: r.ack_result && r.ack_ts ? { result: r.ack_result, reason: r.ack_reason, ts: r.ack_ts.toISOString() } : null,
      feedback: { useful: r.useful, notUseful: r.not_useful, mine: r.mine_useful === null ? null : { useful: r.mine_useful, comment: r.mine_comment } },
    },
  };
}

export function createJudgmentsRepository(pool: pg.Pool) {
  async function findById(id: string, scope: CustomerScope, userId: string | null = null, db: Db = pool): Promise<JudgmentRecord | null> {
    const { rows } = await db.query<JudgmentRow>(
      `SELECT ${columns()} FROM judgments j ${joins('$3::uuid')} WHERE j.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`,
      [id, scope, userId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  return {
    findById,

    async deviceInScope(deviceId: string, scope: CustomerScope, db: Db = pool): Promise<boolean> {
      const { rowCount } = await db.query(`SELECT 1 FROM devices d JOIN sites s ON s.id = d.site_id WHERE d.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`, [
        deviceId,
        scope,
      ]);
      return (rowCount ?? 0) > 0;
    },

    /** Dedupe keys of this device's judgments of a kind that still stand at `atMs`, newest first. */
    async standingKeys(deviceId: string, kind: string, atMs: number, db: Db = pool): Promise<string[]> {
      const { rows } = await db.query<{ dedupe_key: string }>(
        `SELECT dedupe_key FROM judgments
          WHERE device_id = $1 AND kind = $2 AND status = ANY($3::text[]) AND expires_at > to_timestamp($4 / 1000.0)
          ORDER BY created_at DESC, ts DESC LIMIT 50`,
        [deviceId, kind, STANDING_STATUSES, atMs],
      );
      return rows.map((r) => r.dedupe_key);
    },

    /** Marks the open judgment of this kind superseded (one open judgment per device and kind). */
    async supersedeOpen(deviceId: string, kind: string, db: Db = pool): Promise<JudgmentRecord[]> {
      const { rows } = await db.query<JudgmentRow>(
        returning(`UPDATE judgments SET status = 'expired', status_reason = 'superseded', updated_at = now()
                    WHERE device_id = $1 AND kind = $2 AND status = ANY($3::text[])`),
        [deviceId, kind, OPEN_STATUSES],
      );
      return rows.map(toRecord);
    },

    async insert(n: NewJudgment, db: Db = pool): Promise<JudgmentRecord> {
      const j = n.judgment;
      const { rows } = await db.query<JudgmentRow>(
        returning(`INSERT INTO judgments (id, device_id, kind, severity, reason, params, dedupe_key, source, alarm_id, ts, expires_at, status, created_by)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10 / 1000.0), to_timestamp($11 / 1000.0), 'pending', $12)`),
        [j.id, n.deviceId, j.kind, j.severity, j.reason, JSON.stringify(j.params), n.dedupeKey, n.source, n.alarmId ?? null, j.ts, j.expiresAt, n.createdBy ?? null],
      );
      return toRecord(rows[0]!);
    },

    /** After a successful publish. A device that answered already keeps its answer. */
    async markSent(id: string, atMs: number, db: Db = pool): Promise<JudgmentRecord | null> {
      const { rows } = await db.query<JudgmentRow>(
        returning(`UPDATE judgments SET status = CASE WHEN status = 'pending' THEN 'sent' ELSE status END,
                          first_sent_at = COALESCE(first_sent_at, to_timestamp($2 / 1000.0)), last_sent_at = to_timestamp($2 / 1000.0),
                          send_count = send_count + 1, updated_at = now()
                    WHERE id = $1`),
        [id, atMs],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },

    /** Applies device acks (first answer wins; a late answer to an expired judgment counts if decided in time). */
    async applyAcks(acks: ReadonlyArray<{ deviceId: string; ack: JudgmentAck }>, db: Db = pool): Promise<JudgmentRecord[]> {
      const first = new Map<string, { deviceId: string; ack: JudgmentAck }>();
      for (const a of acks) {
        const key = `${a.deviceId}|${a.ack.judgmentId}`;
        const cur = first.get(key);
        if (!cur || a.ack.ts < cur.ack.ts) first.set(key, a);
      }
      if (first.size === 0) return [];
      const c: unknown[][] = [[], [], [], [], []];
      for (const { deviceId, ack } of first.values()) {
        c[0]!.push(deviceId);
        c[1]!.push(ack.judgmentId);
        c[2]!.push(ack.ts);
        c[3]!.push(ack.result);
        c[4]!.push(ack.reason ?? null);
      }
      // Mirrors statusAfterAck (judgment-policy.domain.ts) in SQL, so a batch of acks is one statement.
      const { rows } = await db.query<JudgmentRow>(
        returning(`UPDATE judgments t SET
                     status = CASE WHEN t.status IN ('pending', 'sent') THEN u.result
                                   WHEN u.result <> 'ignored' AND to_timestamp(u.ts_ms / 1000.0) <= t.expires_at THEN u.result
                                   ELSE t.status END,
                     ack_ts = to_timestamp(u.ts_ms / 1000.0), ack_result = u.result, ack_reason = u.reason, updated_at = now()
                   FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[]) AS u(device_id, judgment_id, ts_ms, result, reason)
                   WHERE t.id = u.judgment_id AND t.device_id = u.device_id
                     AND (t.status IN ('pending', 'sent') OR (t.status = 'expired' AND t.ack_result IS NULL))`,
          't.*',
        ),
        c,
      );
      return rows.map(toRecord);
    },

    /** Open judgments past their expiry: they are never sent (again) and never count as applied. */
    async expireDue(nowMs: number, db: Db = pool): Promise<JudgmentRecord[]> {
      const { rows } = await db.query<JudgmentRow>(
        returning(`UPDATE judgments SET status = 'expired', status_reason = 'no answer before expiry', updated_at = now()
                    WHERE status = ANY($2::text[]) AND expires_at <= to_timestamp($1 / 1000.0)`),
        [nowMs, OPEN_STATUSES],
      );
      return rows.map(toRecord);
    },

    /** Unanswered, unexpired judgments of one device not sent since `sentBeforeMs` (re-sent when it reconnects). */
    async openForDevice(deviceId: string, nowMs: number, sentBeforeMs: number = nowMs, db: Db = pool): Promise<JudgmentRecord[]> {
      const { rows } = await db.query<JudgmentRow>(
        `SELECT ${columns()} FROM judgments j ${joins('NULL::uuid')}
          WHERE j.device_id = $1 AND j.status = ANY($2::text[]) AND j.expires_at > to_timestamp($3 / 1000.0)
            AND (j.last_sent_at IS NULL OR j.last_sent_at < to_timestamp($4 / 1000.0))
          ORDER BY j.created_at`,
        [deviceId, OPEN_STATUSES, nowMs, sentBeforeMs],
      );
      return rows.map(toRecord);
    },

    /** Never published (publisher was down), or sent long ago without an answer to an online device. */
    async needingSend(nowMs: number, resendAfterMs: number, limit: number, db: Db = pool): Promise<JudgmentRecord[]> {
      const { rows } = await db.query<JudgmentRow>(
        `SELECT ${columns()} FROM judgments j ${joins('NULL::uuid')}
           LEFT JOIN device_status st ON st.device_id = j.device_id
          WHERE j.expires_at > to_timestamp($1 / 1000.0)
            AND (j.status = 'pending'
                 OR (j.status = 'sent' AND st.online AND j.last_sent_at < to_timestamp(($1 - $2) / 1000.0)))
          ORDER BY j.created_at LIMIT $3`,
        [nowMs, resendAfterMs, limit],
      );
      return rows.map(toRecord);
    },

    async list(deviceId: string, query: DeviceJudgmentsQuery, scope: CustomerScope, userId: string | null, db: Db = pool): Promise<{ items: StoredJudgment[]; total: number }> {
      const params: unknown[] = [deviceId, scope, userId];
      const conds = ['j.device_id = $1', '($2::text IS NULL OR s.customer_id = $2)'];
      if (query.status) conds.push(`j.status = $${params.push(query.status)}`);
      if (query.kind) conds.push(`j.kind = $${params.push(query.kind)}`);
      const w = `WHERE ${conds.join(' AND ')}`;
      const [page, count] = await Promise.all([
        db.query<JudgmentRow>(
          `SELECT ${columns()} FROM judgments j ${joins('$3::uuid')} ${w} ORDER BY j.created_at DESC, j.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, query.limit, query.offset],
        ),
        db.query<{ total: number }>(`SELECT count(*)::int AS total FROM judgments j ${joins('$3::uuid')} ${w}`, params),
      ]);
      return { items: page.rows.map((r) => toRecord(r).stored), total: count.rows[0]?.total ?? 0 };
    },

    async upsertFeedback(judgmentId: string, userId: string, useful: boolean, comment: string | null, db: Db = pool) {
      const { rows } = await db.query<{ judgment_id: string; user_id: string; useful: boolean; comment: string | null; created_at: Date; updated_at: Date }>(
        `INSERT INTO judgment_feedback (judgment_id, user_id, useful, comment) VALUES ($1, $2, $3, $4)
         ON CONFLICT (judgment_id, user_id) DO UPDATE SET useful = EXCLUDED.useful, comment = EXCLUDED.comment, updated_at = now()
         RETURNING *`,
        [judgmentId, userId, useful, comment],
      );
      const r = rows[0]!;
      return { judgmentId: r.judgment_id, userId: r.user_id, useful: r.useful, comment: r.comment, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
    },
  };
}
export type JudgmentsRepository = ReturnType<typeof createJudgmentsRepository>;
