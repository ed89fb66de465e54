import type pg from 'pg';
import type { Notification, NotificationKind, NotificationPreferences, NotificationRef, NotificationsQuery, NotificationStatus, Role, Severity, User } from '@airfleet/contracts';
import type { RecipientUser } from './notification-policy.domain.ts';

type Db = pg.Pool | pg.PoolClient;

export interface NewNotification {
  kind: NotificationKind;
  severity: Severity;
  channel: 'email' | 'webhook';
  status: NotificationStatus;
  userId: string | null;
  webhookId: string | null;
  recipient: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  deviceId: string | null;
  customerId: string | null;
  ref: NotificationRef | null;
  escalationLevel: number;
  dedupeKey: string | null;
  lastError: string | null;
  createdAtMs: number;
}

/** A claimed row, with what the worker needs to deliver it. */
export interface DueNotification {
  id: string;
  kind: NotificationKind;
  channel: 'email' | 'webhook';
  attempts: number;
  recipient: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  webhookId: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
  webhookActive: boolean;
}

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  severity: Severity;
  channel: 'email' | 'webhook';
  status: NotificationStatus;
  user_id: string | null;
  webhook_id: string | null;
  recipient: string;
  subject: string;
  device_id: string | null;
  customer_id: string | null;
  ref_type: NotificationRef['type'] | null;
  ref_id: string | null;
  escalation_level: number;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const COLUMNS = `n.id::text AS id, n.kind, n.severity, n.channel, n.status, n.user_id, n.webhook_id::text AS webhook_id, n.recipient, n.subject, n.device_id,
  n.customer_id, n.ref_type, n.ref_id, n.escalation_level, n.attempts, n.next_attempt_at, n.last_error, n.created_at, n.sent_at`;

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    channel: r.channel,
    status: r.status,
    subject: r.subject,
    userId: r.user_id,
    userEmail: r.channel === 'email' ? r.recipient : null,
    webhookId: r.webhook_id,
    webhookUrl: r.channel === 'webhook' ? r.recipient : null,
    deviceId: r.device_id,
    customerId: r.customer_id,
    ref: r.ref_type && r.ref_id ? { type: r.ref_type, id: r.ref_id } : null,
    escalationLevel: r.escalation_level,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at && (r.status === 'pending' || r.status === 'failed') ? r.next_attempt_at.toISOString() : null,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
  };
}

interface PrefsRow {
  kinds: string[];
  min_severity: Severity;
  email_enabled: boolean;
  delivery: 'immediate' | 'digest';
  digest_hour_utc: number;
}

function toPreferences(r: PrefsRow): NotificationPreferences {
  return {
    kinds: r.kinds as NotificationPreferences['kinds'],
    minSeverity: r.min_severity,
    emailEnabled: r.email_enabled,
    delivery: r.delivery,
    digestHourUtc: r.digest_hour_utc,
  };
}

