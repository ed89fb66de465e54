import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';
import { METRIC_KEYS, type MachineState, type MetricKey, type Role } from '@airfleet/contracts';
import { createDeviceTokenHasher, createLogger, hashSecret } from '@airfleet/runtime';
import { METRIC_COLUMNS } from '../../services/platform/src/db/metric-columns.ts';
import { buildApp, type App, type AppConfig, type AppDeps } from '../../services/platform/src/http/app.ts';
import { syncCatalogue } from '../../services/platform/src/repositories/catalogue.repository.ts';
import { createUsersRepository } from '../../services/platform/src/repositories/users.repository.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * A small, known tenant set for API and system tests: two customers with their sites,
 * one user per role (plus a disabled one), three devices with credentials, and a little
 * telemetry. Every secret is returned in clear so tests can log in and connect.
 */

/** Every fixture user's password. */
export const FIXTURE_PASSWORD = 'fixture-password-1';
/** scrypt at N=1024 costs ~1 ms instead of ~50 ms; hashes stay verifiable by verifySecret. */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;
/** DEVICE_TOKEN_PEPPER of fixture apps: the fixture devices' hashes and tokens the API issues use it. */
export const FIXTURE_DEVICE_TOKEN_PEPPER = 'fixture-only-device-token-pepper-0123456789';
export const fixtureTokenHasher = createDeviceTokenHasher(FIXTURE_DEVICE_TOKEN_PEPPER);

export const FIXTURE_CUSTOMERS = {
  acme: { id: 'fx-acme', name: 'Acme Pressings' },
  globex: { id: 'fx-globex', name: 'Globex Bottling' },
} as const;

export const FIXTURE_SITES = {
  acmeNorth: { id: 'fx-acme-north', customerId: 'fx-acme', name: 'Acme North Works', city: 'Leeds', country: 'GB', region: 'EU', timezone: 'Europe/London' },
  acmeSouth: { id: 'fx-acme-south', customerId: 'fx-acme', name: 'Acme South Works', city: 'Bristol', country: 'GB', region: 'EU', timezone: 'Europe/London' },
  globexMain: { id: 'fx-globex-main', customerId: 'fx-globex', name: 'Globex Main Plant', city: 'Lyon', country: 'FR', region: 'EU', timezone: 'Europe/Paris' },
} as const;

export type FixtureUserKey = 'admin' | 'operator' | 'service' | 'acmeBuyer' | 'globexBuyer' | 'disabled';
export interface FixtureUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  customerId: string | null;
}

const USER_SPECS: Record<FixtureUserKey, { email: string; name: string; role: Role; customerId: string | null; disabled?: boolean }> = {
  admin: { email: 'admin@fixtures.example', name: 'Ada Admin', role: 'admin', customerId: null },
  operator: { email: 'operator@fixtures.example', name: 'Otto Operator', role: 'operator', customerId: null },
  service: { email: 'service@fixtures.example', name: 'Sam Service', role: 'service', customerId: null },
  acmeBuyer: { email: 'buyer@acme.example', name: 'Alice Acme', role: 'customer', customerId: 'fx-acme' },
  globexBuyer: { email: 'buyer@globex.example', name: 'Gustav Globex', role: 'customer', customerId: 'fx-globex' },
  disabled: { email: 'gone@fixtures.example', name: 'Dana Disabled', role: 'operator', customerId: null, disabled: true },
};

export type FixtureDeviceKey = 'acme1' | 'acme2' | 'globex1';
export interface FixtureDevice {
  id: string;
  serial: string;
  modelId: string;
  siteId: string;
  customerId: string;
  /** The MQTT password; the database holds only its HMAC (fixtureTokenHasher). */
  token: string;
}

const DEVICE_SPECS: Record<FixtureDeviceKey, Omit<FixtureDevice, 'token'> & { online: boolean | null }> = {
  acme1: { id: 'FX-ACME-001', serial: 'FXSN-0001', modelId: 'AF37', siteId: 'fx-acme-north', customerId: 'fx-acme', online: true },
  acme2: { id: 'FX-ACME-002', serial: 'FXSN-0002', modelId: 'AF22', siteId: 'fx-acme-south', customerId: 'fx-acme', online: null },
  globex1: { id: 'FX-GLOBEX-001', serial: 'FXSN-0003', modelId: 'AF90V', siteId: 'fx-globex-main', customerId: 'fx-globex', online: false },
};

