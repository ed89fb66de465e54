import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from '../auth/session.ts';

/**
 * OpenAPI generated from the same zod schemas that validate requests (contracts package),
 * so the document cannot drift from the code. Must be registered before the routes:
 * @fastify/swagger collects them in an onRoute hook.
 */
export const swaggerPlugin = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'AirFleet platform API',
          description: 'Fleet, telemetry and administration API. Authenticate with POST /api/auth/login; the session cookie does the rest.',
          version: '1.0.0',
        },
        tags: [
          { name: 'auth', description: 'Sessions' },
          { name: 'catalogue', description: 'Compressor models and sites' },
          { name: 'devices', description: 'Compressors, their latest values and provisioning' },
          { name: 'telemetry', description: 'Bucketed time series for charts' },
          { name: 'admin', description: 'Operations data for administrators' },
          { name: 'ops', description: 'Health, readiness and metrics' },
        ],
        components: {
          securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
        },
      },
      // Also hides the Swagger UI's own routes (they carry schema.hide).
      transform: jsonSchemaTransform,
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'airfleet-swagger', fastify: '5.x' },
);
