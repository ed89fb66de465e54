import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema, loginBodySchema, meResponseSchema } from '@airfleet/contracts';
import { RateLimitedError, UnauthenticatedError } from '../http/errors.catalogue.ts';
import { currentUser } from './auth.plugin.ts';
import type { AuthService } from './auth.service.ts';
import { SESSION_COOKIE } from './session.ts';

export interface AuthRoutesOptions {
  auth: AuthService;
  cookieSecure: boolean;
  loginRateLimitPerMin: number;
}

/** Mounted at /api/auth. */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { auth, cookieSecure, loginRateLimitPerMin }) => {
  // Registered here, not globally: only login is worth throttling, and the limiter's
  // hooks stay inside this plugin. Keyed per client IP (behind a proxy, set trustProxy).
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.after),
  });

  const cookieOptions = {
    path: '/',
    httpOnly: true,
    // Lax: sent on top-level navigation, not on cross-site POSTs, which blocks login CSRF
    // and cross-site API writes without a token scheme.
    sameSite: 'lax' as const,
    secure: cookieSecure,
  };

  app.post(
    '/login',
    {
      config: { rateLimit: { max: loginRateLimitPerMin, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the httpOnly session cookie',
        body: loginBodySchema,
        response: { 200: meResponseSchema, 400: errorBodySchema, 401: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const result = await auth.login(request.body.email, request.body.password);
      if (!result.ok) {
        request.log.info({ email: request.body.email }, 'login refused');
        throw new UnauthenticatedError('invalid email or password');
      }
      request.log.info({ userId: result.user.id, role: result.user.role }, 'login');
      reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions, maxAge: Math.floor(auth.sessionTtlMs / 1000) });
      return { user: result.user };
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current session (idempotent)',
        response: { 204: z.undefined().describe('signed out') },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    {
      onRequest: app.requireUser(),
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        security: [{ sessionCookie: [] }],
        response: { 200: meResponseSchema, 401: errorBodySchema },
      },
    },
    async (request) => ({ user: currentUser(request) }),
  );
};