export interface PlatformFixtures {
  customers: typeof FIXTURE_CUSTOMERS;
  sites: typeof FIXTURE_SITES;
  users: Record<FixtureUserKey, FixtureUser>;
  devices: Record<FixtureDeviceKey, FixtureDevice>;
  /** Timestamp (epoch ms) of the newest seeded telemetry sample; acme1 and globex1 have samples every 5 s before it. */
  telemetryEndMs: number;
  telemetrySamplesPerDevice: number;
}

export interface TelemetrySample {
  ts: number;
  seq?: number;
  state?: MachineState;
  metrics: Partial<Record<MetricKey, number>>;
  extras?: Record<string, number>;
}

/** Inserts telemetry rows as ingest would store them (typed columns via METRIC_COLUMNS). */
export async function insertTelemetry(pool: pg.Pool, deviceId: string, samples: readonly TelemetrySample[]): Promise<void> {
  const columns = METRIC_KEYS.map((k) => METRIC_COLUMNS[k]);
  for (const [i, s] of samples.entries()) {
    const values = [deviceId, new Date(s.ts), s.seq ?? i, s.state ?? 'loaded', ...METRIC_KEYS.map((k) => s.metrics[k] ?? null), s.extras ? JSON.stringify(s.extras) : null];
    const placeholders = values.map((_, j) => `$${j + 1}`).join(', ');
    await pool.query(`INSERT INTO telemetry (device_id, ts, seq, state, ${columns.join(', ')}, extras) VALUES (${placeholders})`, values);
  }
}

function sampleMetrics(i: number): Partial<Record<MetricKey, number>> {
  return {
    pressureBar: 7 + (i % 5) * 0.1,
    elementTempC: 80 + (i % 3),
    ambientTempC: 22,
    motorCurrentA: 60 + i,
    powerKw: 35 + (i % 4),
    flowM3Min: 6,
    separatorDpBar: 0.2,
    airFilterDpMbar: 20,
    vibrationMmS: 2,
    runningHours: 1000 + i / 720,
    loadedHours: 800 + i / 720,
    motorStarts: 100,
    loadCycles: 5000 + i,
  };
}

