import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '@airfleet/runtime';
import {
  buildTestApp,
  FAST_SCRYPT,
  fixtureTokenHasher,
  loginCookie,
  seedPlatformFixtures,
  TEST_SERVICE_USERNAME,
  type PlatformFixtures,
  type TestApp,
} from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';

let db: TestDatabase;
let fx: PlatformFixtures;
let t: TestApp;
const cookies: Record<'admin' | 'operator' | 'service' | 'acme' | 'globex', string> = { admin: '', operator: '', service: '', acme: '', globex: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedPlatformFixtures(db.pool);
  t = await buildTestApp(db.pool);
  cookies.admin = await loginCookie(t.app, fx.users.admin.email);
  cookies.operator = await loginCookie(t.app, fx.users.operator.email);
  cookies.service = await loginCookie(t.app, fx.users.service.email);
  cookies.acme = await loginCookie(t.app, fx.users.acmeBuyer.email);
  cookies.globex = await loginCookie(t.app, fx.users.globexBuyer.email);
});
afterAll(async () => {
  await t?.app.close();
  await db?.drop();
});

const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, cookie: string, payload?: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
const ids = (body: { items: Array<{ id: string }> }): string[] => body.items.map((d) => d.id).sort();

describe('role access', () => {
  it.each(['/api/models', '/api/sites', '/api/devices', '/api/devices/FX-ACME-001', '/api/devices/FX-ACME-001/telemetry', '/api/dead-letters'])(
    'GET %s needs a session (401)',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED', requestId: res.headers['x-request-id'] });
    },
  );

  it('every role can read models, sites and devices', async () => {
    for (const cookie of Object.values(cookies)) {
      for (const url of ['/api/models', '/api/sites', '/api/devices']) expect((await get(url, cookie)).statusCode).toBe(200);
    }
  });

  it.each(['operator', 'service', 'acme'] as const)('%s may not provision, rotate tokens or read dead letters (403)', async (who) => {
    const created = await post('/api/devices', cookies[who], { id: 'FX-NOPE-1', modelId: 'AF22', siteId: 'fx-acme-north' });
    expect(created.statusCode).toBe(403);
    expect(created.json().code).toBe('FORBIDDEN');
    expect((await post('/api/devices/FX-ACME-001/token', cookies[who])).statusCode).toBe(403);
    expect((await get('/api/dead-letters', cookies[who])).statusCode).toBe(403);
    const { rows } = await db.pool.query(`SELECT 1 FROM devices WHERE id = 'FX-NOPE-1'`);
    expect(rows).toHaveLength(0);
  });
});

describe('GET /api/models', () => {
  it('answers the synced catalogue', async () => {
    const body = (await get('/api/models', cookies.acme)).json();
    expect(body.models.map((m: { id: string }) => m.id)).toEqual(['AF22', 'AF37', 'AF75', 'AF90V']);
    expect(body.models[1]).toMatchObject({ ratedPowerKw: 40.5, flaA: 68, drive: 'fixed', limits: { elementTempTripC: 120 } });
    expect(body.models[1].servicePlan.levels).toHaveLength(4);
  });
});

