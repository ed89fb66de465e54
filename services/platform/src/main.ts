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
import { syncParts } from './parts/parts-sync.repository.ts';
import { createRulesRuntime } from './rules/rules.runtime.ts';
import { createMailer } from './notifications/mailer.ts';
import { createNotificationsRuntime } from './notifications/notifications.runtime.ts';
import { createUsageRollupMaintenance, createWeeklyReporting } from './usage/customer.feature.ts';

// Composition root: read env, build the pool, migrate, start ingest and the HTTP API.
const config = parseEnv(platformEnvSchema, process.env, 'platform');
const log = createLogger('platform', { level: config.LOG_LEVEL });

log.info({ database: maskUrl(config.DATABASE_URL), mqtt: config.MQTT_URL }, 'starting platform');
const pool = createPool(config.DATABASE_URL, log, 20);
await waitForDatabase(pool, log);
const applied = await migrate(config.DATABASE_URL, log);
log.info({ applied: applied.length }, 'migrations up to date');
await syncCatalogue(pool);
const partsSync = await syncParts(pool);
log.info({ version: partsSync.version, parts: partsSync.parts, changed: partsSync.changed }, 'parts catalogue up to date');

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
// Notifications: email (SMTP_URL; off when unset), signed webhooks, escalation, digests.
// Subscribed before ingest starts, so no alarm of the first batches goes unnoticed.
const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.SMTP_FROM });
if (!mailer.enabled) log.warn('SMTP_URL is unset: email notifications are logged as skipped');
if (!config.PUBLIC_URL && config.NODE_ENV === 'production') log.warn('PUBLIC_URL is unset: mails and webhooks carry no links to the dashboard');
const notifications = createNotificationsRuntime({
  pool,
  log,
  mailer,
  events,
  registry,
  config: {
    escalationAfterMin: config.ESCALATION_AFTER_MIN,
    webhookMaxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    emailMaxAttempts: config.EMAIL_MAX_ATTEMPTS,
    webhookTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    digestHourUtc: config.NOTIFY_DIGEST_HOUR_UTC,
    publicUrl: config.PUBLIC_URL,
  },
});
await notifications.start();

await ingest.start();
await rules.start();
// Weekly customer email report (Monday 06:00 in the customer's site time zone), through notifications' email log.
const weeklyReports = createWeeklyReporting({
  pool,
  log,
  publicUrl: config.PUBLIC_URL,
  send: async ({ userId, subject, text, html, dedupeKey }) => {
    const queued = await notifications.sendEmail({ userId, kind: 'report', subject, text, html, dedupeKey, respectPreferences: false });
    if (!queued) throw new Error('weekly report not queued (user missing or disabled)');
  },
});
weeklyReports.start();
// Keeps the daily usage rollup warm (docs/customer-reports.md §2), so long reports read day rows.
const usageRollups = createUsageRollupMaintenance({ pool, log });
usageRollups.start();

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
  notifications: { runtime: notifications, digestHourUtc: config.NOTIFY_DIGEST_HOUR_UTC },
  dashboardDir: serveDashboard ? dashboardDir : undefined,
  readiness: () => ({ broker: ingest.connected }),
  config: {
    cookieSecure: config.COOKIE_SECURE,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    loginRateLimitPerMin: config.LOGIN_RATE_LIMIT_PER_MIN,
    partsRateLimitPerMin: config.PARTS_RATE_LIMIT_PER_MIN,
    reservedDeviceIds: [config.MQTT_SERVICE_USERNAME],
  },
});
const address = await app.listen({ port: config.HTTP_PORT, host: config.HOST });
log.info({ address }, 'platform listening');
process.send?.({ type: 'ready', service: 'platform', address });

onShutdown(log, [() => app.close(), () => weeklyReports.stop(), () => usageRollups.stop(), () => notifications.stop(), () => mailer.close(), () => rules.stop(), () => ingest.stop(), () => pool.end()]);
