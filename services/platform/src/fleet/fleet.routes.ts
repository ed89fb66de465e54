import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  deviceHealthResponseSchema,
  deviceParamsSchema,
  errorBodySchema,
  fleetRunBodySchema,
  fleetRunResponseSchema,
  healthQuerySchema,
  siteHealthResponseSchema,
  siteParamsSchema,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import { NotFoundError } from '../http/errors.catalogue.ts';
import type { FleetService } from './fleet.service.ts';

export interface FleetRoutesOptions {
  fleet: FleetService;
}

const security = [{ sessionCookie: [] }];
const readErrors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/** Mounted at /api: the daily fleet job on demand (admin) and health scores (scoped reads). */
export const fleetRoutes: FastifyPluginAsyncZod<FleetRoutesOptions> = async (app, { fleet }) => {
  app.addHook('onRequest', app.requireUser());

  app.post(
    '/fleet/analysis/run',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['fleet'],
        summary: 'Run the daily fleet analysis for a UTC day (default yesterday): peer outliers, set-point advice, health scores',
        security,
        body: fleetRunBodySchema,
        response: { 200: fleetRunResponseSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => fleet.runFleetAnalysis({ day: request.body?.day }),
  );

  app.get(
    '/devices/:id/health',
    {
      schema: {
        tags: ['fleet'],
        summary: "A machine's daily health scores (percent of checks passed), newest first",
        security,
        params: deviceParamsSchema,
        querystring: healthQuerySchema,
        response: { 200: deviceHealthResponseSchema, ...readErrors },
      },
    },
    async (request) => {
      const days = await fleet.deviceHealth(request.params.id, request.query.days, customerScopeOf(currentUser(request)));
      if (!days) throw new NotFoundError(`device ${request.params.id}`);
      return { deviceId: request.params.id, days };
    },
  );

  app.get(
    '/sites/:id/health',
    {
      schema: {
        tags: ['fleet'],
        summary: "A site's daily health score (average of its machines) and each machine's latest score",
        security,
        params: siteParamsSchema,
        querystring: healthQuerySchema,
        response: { 200: siteHealthResponseSchema, ...readErrors },
      },
    },
    async (request) => {
      const found = await fleet.siteHealth(request.params.id, request.query.days, customerScopeOf(currentUser(request)));
      if (!found) throw new NotFoundError(`site ${request.params.id}`);
      return { siteId: request.params.id, ...found };
    },
  );
};
