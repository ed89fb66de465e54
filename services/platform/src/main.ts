import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger, maskUrl, onShutdown, parseEnv } from '@airfleet/runtime';
import { platformEnvSchema } from './config/platform.config.ts';
import { migrate } from './db/migrate.ts';
import { createPool, waitForDatabase } from './db/pool.ts';
import { buildApp } from './http/app.ts';
import { createIngest } from './ingest/ingest.service.ts';
import { createIngestMetrics } from './observability/ingest.metrics.ts';
import { createPlatformEvents } from './events/platform-events.ts';
import { ingestHooks } from './events/ingest-hooks.ts';
import { syncCatalogue } from './repositories/catalogue.repository.ts';
import { createRulesRuntime } from './rules/rules.runtime.ts';

// Composition root: read env, build the pool, migrate, start ingest and the HTTP API.
const config = parseEnv(platformEnvSchema, process.env, 'platform');
const log = createLogger('platform', { level: config.LOG_LEVEL });

log.info({ database: maskUrl(config.DATABASE_URL), mqtt: config.MQTT_URL }, 'starting platform');
const pool = createPool(config.DATABASE_URL, log, 20);
await waitForDatabase(pool, log);
const applied = await migrate(config.DATABASE_URL, log);
log.info({ applied: applied.length }, 'migrations up to date');
await syncCatalogue(pool);

const events = createPlatformEvents();
const registry = new Registry();
collectDefaultMetrics({ register: registry });
// Rules, alarms, judgments (publisher `airfleet-platform-pub`), sweeps every 5 s, daily fleet job.
const rules = createRulesRuntime({
  pool,
  log,
  registry,
  events,
  mqtt: { url: config.MQTT_URL, username: config.MQTT_SERVICE_USERNAME, password: config.MQTT_SERVICE_PASSWORD },
});
const ingest = createIngest({
  mqttUrl: config.MQTT_URL,
  username: config.MQTT_SERVICE_USERNAME,
  password: config.MQTT_SERVICE_PASSWORD,
  clientId: config.INGEST_CLIENT_ID,
  pool,
  log,
  metrics: createIngestMetrics(registry),
  batchMaxRows: config.INGEST_BATCH_MAX_ROWS,
  batchWaitMs: config.INGEST_BATCH_WAIT_MS,
  maxPending: config.INGEST_MAX_PENDING,
  ...ingestHooks(rules, events),
});
await ingest.start();
await rules.start();

// The built dashboard, when present (`npm run build`; `npm start` builds it when stale).
const dashboardDir = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));
const serveDashboard = existsSync(`${dashboardDir}index.html`);
if (!serveDashboard) log.warn({ dashboardDir }, 'dashboard not built (npm run build): serving the API only');

const app = await buildApp({
  pool,
  log,
  metrics: registry,
  events,
  rules,
  dashboardDir: serveDashboard ? dashboardDir : undefined,
  readiness: () => ({ broker: ingest.connected }),
  config: {
    cookieSecure: config.COOKIE_SECURE,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    loginRateLimitPerMin: config.LOGIN_RATE_LIMIT_PER_MIN,
    reservedDeviceIds: [config.MQTT_SERVICE_USERNAME],
  },
});
const address = await app.listen({ port: config.HTTP_PORT, host: config.HOST });
log.info({ address }, 'platform listening');
process.send?.({ type: 'ready', service: 'platform', address });

onShutdown(log, [() => app.close(), () => rules.stop(), () => ingest.stop(), () => pool.end()]);