describe('customer scoping (OWASP API1)', () => {
  it('a customer sees only its own sites', async () => {
    const acme = (await get('/api/sites', cookies.acme)).json();
    expect(acme.sites.map((s: { id: string }) => s.id).sort()).toEqual(['fx-acme-north', 'fx-acme-south']);
    expect(acme.sites[0]).toMatchObject({ customerId: 'fx-acme', customerName: 'Acme Pressings' });
    expect((await get('/api/sites', cookies.operator)).json().sites).toHaveLength(3);
  });

  it('a customer lists only its own devices, whatever it filters on', async () => {
    expect(ids((await get('/api/devices', cookies.acme)).json())).toEqual(['FX-ACME-001', 'FX-ACME-002']);
    expect(ids((await get('/api/devices', cookies.globex)).json())).toEqual(['FX-GLOBEX-001']);
    const probing = (await get('/api/devices?customerId=fx-globex', cookies.acme)).json();
    expect(probing).toMatchObject({ items: [], total: 0 });
    expect((await get('/api/devices?q=globex', cookies.acme)).json().total).toBe(0);
    expect(ids((await get('/api/devices', cookies.service)).json())).toEqual(['FX-ACME-001', 'FX-ACME-002', 'FX-GLOBEX-001']);
  });

  it("another customer's device and its telemetry answer 404, like a missing one", async () => {
    const device = await get('/api/devices/FX-GLOBEX-001', cookies.acme);
    const missing = await get('/api/devices/FX-MISSING-1', cookies.acme);
    expect(device.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(device.json().code).toBe('NOT_FOUND');
    expect(device.json().message).toBe('device FX-GLOBEX-001 not found');
    const telemetry = await get('/api/devices/FX-GLOBEX-001/telemetry', cookies.acme);
    expect(telemetry.statusCode).toBe(404);
    expect(telemetry.json().code).toBe('NOT_FOUND');
    // The owner and staff do see it.
    expect((await get('/api/devices/FX-GLOBEX-001', cookies.globex)).statusCode).toBe(200);
    expect((await get('/api/devices/FX-GLOBEX-001/telemetry', cookies.globex)).statusCode).toBe(200);
    expect((await get('/api/devices/FX-GLOBEX-001', cookies.operator)).statusCode).toBe(200);
  });
});

describe('GET /api/devices', () => {
  it('carries latest values and online state', async () => {
    const body = (await get('/api/devices', cookies.operator)).json();
    expect(body).toMatchObject({ total: 3, limit: 100, offset: 0 });
    const byId = Object.fromEntries(body.items.map((d: { id: string }) => [d.id, d]));
    expect(byId['FX-ACME-001']).toMatchObject({
      serial: 'FXSN-0001',
      modelId: 'AF37',
      siteId: 'fx-acme-north',
      customerId: 'fx-acme',
      enabled: true,
      online: true,
      firmware: '1.0.0',
      lastSeenAt: new Date(fx.telemetryEndMs).toISOString(),
      latest: { ts: new Date(fx.telemetryEndMs).toISOString(), seq: 11, state: 'loaded', metrics: { motorCurrentA: 71, loadCycles: 5011 } },
    });
    expect(byId['FX-ACME-002']).toMatchObject({ online: false, firmware: null, statusAt: null, lastSeenAt: null, latest: null });
    expect(byId['FX-GLOBEX-001']).toMatchObject({ online: false });
  });

  it('filters by q, site, model, state and online', async () => {
    const q = async (query: string) => ids((await get(`/api/devices?${query}`, cookies.admin)).json());
    expect(await q('q=south')).toEqual(['FX-ACME-002']); // site name
    expect(await q('q=GLOBEX%20bottling')).toEqual(['FX-GLOBEX-001']); // customer name, any case
    expect(await q('q=fxsn-0001')).toEqual(['FX-ACME-001']); // serial
    expect(await q('q=%25')).toEqual([]); // LIKE wildcards are literal
    expect(await q('siteId=fx-acme-north')).toEqual(['FX-ACME-001']);
    expect(await q('modelId=AF90V')).toEqual(['FX-GLOBEX-001']);
    expect(await q('state=loaded')).toEqual(['FX-ACME-001', 'FX-GLOBEX-001']);
    expect(await q('online=true')).toEqual(['FX-ACME-001']);
    expect(await q('online=false')).toEqual(['FX-ACME-002', 'FX-GLOBEX-001']);
    expect(await q('customerId=fx-acme&modelId=AF22')).toEqual(['FX-ACME-002']);
  });

  it('sorts and pages with a stable total', async () => {
    const page1 = (await get('/api/devices?sort=id&order=desc&limit=2', cookies.admin)).json();
    expect(page1.items.map((d: { id: string }) => d.id)).toEqual(['FX-GLOBEX-001', 'FX-ACME-002']);
    expect(page1.total).toBe(3);
    const page2 = (await get('/api/devices?sort=id&order=desc&limit=2&offset=2', cookies.admin)).json();
    expect(page2.items.map((d: { id: string }) => d.id)).toEqual(['FX-ACME-001']);
    expect(page2.total).toBe(3);
    const beyond = (await get('/api/devices?offset=10', cookies.admin)).json();
    expect(beyond).toMatchObject({ items: [], total: 3 });
    const bySite = (await get('/api/devices?sort=site', cookies.admin)).json();
    expect(bySite.items.map((d: { siteId: string }) => d.siteId)).toEqual(['fx-acme-north', 'fx-acme-south', 'fx-globex-main']);
  });

  it('refuses bad query parameters with VALIDATION_FAILED details', async () => {
    const res = await get('/api/devices?limit=0&sort=colour&online=maybe', cookies.admin);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', requestId: res.headers['x-request-id'] });
    expect(body.details.map((d: { path: string }) => d.path).sort()).toEqual(['querystring.limit', 'querystring.online', 'querystring.sort']);
    for (const d of body.details) expect(d.message).toEqual(expect.any(String));
  });

  it('refuses an id outside the protocol character set', async () => {
    const res = await get('/api/devices/bad%2Bid', cookies.admin);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('params.id');
  });
});

describe('POST /api/devices (provisioning)', () => {
  it('returns the token once and stores only its HMAC, with the device, atomically', async () => {
    const res = await post('/api/devices', cookies.admin, { id: 'FX-NEW-001', modelId: 'AF75', siteId: 'fx-globex-main', serial: 'SN-NEW-1' });
    expect(res.statusCode).toBe(201);
    const { device, token } = res.json();
    expect(device).toMatchObject({ id: 'FX-NEW-001', serial: 'SN-NEW-1', modelId: 'AF75', siteId: 'fx-globex-main', customerId: 'fx-globex', online: false, latest: null });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { rows } = await db.pool.query('SELECT * FROM device_credentials WHERE device_id = $1', [device.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(token);
    expect(rows[0].token_hash).toMatch(/^hmac-sha256\$[0-9a-f]{64}$/);
    expect(rows[0].token_hash).toBe(fixtureTokenHasher.hash(token));
    // The token is not retrievable afterwards.
    expect((await get('/api/devices/FX-NEW-001', cookies.admin)).body).not.toContain(token);
  });

  it('generates a serial when none is given', async () => {
    const res = await post('/api/devices', cookies.admin, { id: 'FX-NEW-002', modelId: 'AF22', siteId: 'fx-acme-north' });
    expect(res.statusCode).toBe(201);
    expect(res.json().device.serial).toMatch(/^AF22-[0-9A-F]{10}$/);
  });

  it('409 DEVICE_EXISTS for a duplicate id, 409 SERIAL_EXISTS for a used serial; nothing changes', async () => {
    const before = (await db.pool.query(`SELECT token_hash FROM device_credentials WHERE device_id = 'FX-ACME-001'`)).rows[0].token_hash;
    const dup = await post('/api/devices', cookies.admin, { id: 'FX-ACME-001', modelId: 'AF22', siteId: 'fx-acme-north' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'DEVICE_EXISTS', message: 'device FX-ACME-001 already exists' });
    const after = (await db.pool.query(`SELECT token_hash FROM device_credentials WHERE device_id = 'FX-ACME-001'`)).rows[0].token_hash;
    expect(after).toBe(before);
    const serial = await post('/api/devices', cookies.admin, { id: 'FX-NEW-003', modelId: 'AF22', siteId: 'fx-acme-north', serial: 'FXSN-0001' });
    expect(serial.statusCode).toBe(409);
    expect(serial.json().code).toBe('SERIAL_EXISTS');
    expect((await db.pool.query(`SELECT 1 FROM devices WHERE id = 'FX-NEW-003'`)).rows).toHaveLength(0);
  });

  it('422 for an unknown model or site, without leaving a row behind', async () => {
    const model = await post('/api/devices', cookies.admin, { id: 'FX-NEW-004', modelId: 'AF999', siteId: 'fx-acme-north' });
    expect(model.statusCode).toBe(422);
    expect(model.json().code).toBe('UNKNOWN_MODEL');
    const site = await post('/api/devices', cookies.admin, { id: 'FX-NEW-004', modelId: 'AF22', siteId: 'nowhere' });
    expect(site.statusCode).toBe(422);
    expect(site.json().code).toBe('UNKNOWN_SITE');
    expect((await db.pool.query(`SELECT 1 FROM device_credentials WHERE device_id = 'FX-NEW-004'`)).rows).toHaveLength(0);
  });

  it("refuses the MQTT service username as a device id (422 RESERVED_DEVICE_ID)", async () => {
    for (const id of [TEST_SERVICE_USERNAME, TEST_SERVICE_USERNAME.toUpperCase(), 'airfleet-ingest', 'AirFleet-anything']) {
      const res = await post('/api/devices', cookies.admin, { id, modelId: 'AF22', siteId: 'fx-acme-north' });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('RESERVED_DEVICE_ID');
    }
    expect((await db.pool.query('SELECT 1 FROM devices WHERE lower(id) = $1', [TEST_SERVICE_USERNAME])).rows).toHaveLength(0);
  });

  it('validates the body (strict: unknown fields refused)', async () => {
    const res = await post('/api/devices', cookies.admin, { id: 'has/slash', modelId: 'AF22', siteId: 'fx-acme-north', colour: 'red' });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path);
    expect(paths).toContain('body.id');
    expect(paths.some((p: string) => p.startsWith('body'))).toBe(true);
    expect(res.json().details.length).toBeGreaterThanOrEqual(2);
  });
});

describe('POST /api/devices/{id}/token (rotation)', () => {
  it('replaces the hash: the new token verifies, the old one no longer does', async () => {
    const oldToken = fx.devices.acme1.token;
    const hashOf = async () => (await db.pool.query(`SELECT token_hash FROM device_credentials WHERE device_id = 'FX-ACME-001'`)).rows[0].token_hash as string;
    expect((await fixtureTokenHasher.verify(oldToken, await hashOf())).matches).toBe(true);
    const res = await post('/api/devices/FX-ACME-001/token', cookies.admin);
    expect(res.statusCode).toBe(200);
    const { deviceId, token } = res.json();
    expect(deviceId).toBe('FX-ACME-001');
    expect(token).not.toBe(oldToken);
    const hash = await hashOf();
    expect(hash).not.toContain(token);
    expect(await fixtureTokenHasher.verify(token, hash)).toEqual({ matches: true, legacy: false });
    expect((await fixtureTokenHasher.verify(oldToken, hash)).matches).toBe(false);
  });

  it('writes an HMAC hash over a legacy scrypt credential', async () => {
    const hashOf = async () => (await db.pool.query(`SELECT token_hash FROM device_credentials WHERE device_id = 'FX-ACME-002'`)).rows[0].token_hash as string;
    await db.pool.query(`UPDATE device_credentials SET token_hash = $1 WHERE device_id = 'FX-ACME-002'`, [await hashSecret('legacy-token', FAST_SCRYPT)]);
    const res = await post('/api/devices/FX-ACME-002/token', cookies.admin);
    expect(res.statusCode).toBe(200);
    expect(await hashOf()).toBe(fixtureTokenHasher.hash(res.json().token));
  });

  it('404 for an unknown device', async () => {
    const res = await post('/api/devices/FX-MISSING-9/token', cookies.admin);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});
