import { Writable } from 'node:stream';
import pino from 'pino';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSOR_MODELS, errorBodySchema } from '@airfleet/contracts';
import { buildTestApp, loginCookie, seedPlatformFixtures, type PlatformFixtures, type TestApp } from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { syncCatalogue } from '../repositories/catalogue.repository.ts';

let db: TestDatabase;
let fx: PlatformFixtures;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedPlatformFixtures(db.pool);
  t = await buildTestApp(db.pool);
});
afterAll(async () => {
  await t?.app.close();
  await db?.drop();
});

describe('OpenAPI', () => {
  it('/docs/json is an OpenAPI 3 document with every fixed path, generated from the zod schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('AirFleet platform API');
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/models',
      '/api/sites',
      '/api/devices',
      '/api/devices/{id}',
      '/api/devices/{id}/telemetry',
      '/api/devices/{id}/token',
      '/api/dead-letters',
      '/api/dead-letters/counts',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(paths.some((p) => p.startsWith('/docs'))).toBe(false);
    // Structural validity: every operation answers something, and every {param} in a path
    // template is declared as a required path parameter (what OpenAPI 3 tools insist on).
    for (const [path, item] of Object.entries<Record<string, { responses: object; parameters?: Array<{ in: string; name: string; required: boolean }> }>>(doc.paths)) {
      for (const op of Object.values(item)) {
        expect(Object.keys(op.responses).length, path).toBeGreaterThan(0);
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path' && p.required).map((p) => p.name);
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        expect(declared.sort(), path).toEqual(templated.sort());
      }
    }
    // Schemas come through: query parameters, the request body and tags.
    const telemetryParams = doc.paths['/api/devices/{id}/telemetry'].get.parameters.map((p: { name: string }) => p.name);
    expect(telemetryParams).toEqual(expect.arrayContaining(['id', 'from', 'to', 'metrics', 'maxPoints']));
    const login = doc.paths['/api/auth/login'].post;
    expect(login.tags).toEqual(['auth']);
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
    expect(doc.paths['/api/devices'].post.responses).toHaveProperty('201');
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'airfleet_session' });
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('errors', () => {
  it('an unknown route answers 404 in the error-body shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope?x=<script>' });
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(errorBodySchema.parse(body)).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'route GET /api/nope not found', requestId: res.headers['x-request-id'] });
  });

  it('echoes a sane inbound x-request-id and replaces a hostile one', async () => {
    const echoed = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'x-request-id': 'edge-1234' } });
    expect(echoed.headers['x-request-id']).toBe('edge-1234');
    expect(echoed.json().requestId).toBe('edge-1234');
    const replaced = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'x-request-id': 'x\nforged log line' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('malformed JSON is a 400 BAD_REQUEST in the same shape', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(res.statusCode).toBe(400);
    expect(errorBodySchema.parse(res.json())).toMatchObject({ code: 'BAD_REQUEST', requestId: res.headers['x-request-id'] });
  });

  it('a database failure is a generic 500 INTERNAL that does not leak the cause', async () => {
    const broken = await createTestDatabase();
    const app = await buildTestApp(broken.pool);
    try {
      await broken.pool.query('DROP TABLE sessions CASCADE');
      const res = await app.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: 'airfleet_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ statusCode: 500, code: 'INTERNAL', message: 'internal server error', requestId: res.headers['x-request-id'] });
      expect(res.body).not.toContain('sessions');
    } finally {
      await app.app.close();
      await broken.drop();
    }
  });
});

