import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger, maskUrl, onShutdown, parseEnv } from '@airfleet/runtime';
import { platformEnvSchema } from './config/platform.config.ts';
import { migrate } from './db/migrate.ts';
import { waitForDatabase } from './db/pool.ts';
import { createPools, logConnectionBudget, POOL_DEFAULTS } from './db/pools.ts';
import { buildApp } from './http/app.ts';
import { createPlatformEvents, emitAll } from './events/platform-events.ts';
import { createOutboxEvents } from './events/outbox.emitter.ts';
import { createOutboxRelay } from './events/outbox.relay.ts';
import { createOutboxPruning } from './events/outbox-pruning.job.ts';
import { createDownlinkWaker } from './judgments/judgments.publisher.ts';
import { latestSamples } from './live/device-directory.repository.ts';
import { syncCatalogue } from './repositories/catalogue.repository.ts';
import { syncParts } from './parts/parts-sync.repository.ts';
import { createRulesRuntime } from './rules/rules.runtime.ts';
import { createMailer } from './notifications/mailer.ts';
import { createNotificationsRuntime } from './notifications/notifications.runtime.ts';
import { createUsageRollupMaintenance, createWeeklyReporting } from './usage/customer.feature.ts';
import { createTelemetryRollupJob } from './history/telemetry-rollup.job.ts';
import { createTelemetryRollupRepository } from './history/telemetry-rollup.repository.ts';
import { createTelemetryPartitionsJob } from './history/telemetry-partitions.job.ts';
import { createTelemetryPartitionsRepository } from './history/telemetry-partitions.repository.ts';
import { historyRetentionPolicies } from './history/history-retention.policies.ts';
import { retentionSettingsOf } from './retention/retention.domain.ts';
import { createRetentionJob } from './retention/retention.job.ts';
import { retentionPolicies } from './retention/retention.repository.ts';
import { registerTableMetrics } from './retention/table.metrics.ts';

// Composition root: read env, build the pools, migrate, start the jobs, the outbox relays and the HTTP API.
const config = parseEnv(platformEnvSchema, process.env, 'platform');
const log = createLogger('platform', { level: config.LOG_LEVEL });

log.info({ database: maskUrl(config.DATABASE_URL) }, 'starting platform');
// Two pools (db/pools.ts): the HTTP API's, and the jobs' (timers, relays, notifications, start-up
// sync). A burst of heavy requests cannot take the connections a job needs, nor the reverse; the
// ingest has its own pool in the gateway process.
const pools = createPools(config.DATABASE_URL, log, {
  api: { size: config.DATABASE_API_POOL_SIZE, statementTimeoutMs: config.DATABASE_API_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? POOL_DEFAULTS.api.idleInTransactionTimeoutMs },
  jobs: { size: config.DATABASE_JOBS_POOL_SIZE, statementTimeoutMs: config.DATABASE_JOBS_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? POOL_DEFAULTS.jobs.idleInTransactionTimeoutMs },
});
const pool = pools.jobs;
await waitForDatabase(pool, log);
await logConnectionBudget(pool, log, { api: config.DATABASE_API_POOL_SIZE, jobs: config.DATABASE_JOBS_POOL_SIZE });
const applied = await migrate(config.DATABASE_URL, log);
log.info({ applied: applied.length }, 'migrations up to date');
await syncCatalogue(pool);
const partsSync = await syncParts(pool);
log.info({ version: partsSync.version, parts: partsSync.parts, changed: partsSync.changed }, 'parts catalogue up to date');

