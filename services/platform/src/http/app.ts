import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { createDeviceTokenHasher, type Logger } from '@airfleet/runtime';
import { authPlugin } from '../auth/auth.plugin.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { createAuthService } from '../auth/auth.service.ts';
import { createCatalogueRepository } from '../repositories/catalogue.repository.ts';
import { createDeadLettersRepository } from '../repositories/dead-letters.repository.ts';
import { createDevicesRepository } from '../repositories/devices.repository.ts';
import { createSessionsRepository } from '../repositories/sessions.repository.ts';
import { createSitesRepository } from '../repositories/sites.repository.ts';
import { createTelemetryQueryRepository, type BucketFlavour } from '../repositories/telemetry-query.repository.ts';
import { createUsersRepository } from '../repositories/users.repository.ts';
import type { PlatformEvents } from '../events/platform-events.ts';
import type { LiveLimits } from '../live/live-connection.ts';
import { livePlugin } from '../live/live.plugin.ts';
import { dashboardStaticPlugin } from './static.plugin.ts';
import { catalogueRoutes } from './catalogue.routes.ts';
import { deadLettersRoutes } from './dead-letters.routes.ts';
import { devicesRoutes } from './devices.routes.ts';
import { createDevicesService } from './devices.service.ts';
import { errorHandlerPlugin } from './error-handler.plugin.ts';
import { opsRoutes } from './ops.routes.ts';
import { requestMetricsPlugin } from './request-metrics.plugin.ts';
import { swaggerPlugin } from './swagger.plugin.ts';
import { createTelemetryService } from './telemetry.service.ts';
import { alarmsRoutes } from '../alarms/alarms.routes.ts';
import { fleetRoutes } from '../fleet/fleet.routes.ts';
import { judgmentsRoutes } from '../judgments/judgments.routes.ts';
import { createPartsRepository } from '../parts/parts.repository.ts';
import { partsRoutes } from '../parts/parts.routes.ts';
import { createPartsService } from '../parts/parts.service.ts';
import { createServiceFeatures, serviceFeatureRoutes } from '../service/service-features.ts';
import { createRulesRuntime, type RulesRuntime } from '../rules/rules.runtime.ts';
import { notificationsRoutes } from '../notifications/notifications.routes.ts';
import { createNotificationsService } from '../notifications/notifications.service.ts';
import { createNotificationsRuntime, DEFAULT_NOTIFICATIONS_CONFIG, type NotificationsRuntime } from '../notifications/notifications.runtime.ts';
import { createMailer } from '../notifications/mailer.ts';
import { engagementPlugin } from '../insights/engagement.plugin.ts';
import { insightsRoutes } from '../insights/insights.routes.ts';
import { createCustomerFeature } from '../usage/customer.feature.ts';
import { usageRoutes } from '../usage/usage.routes.ts';

export interface AppConfig {
  cookieSecure: boolean;
  sessionTtlHours: number;
  loginRateLimitPerMin: number;
  /**
   * TRUST_PROXY: the proxies (a hop count, or addresses/CIDRs) whose X-Forwarded-For names the
   * client, so that per-address rate limits see clients, not the load balancer. Unset: none.
   */
  trustProxy?: number | string[];
  /** Public parts lookup, per client address (default 120). */
  partsRateLimitPerMin?: number;
  /** Never provisioned as devices: the ingest service's MQTT username must stay unique. */
  reservedDeviceIds: string[];
  /** DEVICE_TOKEN_PEPPER: HMAC key of the device token hashes written at provisioning and rotation. */
  deviceTokenPepper: string;
  /** REPORTS_PER_USER: customer usage/savings computations at once per user on this instance (default 2). */
  reportsPerUser?: number;
  /** REPORTS_QUEUED_PER_USER: more of them waiting for a slot (default 4); beyond, 429. */
  reportsQueuedPerUser?: number;
}

export interface AppDeps {
  pool: pg.Pool;
  /** pino, already redacting secrets (runtime's createLogger). */
  log: Logger;
  /** Shared with ingest; /metrics serves it. */
  metrics: Registry;
  /** Whether this instance hears committed events (its outbox relay listens), for /readyz; default yes. */
  readiness?: () => { events: boolean };
  config: AppConfig;
  clock?: () => number;
  /** Alarms, judgments and fleet services (main.ts passes its started rules runtime); built unstarted when absent. */
  rules?: Pick<RulesRuntime, 'alarms' | 'judgments' | 'fleet'>;
  /** Skip the pg_extension probe (tests of a given flavour); detected on first use otherwise. */
  bucketFlavour?: BucketFlavour;
  /** Committed-data event bus; when given, the live WebSocket channel is served at /live. */
  events?: PlatformEvents;
  /** Once-only consumers' events (a durable outbox cursor); default `events`. */
  durableEvents?: PlatformEvents;
  /** Live channel tuning (tests shrink the bounds). */
  live?: Partial<LiveLimits> & { heartbeatMs?: number };
  /** Built dashboard (dashboard/dist); when given, it is served at / with SPA fallback. */
  dashboardDir?: string;
  /** The notification engine (main.ts starts it) behind /api/notifications and /api/webhooks; built unstarted when absent. */
  notifications?: { runtime: NotificationsRuntime; digestHourUtc: number };
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** Fastify's trustProxy: a hop count trusts that many proxies in front (as proxy-addr counts hops), a list those addresses. */
function trustProxyOption(trust: number | string[] | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === undefined) return false;
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** Accept a proxy's or client's request id when it is sane, so one id follows a request across services. */
const INBOUND_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The HTTP side of the platform as an un-listened Fastify instance (docs/architecture.md §7): main.ts
 * listens and closes it; tests use app.inject(). The caller may register more plugins
 * (e.g. a WebSocket route) before ready().
 */
export function buildApp(deps: AppDeps): App {
  const clock = deps.clock ?? Date.now;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: (req) => {
      const inbound = req.headers['x-request-id'];
      return typeof inbound === 'string' && INBOUND_REQUEST_ID.test(inbound) ? inbound : randomUUID();
    },
    // Fastify's own request lines carry the client's address and the full URL with its query
    // (a typed part search, say). We keep no IP addresses beyond rate limiting and record no
    // more than needed (docs/customer-reports.md §5), so the platform writes its own request line below instead.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(deps.config.trustProxy),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // One line per request with the id (`reqId`), method, path without the query, status and
  // time: no address, no headers (so no cookies), no query text. A route may log at `warn` to
  // skip it (the public parts lookup does).
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { request: { method: request.method, path: request.url.split('?', 1)[0] }, statusCode: reply.statusCode, responseTimeMs: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  });

