import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema, modelsResponseSchema, sitesResponseSchema } from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import type { CatalogueRepository } from '../repositories/catalogue.repository.ts';
import type { SitesRepository } from '../repositories/sites.repository.ts';

export interface CatalogueRoutesOptions {
  catalogue: CatalogueRepository;
  sites: SitesRepository;
}

/** Mounted at /api. Reference data every signed-in user may read; sites are tenant-scoped. */
export const catalogueRoutes: FastifyPluginAsyncZod<CatalogueRoutesOptions> = async (app, { catalogue, sites }) => {
  app.addHook('onRequest', app.requireUser());

  app.get(
    '/models',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Compressor models with rated figures, limits and service plan',
        security: [{ sessionCookie: [] }],
        response: { 200: modelsResponseSchema, 401: errorBodySchema },
      },
    },
    async () => ({ models: await catalogue.listModels() }),
  );

  app.get(
    '/sites',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Sites (a customer user sees only its own)',
        security: [{ sessionCookie: [] }],
        response: { 200: sitesResponseSchema, 401: errorBodySchema },
      },
    },
    async (request) => ({ sites: await sites.list(customerScopeOf(currentUser(request))) }),
  );
};
