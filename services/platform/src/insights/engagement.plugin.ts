import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { interactionOf } from './engagement.domain.ts';
import type { EngagementRecorder } from './engagement.recorder.ts';

export interface EngagementPluginOptions {
  recorder: EngagementRecorder;
  /** Session cookie → user, for public routes where no auth hook ran (a signed-in part lookup). */
  resolveUser: (cookieHeader: string | undefined) => Promise<{ id: string; customerId: string | null } | null>;
}

interface Who {
  id: string;
  customerId: string | null;
}

/**
 * Engagement recording for the whole API from ONE onResponse hook (docs/customer-reports.md §5): the route
 * template, method and a 2xx status decide the interaction, so no feature's code changes.
 * Stored: user, customer, kind, feature, time. Not stored: IP address, user agent, URL or query
 * text. The write happens after the response is sent and is batched by the recorder.
 */
export const engagementPlugin = fp<EngagementPluginOptions>(
  async (app, { recorder, resolveUser }) => {
    // The login route signs the user in but runs no auth hook: take who it was from its own answer.
    const loggedIn = new WeakMap<FastifyRequest, Who>();
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method === 'POST' && request.routeOptions.url === '/api/auth/login' && reply.statusCode === 200 && typeof payload === 'string') {
        try {
          const user = (JSON.parse(payload) as { user?: { id?: unknown; customerId?: unknown } }).user;
          if (typeof user?.id === 'string') loggedIn.set(request, { id: user.id, customerId: typeof user.customerId === 'string' ? user.customerId : null });
        } catch {
          // Not JSON: nothing to record.
        }
      }
      return payload;
    });

    app.addHook('onResponse', async (request, reply) => {
      const contentType = String(reply.getHeader('content-type') ?? '');
      const interaction = interactionOf(request.method, request.routeOptions.url, reply.statusCode, contentType.startsWith('text/csv'));
      if (!interaction) return;
      const known: Who | null = loggedIn.get(request) ?? (request.user ? { id: request.user.id, customerId: request.user.customerId } : null);
      if (known || !request.headers.cookie) {
        recorder.record({ userId: known?.id ?? null, customerId: known?.customerId ?? null, ...interaction });
        return;
      }
      // A public route with a session cookie: resolve it off the request path.
      const atMs = recorder.now();
      recorder.recordWhen(
        resolveUser(request.headers.cookie).then(
          (user) => ({ userId: user?.id ?? null, customerId: user?.customerId ?? null, atMs, ...interaction }),
          (err: unknown) => {
            request.log.warn({ err }, 'engagement: session lookup failed, recorded anonymously');
            return { userId: null, customerId: null, atMs, ...interaction };
          },
        ),
      );
    });

    app.addHook('onClose', async () => {
      await recorder.flush();
    });
  },
  { name: 'airfleet-engagement', fastify: '5.x', dependencies: ['airfleet-auth'] },
);