  const users = createUsersRepository(deps.pool);
  const sessions = createSessionsRepository(deps.pool);
  const devices = createDevicesRepository(deps.pool);
  const auth = createAuthService({ users, sessions, clock, sessionTtlHours: deps.config.sessionTtlHours });
  const provisioning = createDevicesService({ devices, reservedDeviceIds: deps.config.reservedDeviceIds, tokenHasher: createDeviceTokenHasher(deps.config.deviceTokenPepper) });
  const telemetry = createTelemetryService({
    devices,
    telemetry: createTelemetryQueryRepository(deps.pool, { flavour: deps.bucketFlavour }),
    clock,
  });

  // Cross-cutting (fastify-plugin, visible everywhere), then features with private hooks.
  app.register(errorHandlerPlugin);
  app.register(requestMetricsPlugin, { registry: deps.metrics });
  app.register(swaggerPlugin);
  app.register(authPlugin, { auth });
  // Engagement insight (docs/customer-reports.md §5): one onResponse hook for every route; IP addresses are never stored.
  const customer = createCustomerFeature({ pool: deps.pool, log: deps.log, clock });
  app.register(engagementPlugin, customer.engagement);
  if (deps.events) {
    // Before the routes: @fastify/websocket must see every route that follows.
    const { heartbeatMs, ...limits } = deps.live ?? {};
    app.register(livePlugin, { pool: deps.pool, events: deps.events, metrics: deps.metrics, log: deps.log, clock, limits, heartbeatMs });
  }

  app.register(opsRoutes, { pool: deps.pool, metrics: deps.metrics, readiness: deps.readiness ?? (() => ({ events: true })) });
  app.register(authRoutes, {
    prefix: '/api/auth',
    auth,
    cookieSecure: deps.config.cookieSecure,
    loginRateLimitPerMin: deps.config.loginRateLimitPerMin,
  });
  app.register(catalogueRoutes, {
    prefix: '/api',
    catalogue: createCatalogueRepository(deps.pool),
    sites: createSitesRepository(deps.pool),
  });
  app.register(devicesRoutes, { prefix: '/api', devices, provisioning, telemetry });
  app.register(deadLettersRoutes, { prefix: '/api', deadLetters: createDeadLettersRepository(deps.pool), clock });
  const rules = deps.rules ?? createRulesRuntime({ pool: deps.pool, log: deps.log, registry: deps.metrics, events: deps.events, clock });
  app.register(alarmsRoutes, { prefix: '/api', alarms: rules.alarms });
  app.register(judgmentsRoutes, { prefix: '/api', judgments: rules.judgments });
  app.register(fleetRoutes, { prefix: '/api', fleet: rules.fleet });
  const serviceFeatures = createServiceFeatures({ pool: deps.pool, judgments: rules.judgments, events: deps.events, durableEvents: deps.durableEvents, log: deps.log, clock });
  // Public parts lookup (docs/parts.md): no login, rate-limited per client address.
  app.register(partsRoutes, {
    prefix: '/api',
    parts: createPartsService({ parts: createPartsRepository(deps.pool), nextService: (deviceId) => serviceFeatures.maintenance.nextService(deviceId) }),
    rateLimitPerMin: deps.config.partsRateLimitPerMin ?? 120,
    clock,
  });
  // Maintenance plans, service inbox, work orders, customer requests (docs/architecture.md §5.1).
  app.register(serviceFeatureRoutes, { prefix: '/api', features: serviceFeatures });
  // Built unstarted (no listener, no timers, email off) when main.ts did not pass its own.
  const notifications = deps.notifications ?? { runtime: createNotificationsRuntime({ pool: deps.pool, log: deps.log, mailer: createMailer({ from: 'AirFleet <no-reply@airfleet.example>' }), clock, config: DEFAULT_NOTIFICATIONS_CONFIG }), digestHourUtc: DEFAULT_NOTIFICATIONS_CONFIG.digestHourUtc };
  app.register(notificationsRoutes, {
    prefix: '/api',
    notifications: createNotificationsService({ pool: deps.pool, runtime: notifications.runtime, digestHourUtc: notifications.digestHourUtc, clock }),
  });
  app.register(usageRoutes, { prefix: '/api', ...customer.usage, reportsPerUser: deps.config.reportsPerUser, reportsQueuedPerUser: deps.config.reportsQueuedPerUser, metrics: deps.metrics });
  app.register(insightsRoutes, { prefix: '/api', ...customer.insights });
  // Last: its catch-all answers only what no route above claims.
  if (deps.dashboardDir) app.register(dashboardStaticPlugin, { dashboardDir: deps.dashboardDir });

  return app;
}
