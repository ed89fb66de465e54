import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createDeviceBodySchema,
  deviceParamsSchema,
  deviceSchema,
  devicesQuerySchema,
  devicesResponseSchema,
  deviceWithTokenSchema,
  errorBodySchema,
  rotatedTokenSchema,
  telemetryQuerySchema,
  telemetrySeriesSchema,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import type { DevicesRepository } from '../repositories/devices.repository.ts';
import type { DevicesService } from './devices.service.ts';
import { NotFoundError } from './errors.catalogue.ts';
import type { TelemetryService } from './telemetry.service.ts';

export interface DevicesRoutesOptions {
  devices: DevicesRepository;
  provisioning: DevicesService;
  telemetry: TelemetryService;
}

const security = [{ sessionCookie: [] }];
const readErrors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };
const adminErrors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };

/**
 * Mounted at /api. Every read goes through the caller's customer scope: a customer user
 * gets 404, not 403, for another customer's device, so ids cannot be probed.
 */
export const devicesRoutes: FastifyPluginAsyncZod<DevicesRoutesOptions> = async (app, { devices, provisioning, telemetry }) => {
  app.addHook('onRequest', app.requireUser());

  app.get(
    '/devices',
    {
      schema: {
        tags: ['devices'],
        summary: 'Compressors with latest values and online state; filter, sort, page',
        security,
        querystring: devicesQuerySchema,
        response: { 200: devicesResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => {
      const { items, total } = await devices.list(request.query, customerScopeOf(currentUser(request)));
      return { items, total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.get(
    '/devices/:id',
    {
      schema: {
        tags: ['devices'],
        summary: 'One compressor',
        security,
        params: deviceParamsSchema,
        response: { 200: deviceSchema, ...readErrors },
      },
    },
    async (request) => {
      const device = await devices.findById(request.params.id, customerScopeOf(currentUser(request)));
      if (!device) throw new NotFoundError(`device ${request.params.id}`);
      return device;
    },
  );

  app.get(
    '/devices/:id/telemetry',
    {
      schema: {
        tags: ['telemetry'],
        summary: 'Bucketed telemetry: at most maxPoints buckets over [from, to) with avg/min/max per metric',
        description:
          'from/to are epoch ms or ISO 8601 (default: the last 24 h). The bucket width is the smallest of 1 s, 2 s, 5 s, 10 s, 15 s, ' +
          '30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, 1, 2, 7, 14, 30 d that yields at most maxPoints epoch-aligned buckets. ' +
          'Buckets without samples are omitted. Widths of 5 minutes and more are answered from stored 5-minute and hourly ' +
          'aggregates (count, sum, min, max per metric) and raw samples where those are not whole or not yet stored: the same ' +
          'figures as bucketing every sample.',
        security,
        params: deviceParamsSchema,
        querystring: telemetryQuerySchema,
        response: { 200: telemetrySeriesSchema, ...readErrors },
      },
      // The series is built by typed code from the database rows; re-validating tens of thousands
      // of numbers against the schema on every chart read cost more than the query itself. The
      // schema still documents the answer (OpenAPI) and the tests parse answers with it.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => telemetry.series(request.params.id, customerScopeOf(currentUser(request)), request.query),
  );

  app.post(
    '/devices',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['devices'],
        summary: 'Provision a compressor; the MQTT token is returned once',
        security,
        body: createDeviceBodySchema,
        response: { 201: deviceWithTokenSchema, ...adminErrors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request, reply) => {
      const created = await provisioning.create(request.body);
      request.log.info({ deviceId: created.device.id }, 'device provisioned');
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/devices/:id/token',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['devices'],
        summary: 'Rotate the MQTT token; the old one stops working, the new one is returned once',
        security,
        params: deviceParamsSchema,
        response: { 200: rotatedTokenSchema, ...adminErrors, 404: errorBodySchema },
      },
    },
    async (request) => {
      const rotated = await provisioning.rotateToken(request.params.id);
      request.log.info({ deviceId: rotated.deviceId }, 'device token rotated');
      return rotated;
    },
  );
};
