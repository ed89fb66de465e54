import { Registry } from 'prom-client';
import { createGatewayNode, type GatewayNode, type GatewayNodeOptions } from '@airfleet/gateway';
import {
  buildApp,
  createDownlinkWaker,
  createMailer,
  createNotificationsRuntime,
  createOutboxEvents,
  createOutboxRelay,
  createPlatformEvents,
  createIngestPool,
  createPools,
  createRulesRuntime,
  DEFAULT_NOTIFICATIONS_CONFIG,
  emitAll,
  latestSamples,
  POOL_DEFAULTS,
  seedDemo,
  syncCatalogue,
  syncParts,
  type AppDeps,
  type NotificationsConfig,
  type NotificationsRuntime,
  type OutboxRelay,
  type PlatformEvents,
  type PlatformPools,
  type PoolBudget,
  type RulesRuntime,
  type SeededDevice,
} from '@airfleet/platform';
import { createLogger, newToken } from '@airfleet/runtime';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { waitFor } from './wait-for.ts';

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
  /** Pool budgets over the production defaults (a test of the timeouts shrinks them). */
  pools?: { api?: Partial<PoolBudget>; jobs?: Partial<PoolBudget>; ingest?: Partial<PoolBudget> };
  /** Customer report computations at once per user (default: the production default). */
  reportsPerUser?: number;
  /** Customer report computations waiting per user (default: the production default). */
  reportsQueuedPerUser?: number;
}