export async function seedPlatformFixtures(pool: pg.Pool, options: { now?: number } = {}): Promise<PlatformFixtures> {
  const now = options.now ?? Date.now();
  await syncCatalogue(pool);
  for (const c of Object.values(FIXTURE_CUSTOMERS)) {
    await pool.query('INSERT INTO customers (id, name) VALUES ($1, $2)', [c.id, c.name]);
  }
  for (const s of Object.values(FIXTURE_SITES)) {
    await pool.query('INSERT INTO sites (id, customer_id, name, city, country, region, timezone) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      s.id,
      s.customerId,
      s.name,
      s.city,
      s.country,
      s.region,
      s.timezone,
    ]);
  }

  const usersRepo = createUsersRepository(pool);
  const passwordHash = await hashSecret(FIXTURE_PASSWORD, FAST_SCRYPT);
  const users = {} as Record<FixtureUserKey, FixtureUser>;
  for (const [key, spec] of Object.entries(USER_SPECS) as [FixtureUserKey, (typeof USER_SPECS)[FixtureUserKey]][]) {
    const id = await usersRepo.create({ email: spec.email, name: spec.name, passwordHash, role: spec.role, customerId: spec.customerId });
    if (spec.disabled) await usersRepo.setDisabled(id, true);
    users[key] = { id, email: spec.email, password: FIXTURE_PASSWORD, role: spec.role, customerId: spec.customerId };
  }

  const samplesPerDevice = 12;
  const devices = {} as Record<FixtureDeviceKey, FixtureDevice>;
  for (const [key, spec] of Object.entries(DEVICE_SPECS) as [FixtureDeviceKey, (typeof DEVICE_SPECS)[FixtureDeviceKey]][]) {
    const token = `fixture-token-${key}-0123456789abcdef`;
    await pool.query('INSERT INTO devices (id, serial, model_id, site_id) VALUES ($1, $2, $3, $4)', [spec.id, spec.serial, spec.modelId, spec.siteId]);
    await pool.query('INSERT INTO device_credentials (device_id, token_hash) VALUES ($1, $2)', [spec.id, fixtureTokenHasher.hash(token)]);
    const { online, ...device } = spec;
    devices[key] = { ...device, token };
    if (online !== null) {
      await pool.query(
        `INSERT INTO device_status (device_id, online, firmware, model, payload, device_ts, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [spec.id, online, '1.0.0', spec.modelId, JSON.stringify({ online }), new Date(now)],
      );
    }
    // acme2 has never sent anything: no status, no telemetry, no latest values.
    if (key === 'acme2') continue;
    const samples = Array.from({ length: samplesPerDevice }, (_, i) => ({
      ts: now - (samplesPerDevice - 1 - i) * 5000,
      seq: i,
      state: 'loaded' as const,
      metrics: sampleMetrics(i),
    }));
    await insertTelemetry(pool, spec.id, samples);
    const last = samples[samples.length - 1]!;
    await pool.query('INSERT INTO device_latest (device_id, ts, seq, state, metrics, received_at) VALUES ($1, $2, $3, $4, $5, $2)', [
      spec.id,
      new Date(last.ts),
      last.seq,
      last.state,
      JSON.stringify(last.metrics),
    ]);
  }

  return { customers: FIXTURE_CUSTOMERS, sites: FIXTURE_SITES, users, devices, telemetryEndMs: now, telemetrySamplesPerDevice: samplesPerDevice };
}

export const TEST_SERVICE_USERNAME = 'airfleet-platform';

export function testAppConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    cookieSecure: false,
    sessionTtlHours: 1,
    loginRateLimitPerMin: 1000,
    reservedDeviceIds: [TEST_SERVICE_USERNAME],
    deviceTokenPepper: FIXTURE_DEVICE_TOKEN_PEPPER,
    ...overrides,
  };
}

export interface TestApp {
  app: App;
  metrics: Registry;
  /** Flip what /readyz reports for the outbox relay. */
  setEventsListening(listening: boolean): void;
}

/** buildApp with a silent logger, a fresh registry and a controllable readiness of the events relay. */
export async function buildTestApp(pool: pg.Pool, overrides: Partial<Omit<AppDeps, 'pool' | 'config'>> & { config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  let events = true;
  const metrics = overrides.metrics ?? new Registry();
  const { config, ...rest } = overrides;
  const app = buildApp({
    log: createLogger('platform-test', { level: (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent' }),
    readiness: () => ({ events }),
    ...rest,
    pool,
    metrics,
    config: testAppConfig(config),
  });
  await app.ready();
  return { app, metrics, setEventsListening: (c) => (events = c) };
}

/** Logs in through app.inject and returns the `Cookie` header value for later requests. */
export async function loginCookie(app: FastifyInstance | App, email: string, password = FIXTURE_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'airfleet_session');
  if (!cookie) throw new Error('login set no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

export interface FixtureApp {
  readonly pool: pg.Pool;
  readonly app: App;
  readonly fx: PlatformFixtures;
}

/**
 * For a test file that works at one fixed moment: a fresh database seeded with the fixtures at
 * `now` and the app on the same clock, made in beforeAll (before the file's own hooks, which are
 * registered later) and dropped in afterAll. Its fields are there once beforeAll has run.
 */
export function fixtureAppAt(now: number): FixtureApp {
  let db: TestDatabase | undefined;
  let t: TestApp | undefined;
  let fx: PlatformFixtures | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    fx = await seedPlatformFixtures(db.pool, { now });
    t = await buildTestApp(db.pool, { clock: () => now });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('fixtureAppAt: used before its beforeAll ran');
    return value;
  };
  return {
    get pool() {
      return ready(db).pool;
    },
    get app() {
      return ready(t).app;
    },
    get fx() {
      return ready(fx);
    },
  };
}
