import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, createPgCredentialStore, type Gateway } from '@airfleet/gateway';
import { createLogger, hashSecret, isDeviceTokenHmac } from '@airfleet/runtime';
import { SERVICE, TEST_DEVICE_TOKEN_PEPPER, endAll, metricValue, returnCodeOf, testTokenHasher, tryConnect } from '../../gateway/src/gateway.test-kit.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { insertTenant, provisionDevice } from './pg-devices.ts';

const FAST = { N: 1024, r: 8, p: 1 };
const log = createLogger('gateway-pg-test', { level: 'silent' });

async function start(pool: pg.Pool): Promise<{ gateway: Gateway; mqttPort: number; registry: Registry }> {
  const registry = new Registry();
  const gateway = createGateway({ credentials: createPgCredentialStore(pool), service: SERVICE, deviceTokenPepper: TEST_DEVICE_TOKEN_PEPPER, log, registry });
  const { mqttPort } = await gateway.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });
  return { gateway, mqttPort, registry };
}

async function storedHash(pool: pg.Pool, deviceId: string): Promise<string> {
  const { rows } = await pool.query<{ token_hash: string }>('SELECT token_hash FROM device_credentials WHERE device_id = $1', [deviceId]);
  return rows[0]!.token_hash;
}

describe('gateway authenticating against PostgreSQL', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let mqttPort: number;
  let registry: Registry;
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertTenant(db.pool);
    await provisionDevice(db.pool, 'AF37-100001', testTokenHasher.hash('token-1'));
    await provisionDevice(db.pool, 'AF37-100002', testTokenHasher.hash('token-2'), { enabled: false });
    // Written before device hashes moved to HMAC.
    await provisionDevice(db.pool, 'AF37-100003', await hashSecret('token-3', FAST));
    await provisionDevice(db.pool, 'AF37-100004', await hashSecret('token-4', FAST));
    ({ gateway, mqttPort, registry } = await start(db.pool));
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.drop();
  });

  it.each([
    ['a provisioned device with its token', 'AF37-100001', 'token-1', 0],
    ['a wrong token', 'AF37-100001', 'token-2', 4],
    ['an unknown device', 'AF37-100009', 'token-1', 4],
    ['a disabled device', 'AF37-100002', 'token-2', 5],
  ])('%s → CONNACK %i', async (_name, id, token, expected) => {
    const result = await tryConnect(mqttPort, { clientId: id, username: id, password: token });
    expect(returnCodeOf(result)).toBe(expected);
    if ('client' in result) await endAll(result.client);
  });

  it('lets a device with a legacy scrypt hash connect and re-hashes its row to HMAC', async () => {
    const before = await storedHash(db.pool, 'AF37-100003');
    expect(before).toMatch(/^scrypt\$/);
    const result = await tryConnect(mqttPort, { clientId: 'AF37-100003', username: 'AF37-100003', password: 'token-3' });
    expect(returnCodeOf(result)).toBe(0);
    if ('client' in result) await endAll(result.client);
    const after = await storedHash(db.pool, 'AF37-100003');
    expect(isDeviceTokenHmac(after)).toBe(true);
    expect(after).toBe(testTokenHasher.hash('token-3'));
    expect(await metricValue(registry, 'airfleet_gateway_device_hashes_upgraded_total')).toBe(1);
  });

  it('keeps a legacy hash when the token presented is wrong', async () => {
    const before = await storedHash(db.pool, 'AF37-100004');
    expect(returnCodeOf(await tryConnect(mqttPort, { clientId: 'AF37-100004', username: 'AF37-100004', password: 'token-3' }))).toBe(4);
    expect(await storedHash(db.pool, 'AF37-100004')).toBe(before);
  });
});

describe('gateway with its database unreachable', () => {
  let pool: pg.Pool;
  let gateway: Gateway;
  let mqttPort: number;
  beforeAll(async () => {
    // Nothing listens on this port: every query fails, as during a database restart.
    pool = new pg.Pool({ host: '127.0.0.1', port: await freePort(), user: 'x', password: 'x', database: 'x', connectionTimeoutMillis: 2_000 });
    pool.on('error', () => undefined);
    ({ gateway, mqttPort } = await start(pool));
  });
  afterAll(async () => {
    await gateway?.close();
    await pool?.end();
  });

  it('answers devices with CONNACK 3 (server unavailable), not 4, and keeps serving', async () => {
    expect(returnCodeOf(await tryConnect(mqttPort, { clientId: 'AF37-100001', username: 'AF37-100001', password: 'token-1' }))).toBe(3);
    // The service credential does not depend on the database.
    const service = await tryConnect(mqttPort, { clientId: 'airfleet-ingest', username: SERVICE.username, password: SERVICE.password });
    expect(returnCodeOf(service)).toBe(0);
    if ('client' in service) await endAll(service.client);
  });
});
