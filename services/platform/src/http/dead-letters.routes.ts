import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deadLetterCountsQuerySchema, deadLetterCountsResponseSchema, deadLettersQuerySchema, deadLettersResponseSchema, errorBodySchema } from '@airfleet/contracts';
import type { DeadLettersRepository } from '../repositories/dead-letters.repository.ts';

export interface DeadLettersRoutesOptions {
  deadLetters: DeadLettersRepository;
  clock?: () => number;
}

/** Mounted at /api. Raw device payloads may hold anything: admins only. */
export const deadLettersRoutes: FastifyPluginAsyncZod<DeadLettersRoutesOptions> = async (app, { deadLetters, clock = Date.now }) => {
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

  app.get(
    '/dead-letters/counts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Dead letters per device (or topic) and reason over the last hours: refused, stored in full, only counted',
        description:
          'A device that floods bad payloads has only its first few dead letters per window stored (the list above); ' +
          'every one is counted here, so "device X sent 48,211 bad payloads in the last hour, 600 kept" stays visible.',
        security: [{ sessionCookie: [] }],
        querystring: deadLetterCountsQuerySchema,
        response: { 200: deadLetterCountsResponseSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => deadLetters.counts(request.query, clock()),
  );
};
