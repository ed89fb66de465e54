import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createRequestBodySchema,
  errorBodySchema,
  requestParamsSchema,
  requestsQuerySchema,
  requestsResponseSchema,
  requestStatusBodySchema,
  serviceRequestSchema,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import type { RequestsService } from './requests.service.ts';

export interface RequestsRoutesOptions {
  requests: RequestsService;
}

const security = [{ sessionCookie: [] }];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

/**
 * Customer requests, mounted at /api.
 *
 * | route                          | admin | service | operator | customer            |
 * |--------------------------------|-------|---------|----------|---------------------|
 * | POST /requests                 | yes   | yes     | 403      | own machines (404)  |
 * | GET  /requests, /requests/{id} | all   | all     | all      | own only (404)      |
 * | POST /requests/{id}/status     | yes   | yes     | 403      | 403                 |
 */
export const requestsRoutes: FastifyPluginAsyncZod<RequestsRoutesOptions> = async (app, { requests }) => {
  app.addHook('onRequest', app.requireUser());

  app.post(
    '/requests',
    {
      onRequest: app.requireRole('admin', 'service', 'customer'),
      schema: {
        tags: ['requests'],
        summary: 'Ask for a service visit or a parts quote for one machine (attach parts or a kit)',
        security,
        body: createRequestBodySchema,
        response: { 201: serviceRequestSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      return reply.code(201).send(await requests.create(request.body, user, customerScopeOf(user)));
    },
  );

  app.get(
    '/requests',
    {
      schema: { tags: ['requests'], summary: 'Requests, newest first (customers: their own)', security, querystring: requestsQuerySchema, response: { 200: requestsResponseSchema, ...errors } },
    },
    async (request) => {
      const { items, total } = await requests.list(request.query, customerScopeOf(currentUser(request)));
      return { items, total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.get(
    '/requests/:id',
    { schema: { tags: ['requests'], summary: 'One request with its status history', security, params: requestParamsSchema, response: { 200: serviceRequestSchema, ...errors } } },
    async (request) => requests.get(request.params.id, customerScopeOf(currentUser(request))),
  );

  app.post(
    '/requests/:id/status',
    {
      onRequest: app.requireRole('admin', 'service'),
      schema: {
        tags: ['requests'],
        summary: 'Move a request on (in_review, quoted, scheduled, closed, rejected) with a note the customer sees',
        security,
        params: requestParamsSchema,
        body: requestStatusBodySchema,
        response: { 200: serviceRequestSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => requests.setStatus(request.params.id, request.body, currentUser(request)),
  );
};
