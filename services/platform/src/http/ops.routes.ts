import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { z } from 'zod';

// Ops bodies are for probes and operators, not for API clients, so they live here rather
// than in @airfleet/contracts.
const healthSchema = z.object({ status: z.literal('ok') });
const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.boolean(), events: z.boolean() }),
});

export interface OpsRoutesOptions {
  pool: pg.Pool;
  metrics: Registry;
  /** events: this instance's outbox relay is listening (it hears what gateways commit). */
  readiness: () => { events: boolean };
  /** A probe that hangs is a failed probe: orchestrators time out at a few seconds. */
  dbTimeoutMs?: number;
}

/**
 * The one query outside a repository: a connectivity probe, not data access. Bounded by a
 * timeout because pool.query waits forever for a connection while the server is down.
 */
async function databaseReachable(pool: pg.Pool, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const probe = pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const opsRoutes: FastifyPluginAsyncZod<OpsRoutesOptions> = async (app, { pool, metrics, readiness, dbTimeoutMs = 2000 }) => {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { tags: ['ops'], summary: 'Liveness: the process serves HTTP', response: { 200: healthSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['ops'],
        summary: 'Readiness: database answers and the outbox relay listens',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const database = await databaseReachable(pool, dbTimeoutMs);
      const events = readiness().events;
      const ready = database && events;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, events } });
    },
  );

  app.get(
    '/metrics',
    { logLevel: 'warn', schema: { tags: ['ops'], summary: 'Prometheus metrics (text exposition format)' } },
    async (_request, reply) => {
      const body = await metrics.metrics();
      return reply.header('content-type', metrics.contentType).send(body);
    },
  );
};
