import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { alarmCountsQuerySchema, alarmCountsResponseSchema, alarmParamsSchema, alarmSchema, alarmsQuerySchema, alarmsResponseSchema, errorBodySchema } from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import type { AlarmsService } from './alarms.service.ts';

export interface AlarmsRoutesOptions {
  alarms: AlarmsService;
}

const security = [{ sessionCookie: [] }];
const readErrors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };
const actErrors = { ...readErrors, 403: errorBodySchema };

/**
 * Mounted at /api. Everyone signed in reads alarms in their customer scope (another
 * customer's alarm answers 404); operator, service and admin act on them, customers may not (403).
 */
export const alarmsRoutes: FastifyPluginAsyncZod<AlarmsRoutesOptions> = async (app, { alarms }) => {
  app.addHook('onRequest', app.requireUser());

  app.get(
    '/alarms',
    {
      schema: {
        tags: ['alarms'],
        summary: 'Alarms, most urgent first; filter by device, site, state and severity; paged',
        description: 'state: active (default) | cleared | unacknowledged | acknowledged | all.',
        security,
        querystring: alarmsQuerySchema,
        response: { 200: alarmsResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => {
      const { items, total } = await alarms.list(request.query, customerScopeOf(currentUser(request)));
      return { items, total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.get(
    '/alarms/counts',
    {
      schema: {
        tags: ['alarms'],
        summary: 'Alarm counts per device or per site, by severity (default: active alarms)',
        security,
        querystring: alarmCountsQuerySchema,
        response: { 200: alarmCountsResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => alarms.counts(request.query, customerScopeOf(currentUser(request))),
  );

  app.get(
    '/alarms/:id',
    { schema: { tags: ['alarms'], summary: 'One alarm', security, params: alarmParamsSchema, response: { 200: alarmSchema, ...readErrors } } },
    async (request) => alarms.get(request.params.id, customerScopeOf(currentUser(request))),
  );

  app.post(
    '/alarms/:id/ack',
    {
      onRequest: app.requireRole('admin', 'operator', 'service'),
      schema: {
        tags: ['alarms'],
        summary: 'Acknowledge an alarm (idempotent: the first acknowledgement is kept)',
        security,
        params: alarmParamsSchema,
        response: { 200: alarmSchema, ...actErrors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return alarms.acknowledge(request.params.id, user.id, customerScopeOf(user));
    },
  );

  app.post(
    '/alarms/:id/clear',
    {
      onRequest: app.requireRole('admin', 'operator', 'service'),
      schema: {
        tags: ['alarms'],
        summary: 'Clear an alarm by hand (idempotent)',
        description: 'If the condition still holds, the rule raises it again only after it has ended and returned.',
        security,
        params: alarmParamsSchema,
        response: { 200: alarmSchema, ...actErrors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return alarms.clear(request.params.id, user.id, customerScopeOf(user));
    },
  );
};
