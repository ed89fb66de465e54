import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  errorBodySchema,
  partLookupQuerySchema,
  partLookupResponseSchema,
  partNumberParamsSchema,
  partsSearchQuerySchema,
  partsSearchResponseSchema,
} from '@airfleet/contracts';
import { NotFoundError, RateLimitedError } from '../http/errors.catalogue.ts';
import { createLookupRateLimiter } from './lookup-rate.limiter.ts';
import type { PartsService } from './parts.service.ts';

export interface PartsRoutesOptions {
  parts: PartsService;
  /** Requests per minute per client address (PARTS_RATE_LIMIT_PER_MIN). */
  rateLimitPerMin: number;
  clock?: () => number;
}

/**
 * Mounted at /api. PUBLIC: no login. Answers hold catalogue data only (never cost prices,
 * internal ids or anything about a machine's owner). Rate-limited per client address with
 * an in-memory token bucket; the address is neither stored nor logged: these routes log
 * at warn, so Fastify's per-request lines (which carry the remote address) are not written.
 */
export const partsRoutes: FastifyPluginAsyncZod<PartsRoutesOptions> = async (app, { parts, rateLimitPerMin, clock = Date.now }) => {
  const limiter = createLookupRateLimiter({ perMinute: rateLimitPerMin, clock });
  app.addHook('onRequest', async (request, reply) => {
    const waitMs = limiter.take(request.ip);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      reply.header('retry-after', String(seconds));
      throw new RateLimitedError(`${seconds} s`);
    }
  });

  // Time spent in the platform, for browsers' dev tools and the benchmark (apart from the network).
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    return payload;
  });

  app.get(
    '/parts/search',
    {
      logLevel: 'warn',
      schema: {
        tags: ['parts'],
        summary: 'Public parts lookup: a number typed any way, words in English or Chinese, a model, or a machine serial',
        description:
          'q: a part number with spaces, dashes, dots, full-width digits, a lost leading zero or only its start, or words ' +
          '(typo-tolerant, English or 简体中文). modelId: that model’s BOM and service kits (and q restricted to parts that fit it). ' +
          'serial: the machine’s model, BOM and next due service kit; nothing about its owner. A superseded number resolves to ' +
          'the current part with the chain. No login; rate-limited per client (429 RATE_LIMITED with Retry-After).',
        querystring: partsSearchQuerySchema,
        response: { 200: partsSearchResponseSchema, 400: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { q, modelId, serial, lang, limit } = request.query;
      // A serial answer depends on live service state; catalogue answers may be cached briefly.
      reply.header('cache-control', serial ? 'no-store' : 'public, max-age=300');
      return parts.search({ q, modelId, serial, lang, limit });
    },
  );

  app.get(
    '/parts/:number',
    {
      logLevel: 'warn',
      schema: {
        tags: ['parts'],
        summary: 'One part by number (any spelling); a superseded number answers the current part with the chain',
        params: partNumberParamsSchema,
        querystring: partLookupQuerySchema,
        response: { 200: partLookupResponseSchema, 400: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const hit = await parts.lookup(request.params.number, request.query.lang);
      if (!hit) throw new NotFoundError('part');
      reply.header('cache-control', 'public, max-age=300');
      return hit;
    },
  );
};
