import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { ROLES, type Role } from '@airfleet/contracts';
import { ForbiddenError, UnauthenticatedError } from '../http/errors.catalogue.ts';
import type { AuthService } from './auth.service.ts';
import { SESSION_COOKIE, type SessionUser } from './session.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user once an auth hook ran on this request, else null. */
    user: SessionUser | null;
  }
  interface FastifyInstance {
    /**
     * An onRequest hook: 401 without a live session, 403 when the user's role is not listed.
     * It runs before body/query validation so anonymous callers learn nothing about the API.
     */
    requireRole(...roles: Role[]): onRequestAsyncHookHandler;
    /** Any signed-in user. */
    requireUser(): onRequestAsyncHookHandler;
  }
}

export interface AuthPluginOptions {
  auth: AuthService;
}

/**
 * Session-cookie authentication (cross-cutting, so fastify-plugin-wrapped: the decorators
 * are visible to every feature plugin). Authorisation stays with the routes: each feature
 * plugin declares which roles it admits.
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app, { auth }) => {
    await app.register(fastifyCookie);
    app.decorateRequest('user', null);

    // Both the plugin-level and a route-level hook may ask; hit the database once per request.
    const resolved = new WeakMap<FastifyRequest, Promise<SessionUser | null>>();
    const resolveUser = (request: FastifyRequest): Promise<SessionUser | null> => {
      let pending = resolved.get(request);
      if (!pending) {
        const token = request.cookies[SESSION_COOKIE];
        pending = token ? auth.authenticate(token) : Promise.resolve(null);
        resolved.set(request, pending);
      }
      return pending;
    };

    const requireRole = (...roles: Role[]): onRequestAsyncHookHandler => {
      const allowed = new Set<Role>(roles);
      return async (request) => {
        const user = await resolveUser(request);
        if (!user) throw new UnauthenticatedError('authentication required');
        request.user = user;
        if (!allowed.has(user.role)) throw new ForbiddenError(`role ${user.role} may not do this`);
      };
    };
    app.decorate('requireRole', requireRole);
    app.decorate('requireUser', () => requireRole(...ROLES));
  },
  { name: 'airfleet-auth', fastify: '5.x' },
);

/** For handlers behind requireRole/requireUser: the hook guarantees a user. */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new UnauthenticatedError('authentication required');
  return request.user;
}
