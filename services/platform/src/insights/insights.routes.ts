import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { engagementResponseSchema, errorBodySchema } from '@airfleet/contracts';
import { engagementInsight } from './engagement.domain.ts';
import type { EngagementRecorder } from './engagement.recorder.ts';
import type { EngagementRepository } from './engagement.repository.ts';

export interface InsightsRoutesOptions {
  engagement: EngagementRepository;
  recorder: EngagementRecorder;
  clock: () => number;
}

/** Mounted at /api. Admin only: the figures name customers and count their people's activity. */
export const insightsRoutes: FastifyPluginAsyncZod<InsightsRoutesOptions> = async (app, { engagement, recorder, clock }) => {
  app.addHook('onRequest', app.requireRole('admin'));

  app.get(
    '/insights/engagement',
    {
      schema: {
        tags: ['insights'],
        summary: 'Engagement: weekly active users, customers that became users, dormant customers, most used features',
        security: [{ sessionCookie: [] }],
        response: { 200: engagementResponseSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async () => {
      // Events buffered a moment ago belong in the answer.
      await recorder.flush();
      const now = clock();
      const [aggregates, customers] = await Promise.all([engagement.aggregates(now), engagement.customers(now)]);
      return engagementInsight(aggregates, customers, now);
    },
  );
};
