import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@airfleet/contracts';
import { buildTestApp, type TestApp } from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';

const INDEX = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script></body></html>';
const BUNDLE = `console.log(${JSON.stringify('x'.repeat(4000))});`;

let db: TestDatabase;
let dir: string;
let withDashboard: TestApp;
let apiOnly: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'airfleet-dist-'));
  await mkdir(path.join(dir, 'assets'));
  await mkdir(path.join(dir, '.vite'));
  await writeFile(path.join(dir, 'index.html'), INDEX);
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(dir, 'assets/index-abc123.js'), BUNDLE);
  await writeFile(path.join(dir, 'assets/index-abc123.js.br'), brotliCompressSync(BUNDLE));
  await writeFile(path.join(dir, '.vite/manifest.json'), '{}');
  withDashboard = await buildTestApp(db.pool, { dashboardDir: dir });
  apiOnly = await buildTestApp(db.pool);
});
afterAll(async () => {
  await withDashboard?.app.close();
  await apiOnly?.app.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => withDashboard.app.inject({ method: 'GET', url, headers });

describe('serving the built dashboard', () => {
  it.each(['/', '/login', '/fleet', '/fleet?state=tripped', '/machines/AF37-000101', '/alarms'])('GET %s answers the app shell (SPA fallback)', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets with a year of immutable caching, pre-compressed when the client accepts it', async () => {
    const plain = await get('/assets/index-abc123.js');
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(BUNDLE);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const br = await get('/assets/index-abc123.js', { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(br.headers['content-length'])).toBeLessThan(BUNDLE.length);
  });

  it.each(['/assets/index-old999.js', '/favicon.ico', '/.vite/manifest.json', '/assets/../.vite/manifest.json'])('GET %s is a JSON 404, never the app shell', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('keeps the server routes: unknown API paths stay JSON 404s; ops and docs answer as before', async () => {
    const api = await get('/api/nope');
    expect(api.statusCode).toBe(404);
    expect(errorBodySchema.parse(api.json()).code).toBe('NOT_FOUND');
    expect((await get('/api')).statusCode).toBe(404);
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/docs/json')).json()).toHaveProperty('openapi');
    expect((await get('/metrics')).headers['content-type']).toMatch(/^text\/plain/);
    expect((await get('/live')).headers['content-type']).not.toMatch(/^text\/html/);
  });

  it('serves nothing at / when no dashboard is configured (API-only deployments)', async () => {
    const res = await apiOnly.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(errorBodySchema.parse(res.json()).code).toBe('NOT_FOUND');
  });
});
