import type pg from 'pg';
import type { CreateWebhookBody, CreateWebhookResponse, Notification, NotificationPreferencesResponse, NotificationsQuery, UpdateNotificationPreferencesBody, Webhook } from '@airfleet/contracts';
import { newToken } from '@airfleet/runtime';
import type { SessionUser } from '../auth/session.ts';
import { NotFoundError, NotRetryableError, UnknownCustomerError } from '../http/errors.catalogue.ts';
import { defaultPreferences } from './notification-policy.domain.ts';
import type { NotificationsRuntime } from './notifications.runtime.ts';

export interface NotificationsServiceDeps {
  pool: pg.Pool;
  runtime: Pick<NotificationsRuntime, 'notifications' | 'webhooks' | 'emailAvailable' | 'retry' | 'testWebhook'>;
  digestHourUtc: number;
  clock?: () => number;
}

/** The people's side of notifications: own preferences, the log, webhook endpoints (admins). */
export function createNotificationsService(deps: NotificationsServiceDeps) {
  const clock = deps.clock ?? Date.now;
  const { notifications, webhooks } = deps.runtime;

  return {
    async preferences(user: SessionUser): Promise<NotificationPreferencesResponse> {
      const saved = await notifications.preferences(user.id);
      return { preferences: saved ?? defaultPreferences(user.role, deps.digestHourUtc), isDefault: saved === null, emailAvailable: deps.runtime.emailAvailable };
    },

    async savePreferences(user: SessionUser, body: UpdateNotificationPreferencesBody): Promise<NotificationPreferencesResponse> {
      await notifications.savePreferences(user.id, body, clock());
      return this.preferences(user);
    },

    /** Admins read the whole log (filters apply); everyone else only their own notifications. */
    async list(query: NotificationsQuery, user: SessionUser): Promise<{ items: Notification[]; total: number }> {
      return notifications.list(query, user.role === 'admin' ? null : user.id);
    },

    async retry(id: string): Promise<Notification> {
      const current = await notifications.findById(id);
      if (!current) throw new NotFoundError(`notification ${id}`);
      const after = await deps.runtime.retry(id);
      if (!after) throw new NotRetryableError(`notification ${id} is ${current.status}; only failed, dead or skipped ones can be retried`);
      return after;
    },

    listWebhooks: (): Promise<Webhook[]> => webhooks.list(),

    async createWebhook(body: CreateWebhookBody, user: SessionUser): Promise<CreateWebhookResponse> {
      if (body.customerId) {
        const { rowCount } = await deps.pool.query('SELECT 1 FROM customers WHERE id = $1', [body.customerId]);
        if (!rowCount) throw new UnknownCustomerError(body.customerId);
      }
      // 256 random bits unless the receiver brought its own secret.
      const secret = body.secret ?? `whsec_${newToken(32)}`;
      const id = await webhooks.create({ url: body.url, description: body.description ?? null, secret, kinds: body.kinds, customerId: body.customerId, enabled: body.enabled, createdBy: user.id }, clock());
      const webhook = await webhooks.findById(id);
      return { webhook: webhook!, secret };
    },

    async deleteWebhook(id: string): Promise<void> {
      if (!(await webhooks.remove(id, clock()))) throw new NotFoundError(`webhook ${id}`);
    },

    async testWebhook(id: string): Promise<Notification> {
      const webhook = await webhooks.findById(id);
      if (!webhook) throw new NotFoundError(`webhook ${id}`);
      const row = await deps.runtime.testWebhook(id, webhook.url);
      if (!row) throw new NotFoundError(`webhook ${id}`);
      return row;
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