// Events: every instance emits into the outbox and relays what any process committed to its own
// live bus; the once-only consumers (notifications, work-order audit) read through a durable,
// leased cursor so that of several instances exactly one handles each event.
const liveBus = createPlatformEvents();
const durableBus = createPlatformEvents();
const events = createOutboxEvents({ pool, log, local: liveBus });
const durableEvents = createOutboxEvents({ pool, log, local: durableBus });
const registry = new Registry();
collectDefaultMetrics({ register: registry });
// Rules services, alarms, judgments (sent by the gateway node holding the device: woken by
// NOTIFY), sweeps every 5 s and the daily fleet job. The rules themselves run in the gateways.
const rules = createRulesRuntime({ pool, log, registry, events, wake: createDownlinkWaker(pool, log) });
// Notifications: email (SMTP_URL; off when unset), signed webhooks, escalation, digests.
// Subscribed before ingest starts, so no alarm of the first batches goes unnoticed.
const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.SMTP_FROM });
if (!mailer.enabled) log.warn('SMTP_URL is unset: email notifications are logged as skipped');
if (!config.PUBLIC_URL && config.NODE_ENV === 'production') log.warn('PUBLIC_URL is unset: mails and webhooks carry no links to the dashboard');
const notifications = createNotificationsRuntime({
  pool,
  log,
  mailer,
  events: durableEvents,
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
const liveRelay = createOutboxRelay({ pool, log, deliver: (evs) => emitAll(liveBus, evs, (ids) => latestSamples(pool, ids)) });
const durableRelay = createOutboxRelay({
  pool,
  log,
  durable: 'notifications',
  deliver: async (evs) => {
    await emitAll(durableBus, evs);
    await notifications.idle();
  },
});
await liveRelay.start();
await durableRelay.start();
const outboxPruning = createOutboxPruning({ pool, log });
outboxPruning.start();
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
// Keeps the 5-minute and hourly history levels of telemetry current (charts over weeks and years read them).
const historyRollup = createTelemetryRollupJob({ pool, rollup: createTelemetryRollupRepository(pool), log });
historyRollup.start();
// Raw telemetry a partition per day (plain PostgreSQL): days created ahead, dropped whole at retention.
const telemetryPartitions = createTelemetryPartitionsJob({ pool, partitions: createTelemetryPartitionsRepository(pool), log, retentionDays: config.RETENTION_TELEMETRY_DAYS });
telemetryPartitions.start();
// Retention (docs/operations.md "Retention"): what is past its age is deleted in bounded batches,
// on one instance at a time; /metrics shows rows and bytes per table.
const retention = createRetentionJob({
  pool,
  log,
  registry,
  policies: [...retentionPolicies(retentionSettingsOf(config)), ...historyRetentionPolicies({ '5m': config.RETENTION_TELEMETRY_5M_DAYS, '1h': config.RETENTION_TELEMETRY_1H_DAYS })],
  batchRows: config.RETENTION_BATCH_ROWS,
  everyMs: config.RETENTION_INTERVAL_MIN * 60_000,
});
retention.start();
registerTableMetrics({ pool, registry });

// The built dashboard, when present (`npm run build`; `npm start` builds it when stale).
const dashboardDir = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));
const serveDashboard = existsSync(`${dashboardDir}index.html`);
if (!serveDashboard) log.warn({ dashboardDir }, 'dashboard not built (npm run build): serving the API only');

// The API's alarms, judgments and fleet services on the API pool (the timers above use the jobs pool).
const apiRules = createRulesRuntime({ pool: pools.api, log, registry, events, wake: createDownlinkWaker(pools.api, log) });
const app = await buildApp({
  pool: pools.api,
  readiness: () => ({ events: liveRelay.listening }),
  log,
  metrics: registry,
  events,
  durableEvents,
  rules: apiRules,
  notifications: { runtime: notifications, digestHourUtc: config.NOTIFY_DIGEST_HOUR_UTC },
  dashboardDir: serveDashboard ? dashboardDir : undefined,
  config: {
    cookieSecure: config.COOKIE_SECURE,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    loginRateLimitPerMin: config.LOGIN_RATE_LIMIT_PER_MIN,
    trustProxy: config.TRUST_PROXY,
    partsRateLimitPerMin: config.PARTS_RATE_LIMIT_PER_MIN,
    reservedDeviceIds: [config.MQTT_SERVICE_USERNAME],
    deviceTokenPepper: config.DEVICE_TOKEN_PEPPER,
    reportsPerUser: config.REPORTS_PER_USER,
    reportsQueuedPerUser: config.REPORTS_QUEUED_PER_USER,
  },
});
const address = await app.listen({ port: config.HTTP_PORT, host: config.HOST });
log.info({ address }, 'platform listening');
process.send?.({ type: 'ready', service: 'platform', address });

onShutdown(log, [
  () => app.close(),
  () => weeklyReports.stop(),
  () => usageRollups.stop(),
  () => historyRollup.stop(),
  () => telemetryPartitions.stop(),
  () => retention.stop(),
  () => outboxPruning.stop(),
  () => liveRelay.stop(),
  () => durableRelay.stop(),
  () => notifications.stop(),
  () => mailer.close(),
  () => rules.stop(),
  () => pools.end(),
]);
