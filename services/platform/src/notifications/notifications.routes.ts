import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createWebhookBodySchema,
  createWebhookResponseSchema,
  errorBodySchema,
  notificationParamsSchema,
  notificationPreferencesResponseSchema,
  notificationResponseSchema,
  notificationsQuerySchema,
  notificationsResponseSchema,
  updateNotificationPreferencesBodySchema,
  webhookParamsSchema,
  webhooksResponseSchema,
  webhookTestResponseSchema,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import type { NotificationsService } from './notifications.service.ts';

export interface NotificationsRoutesOptions {
  notifications: NotificationsService;
}

const security = [{ sessionCookie: [] }];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

/**
 * Mounted at /api. Every signed-in user reads and sets their own preferences and reads their
 * own notifications; the whole log, retries and webhook endpoints are for admins.
 */
export const notificationsRoutes: FastifyPluginAsyncZod<NotificationsRoutesOptions> = async (app, { notifications }) => {
  app.addHook('onRequest', app.requireUser());
  const admin = app.requireRole('admin');

  app.get(
    '/notifications/preferences',
    { schema: { tags: ['notifications'], summary: 'My notification preferences (role defaults until saved)', security, response: { 200: notificationPreferencesResponseSchema, 401: errorBodySchema } } },
    async (request) => notifications.preferences(currentUser(request)),
  );

  app.put(
    '/notifications/preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Save my notification preferences',
        description: 'Kinds, minimum severity, email on/off, immediate or daily digest at digestHourUtc. Critical notifications are always immediate.',
        security,
        body: updateNotificationPreferencesBodySchema,
        response: { 200: notificationPreferencesResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => notifications.savePreferences(currentUser(request), request.body),
  );

  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'The notification log, newest first, paged',
        description: 'Admins see every notification (filters status, kind, channel, userId, deviceId); other users see their own.',
        security,
        querystring: notificationsQuerySchema,
        response: { 200: notificationsResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => {
      const { items, total } = await notifications.list(request.query, currentUser(request));
      return { items, total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.post(
    '/notifications/:id/retry',
    {
      onRequest: admin,
      schema: {
        tags: ['notifications'],
        summary: 'Retry a failed, dead or skipped notification now (fresh attempt budget)',
        security,
        params: notificationParamsSchema,
        response: { 200: notificationResponseSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => ({ notification: await notifications.retry(request.params.id) }),
  );

  app.get(
    '/webhooks',
    { onRequest: admin, schema: { tags: ['webhooks'], summary: 'Webhook endpoints (secrets are never returned)', security, response: { 200: webhooksResponseSchema, 401: errorBodySchema, 403: errorBodySchema } } },
    async () => ({ items: await notifications.listWebhooks() }),
  );

  app.post(
    '/webhooks',
    {
      onRequest: admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Add a webhook endpoint; the response shows its signing secret once',
        description: 'Deliveries are POSTs signed with HMAC-SHA256 (X-AirFleet-Signature: t=<unix>,v1=<hex> over "<t>.<body>"); see docs/notifications.md.',
        security,
        body: createWebhookBodySchema,
        response: { 201: createWebhookResponseSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request, reply) => reply.code(201).send(await notifications.createWebhook(request.body, currentUser(request))),
  );

  app.delete(
    '/webhooks/:id',
    { onRequest: admin, schema: { tags: ['webhooks'], summary: 'Remove a webhook endpoint (its log rows stay)', security, params: webhookParamsSchema, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await notifications.deleteWebhook(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/test',
    {
      onRequest: admin,
      schema: { tags: ['webhooks'], summary: 'Send a signed test delivery now; answers its log row', security, params: webhookParamsSchema, response: { 200: webhookTestResponseSchema, ...errors } },
    },
    async (request) => ({ notification: await notifications.testWebhook(request.params.id) }),
  );
};
