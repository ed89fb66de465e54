import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deadLettersQuerySchema, deadLettersResponseSchema, errorBodySchema } from '@airfleet/contracts';
import type { DeadLettersRepository } from '../repositories/dead-letters.repository.ts';

export interface DeadLettersRoutesOptions {
  deadLetters: DeadLettersRepository;
}

/** Mounted at /api. Raw device payloads may hold anything: admins only. */
export const deadLettersRoutes: FastifyPluginAsyncZod<DeadLettersRoutesOptions> = async (app, { deadLetters }) => {
  app.addHook('onRequest', app.requireRole('admin'));

  app.get(
    '/dead-letters',
    {
      schema: {
        tags: ['admin'],
        summary: 'Refused uplink messages with their reason, newest first',
        security: [{ sessionCookie: [] }],
        querystring: deadLettersQuerySchema,
        response: { 200: deadLettersResponseSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => deadLetters.list(request.query),
  );
};
