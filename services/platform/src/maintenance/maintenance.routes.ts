import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deviceIdParamsSchema, deviceMaintenanceSchema, errorBodySchema, maintenanceQuerySchema, serviceHistoryResponseSchema } from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import type { MaintenanceService } from './maintenance.service.ts';

export interface MaintenanceRoutesOptions {
  maintenance: MaintenanceService;
}

const security = [{ sessionCookie: [] }];
const readErrors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/** Mounted at /api. Every signed-in role reads; a customer only their own machines (404 otherwise). */
export const maintenanceRoutes: FastifyPluginAsyncZod<MaintenanceRoutesOptions> = async (app, { maintenance }) => {
  app.addHook('onRequest', app.requireUser());

  app.get(
    '/devices/:id/maintenance',
    {
      schema: {
        tags: ['maintenance'],
        summary: "A machine's maintenance plan: per level last service, next due by hours and date, predicted date, overdue/due-soon, kit; condition tasks",
        security,
        params: deviceIdParamsSchema,
        querystring: maintenanceQuerySchema,
        response: { 200: deviceMaintenanceSchema, ...readErrors },
      },
    },
    async (request) => maintenance.planFor(request.params.id, customerScopeOf(currentUser(request)), { days: request.query.horizonDays, hours: request.query.horizonHours }),
  );

  app.get(
    '/devices/:id/service-history',
    {
      schema: {
        tags: ['maintenance'],
        summary: "A machine's service history: completed work orders and recorded services, newest first",
        security,
        params: deviceIdParamsSchema,
        response: { 200: serviceHistoryResponseSchema, ...readErrors },
      },
    },
    async (request) => maintenance.history(request.params.id, customerScopeOf(currentUser(request))),
  );
};
