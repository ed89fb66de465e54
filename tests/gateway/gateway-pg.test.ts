import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, createPgCredentialStore, type Gateway } from '@airfleet/gateway';
import { createLogger, hashSecret } from '@airfleet/runtime';
import { SERVICE, endAll, returnCodeOf, tryConnect } from '../../gateway/src/gateway.test-kit.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { insertTenant, provisionDevice } from './pg-devices.ts';

const FAST = { N: 1024, r: 8, p: 1 };
const log = createLogger('gateway-pg-test', { level: 'silent' });

async function start(pool: pg.Pool): Promise<{ gateway: Gateway; mqttPort: number }> {
  const gateway = createGateway({ credentials: createPgCredentialStore(pool), service: SERVICE, log, registry: new Registry() });
  const { mqttPort } = await gateway.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });
  return { gateway, mqttPort };
}

describe('gateway authenticating against PostgreSQL', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let mqttPort: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertTenant(db.pool);
    await provisionDevice(db.pool, 'AF37-100001', await hashSecret('token-1', FAST));
    await provisionDevice(db.pool, 'AF37-100002', await hashSecret('token-2', FAST), { enabled: false });
    ({ gateway, mqttPort } = await start(db.pool));
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
