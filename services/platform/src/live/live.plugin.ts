import fastifyWebsocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { WebSocket } from 'ws';
import { LIVE_CLOSE_CODES, LIVE_PATH, liveClientMessageSchema } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import { currentUser } from '../auth/auth.plugin.ts';
import { authenticateSessionCookie, customerScopeOf } from '../auth/session.ts';
import type { PlatformEvents } from '../events/platform-events.ts';
import { ForbiddenError } from '../http/errors.catalogue.ts';
import { createDeviceDirectory } from './device-directory.ts';
import { createDeviceDirectoryRepository } from './device-directory.repository.ts';
import { DEFAULT_LIVE_LIMITS, type LiveConnection, type LiveLimits } from './live-connection.ts';
import { createLiveHub, type LiveHub } from './live-hub.ts';
import { createLiveMetrics } from './live.metrics.ts';

export interface LivePluginOptions {
  pool: pg.Pool;
  events: PlatformEvents;
  metrics: Registry;
  log: Logger;
  clock: () => number;
  limits?: Partial<LiveLimits>;
  /** Ping period; a client that misses a pong is terminated, and sessions are re-checked every other ping. */
  heartbeatMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The live channel's hub (tests read connection stats from it). */
    live: LiveHub;
  }
}

/** Client → server frames are tiny (a subscribe list); anything larger is abuse. */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/**
 * Refuses cross-site WebSocket handshakes (CSWSH): a browser always sends Origin on a
 * WebSocket upgrade, and SameSite cookies are no guarantee across all deployments.
 * Non-browser clients send no Origin and authenticate by cookie like anyone else.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * The dashboard's live channel (`/live`). Registered before the HTTP routes (fastify-plugin,
 * so @fastify/websocket sees every route and closes upgrades aimed at non-WebSocket routes).
 * The upgrade is authenticated by the same session cookie and hook as the HTTP API: no
 * session, no socket (401 before the handshake completes).
 */
export const livePlugin = fp<LivePluginOptions>(
  async (app, { pool, events, metrics: registry, log, clock, limits: overrides, heartbeatMs = 30_000 }) => {
    await app.register(fastifyWebsocket, { options: { maxPayload: MAX_CLIENT_FRAME_BYTES } });
    const limits: LiveLimits = { ...DEFAULT_LIVE_LIMITS, ...overrides };
    const metrics = createLiveMetrics(registry);
    const directory = createDeviceDirectory({ repo: createDeviceDirectoryRepository(pool), clock, log });
    const hub = createLiveHub({ events, directory, limits, clock, log, metrics });
    app.decorate('live', hub);

    interface Tracked {
      connection: LiveConnection;
      cookie: string | undefined;
      alive: boolean;
    }
    const sockets = new Map<WebSocket, Tracked>();
    let beats = 0;
    const heartbeat = setInterval(() => {
      beats += 1;
      const recheck = beats % 2 === 0;
      for (const [socket, tracked] of sockets) {
        if (!tracked.alive) {
          metrics.dropped.inc({ reason: 'no_pong' });
          socket.terminate();
          continue;
        }
        tracked.alive = false;
        socket.ping();
        if (recheck) {
          // Logout or expiry ends the socket too, not only the next HTTP request.
          void authenticateSessionCookie(pool, tracked.cookie, clock()).then(
            (user) => {
              if (user) return;
              metrics.dropped.inc({ reason: 'session_ended' });
              tracked.connection.close(LIVE_CLOSE_CODES.sessionEnded, 'session ended');
            },
            (err: unknown) => log.warn({ err }, 'live: session re-check failed'),
          );
        }
      }
    }, heartbeatMs);
    heartbeat.unref();

    app.addHook('onClose', async () => {
      clearInterval(heartbeat);
      hub.close();
    });

    const requireUser = app.requireUser();
    app.get(
      LIVE_PATH,
      {
        websocket: true,
        schema: { hide: true },
        onRequest: [
          requireUser,
          async (request) => {
            if (!sameOrigin(request)) throw new ForbiddenError('cross-origin WebSocket refused');
            // The first connection must not see an empty directory (it would drop everything).
            if (directory.size === 0) await directory.reload();
          },
        ],
      },
      (socket, request) => {
        const user = currentUser(request);
        const scope = customerScopeOf(user);
        const connection = hub.add(socket, scope);
        const tracked: Tracked = { connection, cookie: request.headers.cookie, alive: true };
        sockets.set(socket, tracked);
        socket.on('pong', () => {
          tracked.alive = true;
        });
        socket.on('message', (data, isBinary) => {
          let parsed: unknown;
          try {
            parsed = isBinary ? undefined : JSON.parse(data.toString());
          } catch {
            parsed = undefined;
          }
          const message = liveClientMessageSchema.safeParse(parsed);
          if (!message.success) {
            socket.close(1008, 'invalid message'); // RFC 6455 §7.4.1 policy violation
            return;
          }
          connection.setInterest(message.data.deviceIds);
        });
        socket.on('close', () => {
          sockets.delete(socket);
          hub.remove(connection);
        });
        socket.on('error', (err) => request.log.debug({ err }, 'live: socket error'));
        connection.sendNow({
          type: 'hello',
          userId: user.id,
          role: user.role,
          customerId: scope,
          serverTime: clock(),
          flushIntervalMs: limits.flushIntervalMs,
        });
        request.log.info({ userId: user.id, role: user.role }, 'live: connected');
      },
    );
  },
  { name: 'airfleet-live', fastify: '5.x', dependencies: ['airfleet-auth'] },
);