export interface System {
  db: TestDatabase | undefined;
  /** The platform's jobs pool: what tests use for their own set-up and checks. */
  pool: pg.Pool;
  /** The three pools as production has them: the platform's API and jobs pools, the gateway node's ingest pool. */
  pools: PlatformPools & { ingest: pg.Pool };
  /** The gateway node: broker + ingest pipeline (+ the rules in its transaction). */
  node: GatewayNode;
  mqttPort: number;
  gatewayHttpPort: number;
  baseUrl: string;
  /** The platform's and the gateway node's registries: counterValue sums over both. */
  registry: Registry[];
  /** The platform's events: emit → outbox; on → what the live relay delivered. */
  events: PlatformEvents;
  /** Reads the outbox now, so listeners have heard everything committed so far. */
  relayed(): Promise<void>;
  servicePassword: string;
  devices: SeededDevice[];
  /** The platform's alarms, judgments and fleet services; no timers: tests call sweep() themselves. */
  rules: RulesRuntime;
  /** Notification engine, subscribed to the bus; no timers: tests call tick(). */
  notifications: NotificationsRuntime;
  /** Logs in over real HTTP and returns the session cookie. */
  login(email: string, password?: string): Promise<string>;
  api(path: string, cookie?: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A gateway node (broker + ingest) + platform (outbox relays, jobs, HTTP API) + PostgreSQL over real sockets, in-process for
 * speed of start-up; devices are real mqtt.js clients or simulated agents.
 */
export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const log = createLogger('system-test', { level: (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent' });
  const db = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? db!.url;
  // The pools as production has them (services/platform/src/db/pools.ts): the platform's API and
  // jobs pools, and the gateway node's own ingest pool. The extra nodes some tests add share the
  // ingest pool (each node holds three LISTEN connections for its life), hence its larger size.
  const budget = (role: 'api' | 'jobs' | 'ingest', size: number): PoolBudget => ({ ...POOL_DEFAULTS[role], size, ...options.pools?.[role] });
  const platformPools = createPools(databaseUrl, log, { api: budget('api', POOL_DEFAULTS.api.size), jobs: budget('jobs', POOL_DEFAULTS.jobs.size) });
  const ingestPool = createIngestPool(databaseUrl, log, budget('ingest', 20));
  const pools = { ...platformPools, ingest: ingestPool };
  const pool = platformPools.jobs;
  await syncCatalogue(pool);
  // Already there in a clone of the template (one SELECT); synchronised on any other database.
  await syncParts(pool);
  const devices = options.seed === false ? [] : await seedDemo(pool, { deviceTokenPepper: TEST_DEVICE_TOKEN_PEPPER });

  const servicePassword = newToken(24);
  const gatewayRegistry = new Registry();
  const node = createGatewayNode({
    pool: ingestPool,
    log,
    registry: gatewayRegistry,
    service: { username: SERVICE_USERNAME, password: servicePassword },
    deviceTokenPepper: TEST_DEVICE_TOKEN_PEPPER,
    // Tests replay and publish far faster per device than a compressor does.
    limits: { publishRatePerDevicePerSec: 10_000, publishBurstPerDevice: 10_000 },
    ingest: { batchMaxRows: 1000, batchWaitMs: options.batchWaitMs ?? 10 },
    rulesClock: options.rulesClock,
  });
  const { mqttPort, httpPort: gatewayHttpPort } = await node.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });

  const registry = new Registry();
  const liveBus = createPlatformEvents();
  const durableBus = createPlatformEvents();
  const events = createOutboxEvents({ pool, log, local: liveBus });
  const durableEvents = createOutboxEvents({ pool, log, local: durableBus });
  const rules = createRulesRuntime({
    pool,
    log,
    registry,
    events,
    clock: options.rulesClock,
    wake: createDownlinkWaker(pool, log),
    sweepIntervalMs: 0,
    fleetCheckIntervalMs: 0,
  });
  await rules.start();
  const mailer = createMailer({ smtpUrl: options.smtpUrl, from: 'AirFleet <no-reply@airfleet.example>' });
  const notifications = createNotificationsRuntime({
    pool,
    log,
    mailer,
    events: durableEvents,
    registry,
    clock: options.notificationsClock ?? options.rulesClock,
    config: { ...DEFAULT_NOTIFICATIONS_CONFIG, ...options.notifications, workerIntervalMs: 0 },
  });
  await notifications.start();
  const relays: OutboxRelay[] = [
    createOutboxRelay({ pool, log, pollIntervalMs: 100, deliver: (evs) => emitAll(liveBus, evs, (ids) => latestSamples(pool, ids)) }),
    createOutboxRelay({ pool, log, pollIntervalMs: 100, durable: 'notifications', deliver: (evs) => emitAll(durableBus, evs) }),
  ];
  for (const r of relays) await r.start();

  // The API's alarms, judgments and fleet services on the API pool, as main.ts builds them.
  const apiRules = createRulesRuntime({ pool: pools.api, log, registry, events, clock: options.rulesClock, wake: createDownlinkWaker(pools.api, log) });
  const app = await buildApp({
    pool: pools.api,
    log,
    metrics: registry,
    readiness: () => ({ events: relays[0]!.listening }),
    config: { cookieSecure: false, sessionTtlHours: 1, loginRateLimitPerMin: 1000, partsRateLimitPerMin: options.partsRateLimitPerMin ?? 100_000, reservedDeviceIds: [SERVICE_USERNAME], deviceTokenPepper: TEST_DEVICE_TOKEN_PEPPER, reportsPerUser: options.reportsPerUser, reportsQueuedPerUser: options.reportsQueuedPerUser },
    events,
    durableEvents,
    rules: apiRules,
    notifications: { runtime: notifications, digestHourUtc: DEFAULT_NOTIFICATIONS_CONFIG.digestHourUtc },
    live: options.live,
    dashboardDir: options.dashboardDir,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  /** Everything committed so far has reached the listeners (both relays, and what the platform emitted). */
  const relayed = async (): Promise<void> => {
    await events.flush();
    await durableEvents.flush();
    // Caught up means: nothing committed lies beyond the relay's position. A relay reads only
    // below the oldest running transaction, so this may take until such a transaction ends.
    for (const r of relays) {
      await waitFor(async () => {
        await r.drain();
        const at = r.position;
        if (!at) return false;
        const { rowCount } = await pool.query('SELECT 1 FROM outbox WHERE (txid, id) > ($1::xid8, $2::bigint) LIMIT 1', [at.txid, at.id]);
        return rowCount === 0;
      }, 'the outbox relayed', 15_000, 20);
    }
  };
  // Tests drive the notification engine by hand: let it see what the outbox holds first, as its
  // durable relay would have by the time a timer fired in production.
  const drivenNotifications: NotificationsRuntime = {
    ...notifications,
    tick: async () => {
      await relayed();
      return notifications.tick();
    },
    sweep: async () => {
      await relayed();
      return notifications.sweep();
    },
    idle: async () => {
      await relayed();
      return notifications.idle();
    },
  };

  const api = (path: string, cookie?: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${address}${path}`, { ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });

  return {
    db,
    pool,
    pools,
    node,
    mqttPort,
    gatewayHttpPort,
    baseUrl: address,
    registry: [registry, gatewayRegistry],
    events,
    relayed,
    servicePassword,
    devices,
    rules,
    notifications: drivenNotifications,
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
      for (const r of relays) await r.stop();
      await notifications.stop();
      mailer.close();
      await rules.stop();
      await node.close();
      await ingestPool.end();
      await platformPools.end();
      await db?.drop();
    },
  };
}

/** Reads one counter (summed over labels, optionally filtered) from a prom-client registry. */
export async function counterValue(registry: Registry | Registry[], name: string, labels: Record<string, string> = {}): Promise<number> {
  let sum = 0;
  for (const r of Array.isArray(registry) ? registry : [registry]) {
    const metric = await r.getSingleMetric(name)?.get();
    if (!metric) continue;
    sum += metric.values.filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)).reduce((n, v) => n + v.value, 0);
  }
  return sum;
}

/** The pepper of the test systems' device token hashes (never a production value). */
export const TEST_DEVICE_TOKEN_PEPPER = 'test-pepper-for-device-tokens-not-for-production';

export interface ExtraNode {
  node: GatewayNode;
  registry: Registry;
  mqttPort: number;
}

/**
 * Another gateway node on the system's database, as a second gateway process would be: its own
 * broker, ingest pipeline, rules and registry; nothing shared with the system's node but PostgreSQL.
 */
export async function startExtraNode(sys: System, options: { ingest?: Partial<GatewayNodeOptions['ingest']> } = {}): Promise<ExtraNode> {
  const registry = new Registry();
  const node = createGatewayNode({
    pool: sys.pools.ingest,
    log: createLogger('extra-node', { level: 'silent' }),
    registry,
    service: { username: SERVICE_USERNAME, password: sys.servicePassword },
    deviceTokenPepper: TEST_DEVICE_TOKEN_PEPPER,
    limits: { publishRatePerDevicePerSec: 10_000, publishBurstPerDevice: 10_000 },
    ingest: { batchMaxRows: 1000, batchWaitMs: 5, ...options.ingest },
  });
  const { mqttPort } = await node.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });
  return { node, registry, mqttPort };
}