export function createNotificationsRepository(pool: pg.Pool) {
  return {
    /** Every user with saved preferences (null = role defaults); a fleet has tens of users, not millions. */
    async recipients(db: Db = pool): Promise<RecipientUser[]> {
      const { rows } = await db.query<{ id: string; email: string; name: string; role: Role; customer_id: string | null; locale: User['locale']; disabled: boolean } & Partial<PrefsRow> & { has_prefs: boolean }>(
        `SELECT u.id, u.email, u.name, u.role, u.customer_id, u.locale, u.disabled, p.user_id IS NOT NULL AS has_prefs,
                p.kinds, p.min_severity, p.email_enabled, p.delivery, p.digest_hour_utc
           FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id
          ORDER BY u.email`,
      );
      return rows.map((r) => ({
        id: r.id,
        email: r.email,
        name: r.name,
        role: r.role,
        customerId: r.customer_id,
        locale: r.locale,
        disabled: r.disabled,
        preferences: r.has_prefs ? toPreferences(r as PrefsRow) : null,
      }));
    },

    async preferences(userId: string, db: Db = pool): Promise<NotificationPreferences | null> {
      const { rows } = await db.query<PrefsRow>(
        'SELECT kinds, min_severity, email_enabled, delivery, digest_hour_utc FROM notification_preferences WHERE user_id = $1',
        [userId],
      );
      return rows[0] ? toPreferences(rows[0]) : null;
    },

    async savePreferences(userId: string, p: NotificationPreferences, nowMs: number, db: Db = pool): Promise<void> {
      await db.query(
        `INSERT INTO notification_preferences (user_id, kinds, min_severity, email_enabled, delivery, digest_hour_utc, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET kinds = EXCLUDED.kinds, min_severity = EXCLUDED.min_severity,
           email_enabled = EXCLUDED.email_enabled, delivery = EXCLUDED.delivery, digest_hour_utc = EXCLUDED.digest_hour_utc,
           updated_at = EXCLUDED.updated_at`,
        [userId, [...new Set(p.kinds)], p.minSeverity, p.emailEnabled, p.delivery, p.digestHourUtc, new Date(nowMs)],
      );
    },

    /** Inserts what is new; a row whose (dedupe key, recipient) exists is skipped. Returns each item's new id, or null for a duplicate. */
    async insert(items: readonly NewNotification[], db: Db = pool): Promise<Array<string | null>> {
      const ids: Array<string | null> = [];
      for (const n of items) {
        const recipientKey = n.channel === 'email' ? `user:${n.userId}` : `webhook:${n.webhookId}`;
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO notifications (kind, severity, channel, status, user_id, webhook_id, recipient_key, recipient, subject, body,
             payload, device_id, customer_id, ref_type, ref_id, escalation_level, dedupe_key, last_error, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
           ON CONFLICT (dedupe_key, recipient_key) WHERE dedupe_key IS NOT NULL DO NOTHING
           RETURNING id::text AS id`,
          [
            n.kind, n.severity, n.channel, n.status, n.userId, n.webhookId, recipientKey, n.recipient, n.subject, n.body,
            JSON.stringify(n.payload), n.deviceId, n.customerId, n.ref?.type ?? null, n.ref?.id ?? null, n.escalationLevel,
            n.dedupeKey, n.lastError, new Date(n.createdAtMs),
          ],
        );
        ids.push(rows[0]?.id ?? null);
      }
      return ids;
    },

    /**
     * Claims up to `limit` due rows: counts the attempt and pushes next_attempt_at out by the
     * lease, in one short transaction (FOR UPDATE SKIP LOCKED, so several workers never take
     * the same row). Delivery happens after the commit; if the process dies mid-delivery the
     * lease runs out and the row is delivered again — at-least-once, never lost.
     */
    async claimDue(nowMs: number, leaseMs: number, limit: number, onlyId?: string): Promise<DueNotification[]> {
      const { rows } = await pool.query<{
        id: string; kind: NotificationKind; channel: 'email' | 'webhook'; attempts: number; recipient: string; subject: string;
        body: string; payload: Record<string, unknown>; webhook_id: string | null; url: string | null; secret: string | null; active: boolean | null;
      }>(
        `WITH due AS (
           SELECT id FROM notifications
            WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1 AND ($4::bigint IS NULL OR id = $4::bigint)
            ORDER BY next_attempt_at, id
            LIMIT $3
            FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = $2
             FROM due WHERE n.id = due.id
           RETURNING n.id, n.kind, n.channel, n.attempts, n.recipient, n.subject, n.body, n.payload, n.webhook_id
         )
         SELECT c.id::text AS id, c.kind, c.channel, c.attempts, c.recipient, c.subject, c.body, c.payload, c.webhook_id::text AS webhook_id,
                w.url, w.secret, (w.enabled AND w.deleted_at IS NULL) AS active
           FROM claimed c LEFT JOIN webhooks w ON w.id = c.webhook_id
          ORDER BY c.id`,
        [new Date(nowMs), new Date(nowMs + leaseMs), limit, onlyId ?? null],
      );
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        channel: r.channel,
        attempts: r.attempts,
        recipient: r.recipient,
        subject: r.subject,
        body: r.body,
        payload: r.payload,
        webhookId: r.webhook_id,
        webhookUrl: r.url,
        webhookSecret: r.secret,
        webhookActive: r.active === true,
      }));
    },

    /**
     * Final or interim result of a delivery. A digest mail's result is also the result of
     * every notification folded into it.
     */
    async markResult(id: string, result: { status: NotificationStatus; error: string | null; nextAttemptAtMs: number | null; nowMs: number }, db: Db = pool): Promise<void> {
      const sentAt = result.status === 'sent' ? new Date(result.nowMs) : null;
      const next = result.nextAttemptAtMs === null ? null : new Date(result.nextAttemptAtMs);
      await db.query(`UPDATE notifications SET status = $2, last_error = $3, next_attempt_at = $4, sent_at = COALESCE($5, sent_at) WHERE id = $1`, [id, result.status, result.error, next, sentAt]);
      if (result.status === 'sent' || result.status === 'dead' || result.status === 'skipped') {
        await db.query(
          `UPDATE notifications SET status = $2, sent_at = $3, last_error = $4 WHERE digest_id = $1`,
          [id, result.status, sentAt, result.status === 'sent' ? null : `digest ${id}: ${result.error ?? result.status}`],
        );
      }
    },

    /** Queue again now, with a fresh attempt budget (admin retry of a dead or skipped one). */
    async requeue(id: string, nowMs: number): Promise<Notification | null> {
      const { rows } = await pool.query<NotificationRow>(
        `UPDATE notifications n SET status = 'pending', attempts = 0, next_attempt_at = $2
          WHERE id = $1 AND status IN ('failed', 'dead', 'skipped')
         RETURNING ${COLUMNS}`,
        [id, new Date(nowMs)],
      );
      return rows[0] ? toNotification(rows[0]) : null;
    },

    /** The row a deduplicated insert collided with. */
    async findByDedupe(dedupeKey: string, recipientKey: string, db: Db = pool): Promise<Notification | null> {
      const { rows } = await db.query<NotificationRow>(`SELECT ${COLUMNS} FROM notifications n WHERE n.dedupe_key = $1 AND n.recipient_key = $2`, [dedupeKey, recipientKey]);
      return rows[0] ? toNotification(rows[0]) : null;
    },

    async findById(id: string, db: Db = pool): Promise<Notification | null> {
      const { rows } = await db.query<NotificationRow>(`SELECT ${COLUMNS} FROM notifications n WHERE n.id = $1`, [id]);
      return rows[0] ? toNotification(rows[0]) : null;
    },

    /** The log, newest first. `ownUserId` restricts to one user's own notifications. */
    async list(q: NotificationsQuery, ownUserId: string | null): Promise<{ items: Notification[]; total: number }> {
      const where: string[] = [];
      const args: unknown[] = [];
      const add = (sql: string, v: unknown): void => {
        args.push(v);
        where.push(sql.replace('?', `$${args.length}`));
      };
      if (ownUserId) add('n.user_id = ?', ownUserId);
      else if (q.userId) add('n.user_id = ?', q.userId);
      if (q.status) add('n.status = ?', q.status);
      if (q.kind) add('n.kind = ?', q.kind);
      if (q.channel) add('n.channel = ?', q.channel);
      if (q.deviceId) add('n.device_id = ?', q.deviceId);
      const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM notifications n ${w}`, args);
      const { rows } = await pool.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notifications n ${w} ORDER BY n.created_at DESC, n.id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
        [...args, q.limit, q.offset],
      );
      return { items: rows.map(toNotification), total: Number(total.rows[0]?.n ?? 0) };
    },

    /** Users with notifications waiting for a digest, and the oldest one's time. */
    async digestQueues(): Promise<Array<{ userId: string; oldestMs: number }>> {
      const { rows } = await pool.query<{ user_id: string; oldest: Date }>(
        `SELECT user_id, min(created_at) AS oldest FROM notifications
          WHERE status = 'digest_queued' AND digest_id IS NULL GROUP BY user_id`,
      );
      return rows.map((r) => ({ userId: r.user_id, oldestMs: r.oldest.getTime() }));
    },

    /** Locks one user's queued notifications (inside the digest transaction). */
    async lockDigestQueue(userId: string, db: Db): Promise<Array<{ id: string; subject: string; severity: Severity; createdAtMs: number; url: string | null }>> {
      const { rows } = await db.query<{ id: string; subject: string; severity: Severity; created_at: Date; url: string | null }>(
        `SELECT id::text AS id, subject, severity, created_at, payload->>'url' AS url FROM notifications
          WHERE user_id = $1 AND status = 'digest_queued' AND digest_id IS NULL
          ORDER BY created_at FOR UPDATE SKIP LOCKED`,
        [userId],
      );
      return rows.map((r) => ({ id: r.id, subject: r.subject, severity: r.severity, createdAtMs: r.created_at.getTime(), url: r.url }));
    },

    async attachToDigest(ids: readonly string[], digestId: string, db: Db): Promise<void> {
      await db.query('UPDATE notifications SET digest_id = $2 WHERE id = ANY($1::bigint[])', [ids, digestId]);
    },
  };
}
export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
