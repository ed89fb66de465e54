import { Registry } from 'prom-client';
import { createGateway, createPgCredentialStore, type Gateway } from '@airfleet/gateway';
import { buildApp, type AppDeps, createIngest, createIngestMetrics, createPlatformEvents, ingestHooks, type PlatformEvents, createPool, seedDemo, syncCatalogue, syncParts, type Ingest, type SeededDevice } from '@airfleet/platform';
import { createRulesRuntime, type RulesRuntime } from '@airfleet/platform';
import { createMailer, createNotificationsRuntime, DEFAULT_NOTIFICATIONS_CONFIG, type NotificationsConfig, type NotificationsRuntime } from '@airfleet/platform';
import { createLogger, newToken } from '@airfleet/runtime';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const SERVICE_USERNAME = 'airfleet-platform';

export interface SystemOptions {
  /** Use this database instead of a fresh clone of the template. */
  databaseUrl?: string;
  batchWaitMs?: number;
  seed?: boolean;
  /** Wall clock of the rules runtime (sweeps, expiry, API actions); rules run on event time. */
  rulesClock?: () => number;
  /** Serve this built dashboard at / (browser tests). */
  dashboardDir?: string;
  /** Public parts lookup rate limit per client address (default: high enough not to interfere). */
  partsRateLimitPerMin?: number;
  /** Live channel tuning (the live channel itself is always on). */
  live?: AppDeps['live'];
  /** SMTP server for notification mail (e.g. a test's smtp-server: `smtp://127.0.0.1:<port>?tls=off`); unset = email off. */
  smtpUrl?: string;
  /** Wall clock of the notification engine (escalation, backoff, digests); default the rules clock. */
  notificationsClock?: () => number;
  /** Notification settings over the env defaults (timers are always off: tests call sys.notifications.tick()). */
  notifications?: Partial<NotificationsConfig>;
}

export interface System {
  db: TestDatabase | undefined;
  pool: pg.Pool;
  gateway: Gateway;
  ingest: Ingest;
  mqttPort: number;
  gatewayHttpPort: number;
  baseUrl: string;
  registry: Registry;
  events: PlatformEvents;
  servicePassword: string;
  devices: SeededDevice[];
  /** Rules, alarms, judgments and fleet services; no timers: tests call sweep() themselves. */
  rules: RulesRuntime;
  /** Notification engine, subscribed to the bus; no timers: tests call tick(). */
  notifications: NotificationsRuntime;
  /** Logs in over real HTTP and returns the session cookie. */
  login(email: string, password?: string): Promise<string>;
  api(path: string, cookie?: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Gateway + platform (ingest and HTTP API) + PostgreSQL over real sockets, in-process for
 * speed of start-up; devices are real mqtt.js clients or simulated agents.
 */
export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const log = createLogger('system-test', { level: (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent' });
  const db = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? db!.url;
  const pool = createPool(databaseUrl, log, 10);
  await syncCatalogue(pool);
  // Already there in a clone of the template (one SELECT); synchronised on any other database.
  await syncParts(pool);
  const devices = options.seed === false ? [] : await seedDemo(pool);

  const servicePassword = newToken(24);
  const gateway = createGateway({
    credentials: createPgCredentialStore(pool),
    service: { username: SERVICE_USERNAME, password: servicePassword },
    log,
    registry: new Registry(),
  });
  const { mqttPort, httpPort: gatewayHttpPort } = await gateway.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });

  const registry = new Registry();
  const events = createPlatformEvents();
  const rules = createRulesRuntime({
    pool,
    log,
    registry,
    events,
    clock: options.rulesClock,
    mqtt: { url: `mqtt://127.0.0.1:${mqttPort}`, username: SERVICE_USERNAME, password: servicePassword },
    sweepIntervalMs: 0,
    fleetCheckIntervalMs: 0,
  });
  const ingest = createIngest({
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    username: SERVICE_USERNAME,
    password: servicePassword,
    clientId: 'airfleet-ingest',
    pool,
    log,
    metrics: createIngestMetrics(registry),
    batchMaxRows: 1000,
    batchWaitMs: options.batchWaitMs ?? 10,
    maxPending: 20_000,
    ...ingestHooks(rules, events),
  });
  await ingest.start();
  await rules.start();
  const mailer = createMailer({ smtpUrl: options.smtpUrl, from: 'AirFleet <no-reply@airfleet.example>' });
  const notifications = createNotificationsRuntime({
    pool,
    log,
    mailer,
    events,
    registry,
    clock: options.notificationsClock ?? options.rulesClock,
    config: { ...DEFAULT_NOTIFICATIONS_CONFIG, ...options.notifications, workerIntervalMs: 0 },
  });
  await notifications.start();

  const app = await buildApp({
    pool,
    log,
    metrics: registry,
    readiness: () => ({ broker: ingest.connected }),
    config: { cookieSecure: false, sessionTtlHours: 1, loginRateLimitPerMin: 1000, partsRateLimitPerMin: options.partsRateLimitPerMin ?? 100_000, reservedDeviceIds: [SERVICE_USERNAME] },
    events,
    rules,
    notifications: { runtime: notifications, digestHourUtc: DEFAULT_NOTIFICATIONS_CONFIG.digestHourUtc },
    live: options.live,
    dashboardDir: options.dashboardDir,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  const api = (path: string, cookie?: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${address}${path}`, { ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });

  return {
    db,
    pool,
    gateway,
    ingest,
    mqttPort,
    gatewayHttpPort,
    baseUrl: address,
    registry,
    events,
    servicePassword,
    devices,
    rules,
    notifications,
    api,
    async login(email, password = 'airfleet-demo') {
      const res = await api('/api/auth/login', undefined, { method: 'POST', body: JSON.stringify({ email, password }) });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie');
      if (!cookie) throw new Error('no session cookie');
      return cookie.split(';')[0]!;
    },
    async close() {
      await app.close();
      await notifications.stop();
      mailer.close();
      await rules.stop();
      await ingest.stop();
      await gateway.close();
      await pool.end();
      await db?.drop();
    },
  };
}

/** Reads one counter (summed over labels, optionally filtered) from a prom-client registry. */
export async function counterValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  if (!metric) return 0;
  return metric.values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}
