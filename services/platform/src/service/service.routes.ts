import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  calendarQuerySchema,
  calendarResponseSchema,
  errorBodySchema,
  inboxAssignBodySchema,
  inboxAssignResponseSchema,
  inboxQuerySchema,
  inboxResponseSchema,
  techniciansResponseSchema,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import type { ServiceService } from './service.service.ts';

export interface ServiceRoutesOptions {
  service: ServiceService;
}

const security = [{ sessionCookie: [] }];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };

/**
 * The service team's desk (inbox and planning calendar), mounted at /api.
 *
 * | route                       | admin | service | operator  | customer |
 * |-----------------------------|-------|---------|-----------|----------|
 * | GET /service/inbox          | yes   | yes     | read-only | 403      |
 * | GET /service/technicians    | yes   | yes     | read-only | 403      |
 * | GET /service/calendar       | yes   | yes     | read-only | 403      |
 * | POST /service/inbox/assign  | yes   | yes     | 403       | 403      |
 *
 * The inbox spans every customer, so a customer never sees it, not even filtered to their own.
 */
export const serviceRoutes: FastifyPluginAsyncZod<ServiceRoutesOptions> = async (app, { service }) => {
  app.addHook('onRequest', app.requireRole('admin', 'service', 'operator'));

  app.get(
    '/service/inbox',
    {
      schema: {
        tags: ['service'],
        summary: 'One prioritised queue: critical alarms > overdue maintenance > condition tasks > major alarms > customer requests > due-soon > fleet inspections',
        security,
        querystring: inboxQuerySchema,
        response: { 200: inboxResponseSchema, ...errors },
      },
    },
    async (request) => service.inbox(request.query),
  );

  app.post(
    '/service/inbox/assign',
    {
      onRequest: app.requireRole('admin', 'service'),
      schema: {
        tags: ['service'],
        summary: 'Assign an inbox item to a technician (null removes the assignment)',
        security,
        body: inboxAssignBodySchema,
        response: { 200: inboxAssignResponseSchema, ...errors, 404: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => service.assign(request.body, currentUser(request)),
  );

  app.get(
    '/service/technicians',
    { schema: { tags: ['service'], summary: 'Users who can be given service work', security, response: { 200: techniciansResponseSchema, ...errors } } },
    async () => ({ items: await service.technicians() }),
  );

  app.get(
    '/service/calendar',
    {
      schema: {
        tags: ['service'],
        summary: 'Due services of the next days (predicted plan dates and scheduled work orders), per technician and site',
        security,
        querystring: calendarQuerySchema,
        response: { 200: calendarResponseSchema, ...errors },
      },
    },
    async (request) => service.calendar(request.query),
  );
};
