import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  cancelWorkOrderBodySchema,
  completeWorkOrderBodySchema,
  createWorkOrderBodySchema,
  errorBodySchema,
  patchWorkOrderBodySchema,
  scheduleWorkOrderBodySchema,
  workOrderDetailSchema,
  workOrderParamsSchema,
  workOrdersQuerySchema,
  workOrdersResponseSchema,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import type { WorkOrdersService } from './work-orders.service.ts';

export interface WorkOrdersRoutesOptions {
  workOrders: WorkOrdersService;
}

const security = [{ sessionCookie: [] }];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const mutationErrors = { ...errors, 409: errorBodySchema, 422: errorBodySchema };

/**
 * Work orders, mounted at /api. Who may do what:
 *
 * | route                                   | admin | service                         | operator | customer               |
 * |-----------------------------------------|-------|---------------------------------|----------|------------------------|
 * | GET /work-orders, /work-orders/{id}     | all   | all                             | all      | own machines only (404) |
 * | POST /work-orders, PATCH, /schedule     | yes   | yes                             | 403      | 403                    |
 * | /cancel                                 | yes   | yes                             | 403      | 403                    |
 * | /start, /complete                       | yes   | only when scheduled to them (403) | 403      | 403                    |
 *
 * The technician rule keeps the record true: who completed a service is who was sent.
 * Invalid lifecycle steps answer 409 INVALID_TRANSITION; every change writes an audit row.
 */
export const workOrdersRoutes: FastifyPluginAsyncZod<WorkOrdersRoutesOptions> = async (app, { workOrders }) => {
  app.addHook('onRequest', app.requireUser());
  const planners = app.requireRole('admin', 'service');

  app.get(
    '/work-orders',
    { schema: { tags: ['work-orders'], summary: 'Work orders, newest first', security, querystring: workOrdersQuerySchema, response: { 200: workOrdersResponseSchema, ...errors } } },
    async (request) => {
      const { items, total } = await workOrders.list(request.query, customerScopeOf(currentUser(request)));
      return { items, total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.get(
    '/work-orders/:id',
    {
      schema: {
        tags: ['work-orders'],
        summary: 'One work order with its audit trail and the device answer to its service_reset',
        security,
        params: workOrderParamsSchema,
        response: { 200: workOrderDetailSchema, ...errors },
      },
    },
    async (request) => workOrders.get(request.params.id, customerScopeOf(currentUser(request))),
  );

  app.post(
    '/work-orders',
    {
      onRequest: planners,
      schema: {
        tags: ['work-orders'],
        summary: 'Create a work order from an inbox item (itemKey) or by hand (deviceId + title)',
        security,
        body: createWorkOrderBodySchema,
        response: { 201: workOrderDetailSchema, ...mutationErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await workOrders.create(request.body, currentUser(request))),
  );

  app.patch(
    '/work-orders/:id',
    {
      onRequest: planners,
      schema: { tags: ['work-orders'], summary: 'Edit title, description, level or parts planned', security, params: workOrderParamsSchema, body: patchWorkOrderBodySchema, response: { 200: workOrderDetailSchema, ...mutationErrors } },
    },
    async (request) => workOrders.update(request.params.id, request.body, currentUser(request)),
  );

  app.post(
    '/work-orders/:id/schedule',
    {
      onRequest: planners,
      schema: { tags: ['work-orders'], summary: 'Schedule (or re-schedule) with a date and a technician', security, params: workOrderParamsSchema, body: scheduleWorkOrderBodySchema, response: { 200: workOrderDetailSchema, ...mutationErrors } },
    },
    async (request) => workOrders.schedule(request.params.id, request.body, currentUser(request)),
  );

  app.post(
    '/work-orders/:id/start',
    {
      onRequest: planners,
      schema: { tags: ['work-orders'], summary: 'Start the work (the scheduled technician, or an admin)', security, params: workOrderParamsSchema, response: { 200: workOrderDetailSchema, ...mutationErrors } },
    },
    async (request) => workOrders.start(request.params.id, currentUser(request)),
  );

  app.post(
    '/work-orders/:id/complete',
    {
      onRequest: planners,
      schema: {
        tags: ['work-orders'],
        summary: 'Complete: record hours, level, parts, notes; the device gets service_reset and its answer shows on the order',
        security,
        params: workOrderParamsSchema,
        body: completeWorkOrderBodySchema,
        response: { 200: workOrderDetailSchema, ...mutationErrors },
      },
    },
    async (request) => workOrders.complete(request.params.id, request.body, currentUser(request)),
  );

  app.post(
    '/work-orders/:id/cancel',
    {
      onRequest: planners,
      schema: { tags: ['work-orders'], summary: 'Cancel with a reason', security, params: workOrderParamsSchema, body: cancelWorkOrderBodySchema, response: { 200: workOrderDetailSchema, ...mutationErrors } },
    },
    async (request) => workOrders.cancel(request.params.id, request.body, currentUser(request)),
  );
};
