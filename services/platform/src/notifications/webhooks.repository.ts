import type pg from 'pg';
import type { NotificationKind, NotificationStatus, Webhook } from '@airfleet/contracts';
import type { WebhookTarget } from './notification-policy.domain.ts';

type Db = pg.Pool | pg.PoolClient;

interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  kinds: NotificationKind[];
  customer_id: string | null;
  enabled: boolean;
  created_at: Date;
  deleted_at: Date | null;
  last_delivery_at: Date | null;
  last_status: NotificationStatus | null;
}

// The secret column is selected only by the delivery worker's claim (notifications.repository.ts).
const COLUMNS = `w.id::text AS id, w.url, w.description, w.kinds, w.customer_id, w.enabled, w.created_at, w.deleted_at,
  last.created_at AS last_delivery_at, last.status AS last_status`;
const LAST_DELIVERY = `LEFT JOIN LATERAL (
  SELECT n.created_at, n.status FROM notifications n WHERE n.webhook_id = w.id ORDER BY n.created_at DESC, n.id DESC LIMIT 1
) last ON true`;

function toWebhook(r: WebhookRow): Webhook {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    kinds: r.kinds,
    customerId: r.customer_id,
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
    lastDeliveryAt: r.last_delivery_at?.toISOString() ?? null,
    lastStatus: r.last_status,
  };
}

export interface NewWebhook {
  url: string;
  description: string | null;
  secret: string;
  kinds: readonly NotificationKind[];
  customerId: string | null;
  enabled: boolean;
  createdBy: string | null;
}

export function createWebhooksRepository(pool: pg.Pool) {
  return {
    async list(db: Db = pool): Promise<Webhook[]> {
      const { rows } = await db.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks w ${LAST_DELIVERY} WHERE w.deleted_at IS NULL ORDER BY w.id`);
      return rows.map(toWebhook);
    },

    /** For fan-out: the live endpoints with their filters (no secrets). */
    async targets(db: Db = pool): Promise<WebhookTarget[]> {
      const { rows } = await db.query<{ id: string; url: string; kinds: NotificationKind[]; customer_id: string | null; enabled: boolean }>(
        'SELECT id::text AS id, url, kinds, customer_id, enabled FROM webhooks WHERE deleted_at IS NULL AND enabled',
      );
      return rows.map((r) => ({ id: r.id, url: r.url, kinds: r.kinds, customerId: r.customer_id, enabled: r.enabled, deleted: false }));
    },

    async findById(id: string, db: Db = pool): Promise<Webhook | null> {
      const { rows } = await db.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks w ${LAST_DELIVERY} WHERE w.id = $1 AND w.deleted_at IS NULL`, [id]);
      return rows[0] ? toWebhook(rows[0]) : null;
    },

    async create(w: NewWebhook, nowMs: number, db: Db = pool): Promise<string> {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO webhooks (url, description, secret, kinds, customer_id, enabled, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [w.url, w.description, w.secret, [...new Set(w.kinds)], w.customerId, w.enabled, w.createdBy, new Date(nowMs)],
      );
      return rows[0]!.id;
    },

    /** Soft delete: the log keeps pointing at it; queued deliveries to it are skipped. */
    async remove(id: string, nowMs: number, db: Db = pool): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE webhooks SET deleted_at = $2, enabled = false WHERE id = $1 AND deleted_at IS NULL', [id, new Date(nowMs)]);
      return (rowCount ?? 0) > 0;
    },
  };
}
export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
