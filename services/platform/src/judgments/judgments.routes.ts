import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createJudgmentBodySchema,
  deviceJudgmentsQuerySchema,
  deviceParamsSchema,
  errorBodySchema,
  judgmentFeedbackBodySchema,
  judgmentFeedbackSchema,
  judgmentParamsSchema,
  judgmentsResponseSchema,
  storedJudgmentSchema,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import type { JudgmentsService } from './judgments.service.ts';

export interface JudgmentsRoutesOptions {
  judgments: JudgmentsService;
}

const security = [{ sessionCookie: [] }];
const readErrors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/** Mounted at /api. Reads are scoped to the caller's customer (404 outside it). */
export const judgmentsRoutes: FastifyPluginAsyncZod<JudgmentsRoutesOptions> = async (app, { judgments }) => {
  app.addHook('onRequest', app.requireUser());

  app.get(
    '/devices/:id/judgments',
    {
      schema: {
        tags: ['judgments'],
        summary: "A device's judgments, newest first, with delivery status, the device's answer and people's ratings",
        security,
        params: deviceParamsSchema,
        querystring: deviceJudgmentsQuerySchema,
        response: { 200: judgmentsResponseSchema, ...readErrors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { items, total } = await judgments.list(request.params.id, request.query, customerScopeOf(user), user.id);
      return { items, total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.post(
    '/devices/:id/judgments',
    {
      onRequest: app.requireRole('admin', 'service'),
      schema: {
        tags: ['judgments'],
        summary: 'Make a judgment by hand (e.g. service_reset after a service); it supersedes an open one of the same kind',
        security,
        params: deviceParamsSchema,
        body: createJudgmentBodySchema,
        response: { 201: storedJudgmentSchema, ...readErrors, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const created = await judgments.createJudgment(judgments.fromBody(request.params.id, request.body, user.id, customerScopeOf(user)));
      request.log.info({ deviceId: request.params.id, judgmentId: created.judgment.id, kind: created.judgment.kind }, 'judgment created by hand');
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/judgments/:id',
    {
      schema: { tags: ['judgments'], summary: 'One judgment', security, params: judgmentParamsSchema, response: { 200: storedJudgmentSchema, ...readErrors } },
    },
    async (request) => {
      const user = currentUser(request);
      return judgments.get(request.params.id, customerScopeOf(user), user.id);
    },
  );

  app.post(
    '/judgments/:id/feedback',
    {
      schema: {
        tags: ['judgments'],
        summary: 'Rate a judgment as useful or not (one rating per person, updatable)',
        security,
        params: judgmentParamsSchema,
        body: judgmentFeedbackBodySchema,
        response: { 200: judgmentFeedbackSchema, ...readErrors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return judgments.feedback(request.params.id, user.id, request.body, customerScopeOf(user));
    },
  );
};