describe('ops endpoints', () => {
  it('/healthz answers 200', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 only with the database and the events relay up, else 503 naming the failed part', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ready', checks: { database: true, events: true } });
    t.setEventsListening(false);
    try {
      const down = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'not_ready', checks: { database: true, events: false } });
    } finally {
      t.setEventsListening(true);
    }
  });

  it('/readyz is 503 when the database is unreachable', async () => {
    const scratch = await createTestDatabase();
    const app = await buildTestApp(scratch.pool);
    try {
      await scratch.pool.end();
      const res = await app.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks).toEqual({ database: false, events: true });
    } finally {
      await app.app.close();
      await scratch.drop();
    }
  });

  it('/metrics serves the shared registry in Prometheus text, with HTTP request metrics', async () => {
    const registry = new Registry();
    const ingestCounter = new Counter({ name: 'airfleet_test_ingest_total', help: 'from ingest', registers: [registry] });
    ingestCounter.inc(3);
    const app = await buildTestApp(db.pool, { metrics: registry });
    try {
      await app.app.inject({ method: 'GET', url: '/api/devices/FX-ACME-001' });
      const res = await app.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toContain('airfleet_test_ingest_total 3');
      expect(res.body).toMatch(/airfleet_http_requests_total\{method="GET",route="\/api\/devices\/:id",status_code="401"\} 1/);
      expect(res.body).toContain('airfleet_http_request_duration_seconds_bucket');
      // A second app on the same registry (tests, restarts in-process) reuses the metrics.
      const again = await buildTestApp(db.pool, { metrics: registry });
      await again.app.close();
    } finally {
      await app.app.close();
    }
  });
});

describe('GET /api/dead-letters', () => {
  beforeAll(async () => {
    const rows: Array<[string, string | null, string, string]> = [
      ['2025-03-01T10:00:00Z', 'FX-ACME-001', 'malformed_json', '{"ts":'],
      ['2025-03-01T11:00:00Z', 'FX-ACME-001', 'out_of_range', '{"ts":1,"metrics":{"pressureBar":99}}'],
      ['2025-03-01T12:00:00Z', null, 'topic_invalid', 'x'],
      ['2025-03-01T13:00:00Z', 'FX-GLOBEX-001', 'out_of_range', '{}'],
    ];
    for (const [at, deviceId, reason, payload] of rows) {
      await db.pool.query(
        `INSERT INTO dead_letters (received_at, topic, device_id, reason, detail, payload, payload_bytes) VALUES ($1, $2, $3, $4, 'why', $5, $6)`,
        [at, `v1/devices/${deviceId ?? '+'}/telemetry`, deviceId, reason, payload, Buffer.byteLength(payload)],
      );
    }
  });

  it('lists newest first with filters, paging and a total (admin)', async () => {
    const cookie = await loginCookie(t.app, fx.users.admin.email);
    const all = (await t.app.inject({ method: 'GET', url: '/api/dead-letters', headers: { cookie } })).json();
    expect(all.total).toBe(4);
    expect(all.items.map((d: { receivedAt: string }) => d.receivedAt)).toEqual([
      '2025-03-01T13:00:00.000Z',
      '2025-03-01T12:00:00.000Z',
      '2025-03-01T11:00:00.000Z',
      '2025-03-01T10:00:00.000Z',
    ]);
    expect(all.items[2]).toMatchObject({ deviceId: 'FX-ACME-001', reason: 'out_of_range', detail: 'why', payloadBytes: 37, topic: 'v1/devices/FX-ACME-001/telemetry' });
    const filtered = (await t.app.inject({ method: 'GET', url: '/api/dead-letters?deviceId=FX-ACME-001&reason=out_of_range', headers: { cookie } })).json();
    expect(filtered.total).toBe(1);
    const paged = (await t.app.inject({ method: 'GET', url: '/api/dead-letters?limit=1&offset=1', headers: { cookie } })).json();
    expect(paged).toMatchObject({ total: 4, items: [{ reason: 'topic_invalid', deviceId: null }] });
    const bad = await t.app.inject({ method: 'GET', url: '/api/dead-letters?reason=bored', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.reason');
  });
});

describe('GET /api/dead-letters/counts', () => {
  it('sums refused, stored and only counted per source and reason over the last hours, most first (admin)', async () => {
    const now = Date.now();
    const minute = (ago: number) => new Date(Math.floor((now - ago) / 60_000) * 60_000);
    const rows: Array<[string, string | null, string, Date, number, number]> = [
      ['FX-ACME-001', 'FX-ACME-001', 'malformed_json', minute(30 * 60_000), 10, 4000],
      ['FX-ACME-001', 'FX-ACME-001', 'malformed_json', minute(20 * 60_000), 10, 200],
      ['FX-ACME-001', 'FX-ACME-001', 'out_of_range', minute(10 * 60_000), 2, 0],
      ['v1/junk', null, 'topic_invalid', minute(5 * 60_000), 1, 0],
      // Three hours ago: outside hours=1, inside the default 24.
      ['FX-GLOBEX-001', 'FX-GLOBEX-001', 'malformed_json', minute(3 * 3_600_000), 10, 90],
    ];
    for (const [source, deviceId, reason, windowStart, kept, dropped] of rows) {
      await db.pool.query(
        `INSERT INTO dead_letter_counts (source, device_id, reason, window_start, kept, dropped, last_at) VALUES ($1, $2, $3, $4, $5, $6, $4::timestamptz + INTERVAL '30 seconds')`,
        [source, deviceId, reason, windowStart, kept, dropped],
      );
    }
    const cookie = await loginCookie(t.app, fx.users.admin.email);
    const hour = (await t.app.inject({ method: 'GET', url: '/api/dead-letters/counts?hours=1', headers: { cookie } })).json();
    expect(hour.items).toEqual([
      { source: 'FX-ACME-001', deviceId: 'FX-ACME-001', reason: 'malformed_json', received: 4220, kept: 20, dropped: 4200, firstWindowAt: minute(30 * 60_000).toISOString(), lastAt: expect.any(String) },
      expect.objectContaining({ source: 'FX-ACME-001', reason: 'out_of_range', received: 2, kept: 2, dropped: 0 }),
      expect.objectContaining({ source: 'v1/junk', deviceId: null, reason: 'topic_invalid', received: 1 }),
    ]);
    expect(hour.totals).toEqual({ received: 4223, kept: 23, dropped: 4200 });
    const day = (await t.app.inject({ method: 'GET', url: '/api/dead-letters/counts?deviceId=FX-GLOBEX-001', headers: { cookie } })).json();
    expect(day.items).toEqual([expect.objectContaining({ source: 'FX-GLOBEX-001', received: 100, kept: 10, dropped: 90 })]);
    const bad = await t.app.inject({ method: 'GET', url: '/api/dead-letters/counts?hours=0', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.hours');
    const operator = await loginCookie(t.app, fx.users.operator.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/dead-letters/counts', headers: { cookie: operator } })).statusCode).toBe(403);
  });
});

describe('syncCatalogue', () => {
  it('upserts the contracts catalogue and is idempotent', async () => {
    await db.pool.query(`UPDATE compressor_models SET fla_a = 1, limits = '{}' WHERE id = 'AF37'`);
    expect(await syncCatalogue(db.pool)).toBe(COMPRESSOR_MODELS.length);
    expect(await syncCatalogue(db.pool)).toBe(COMPRESSOR_MODELS.length);
    const { rows } = await db.pool.query(`SELECT fla_a, limits FROM compressor_models WHERE id = 'AF37'`);
    expect(rows[0].fla_a).toBe(68);
    expect(rows[0].limits.elementTempTripC).toBe(120);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM compressor_models')).rows[0].n).toBe(COMPRESSOR_MODELS.length);
  });
});

describe('request logs (privacy)', () => {
  it('one line per request without the client address, headers or query text', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logged = await buildTestApp(db.pool, { log: pino({ level: 'info' }, sink) });
    try {
      const cookie = await loginCookie(logged.app, fx.users.acmeBuyer.email);
      await logged.app.inject({ method: 'GET', url: '/api/devices?limit=5&q=secret-search-text', headers: { cookie, 'x-forwarded-for': '203.0.113.9' }, remoteAddress: '198.51.100.7' });
    } finally {
      await logged.app.close();
    }
    const requests = lines.map((l) => JSON.parse(l) as { msg: string; request?: { path?: string } }).filter((l) => l.msg === 'request completed');
    expect(requests.map((r) => r.request?.path)).toEqual(['/api/auth/login', '/api/devices']);
    const all = lines.join('\n');
    for (const leak of ['198.51.100.7', '203.0.113.9', '127.0.0.1', 'remoteAddress', 'secret-search-text', 'airfleet_session=']) expect(all).not.toContain(leak);
  });
});
