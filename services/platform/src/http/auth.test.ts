import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '@airfleet/runtime';
import { buildTestApp, FIXTURE_PASSWORD, loginCookie, seedPlatformFixtures, type PlatformFixtures, type TestApp } from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { authenticateSessionCookie, hashSessionToken } from '../auth/session.ts';

let db: TestDatabase;
let fx: PlatformFixtures;
let t: TestApp;
let now = Date.parse('2025-11-22T12:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedPlatformFixtures(db.pool);
  t = await buildTestApp(db.pool, { clock: () => now });
});
afterAll(async () => {
  await t?.app.close();
  await db?.drop();
});

function sessionCookieOf(res: { cookies: Array<{ name: string; value: string }> }): string | undefined {
  return res.cookies.find((c) => c.name === 'airfleet_session')?.value;
}

describe('POST /api/auth/login', () => {
  it('sets an httpOnly, SameSite=Lax session cookie and answers the user', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: fx.users.operator.email, password: FIXTURE_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: fx.users.operator.id, email: fx.users.operator.email, role: 'operator', customerId: null });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^airfleet_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=3600/);
    expect(setCookie).not.toMatch(/Secure/); // cookieSecure: false in the test config
  });

  it('stores only the SHA-256 of the session token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: fx.users.service.email, password: FIXTURE_PASSWORD } });
    const token = sessionCookieOf(res)!;
    const { rows } = await db.pool.query('SELECT id_hash, expires_at FROM sessions WHERE user_id = $1', [fx.users.service.id]);
    expect(rows.map((r) => r.id_hash)).toContain(hashSessionToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].expires_at.getTime()).toBe(now + 3_600_000);
  });

  it('accepts the email in any case', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ADMIN@Fixtures.Example', password: FIXTURE_PASSWORD } });
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['a wrong password', 'admin@fixtures.example', 'not-the-password'],
    ['an unknown user', 'nobody@fixtures.example', FIXTURE_PASSWORD],
    ['a disabled user', 'gone@fixtures.example', FIXTURE_PASSWORD],
  ])('answers 401 for %s, without a cookie, the same way each time', async (_case, email, password) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'invalid email or password', requestId: res.headers['x-request-id'] });
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it('sets Secure on the cookie when configured', async () => {
    const secure = await buildTestApp(db.pool, { config: { cookieSecure: true } });
    try {
      const res = await secure.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: fx.users.admin.email, password: FIXTURE_PASSWORD } });
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await secure.app.close();
    }
  });

  it('is rate limited per client: 429 RATE_LIMITED after N attempts in a minute', async () => {
    const limited = await buildTestApp(db.pool, { config: { loginRateLimitPerMin: 3 } });
    try {
      const attempt = () => limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: fx.users.admin.email, password: 'wrong' } });
      for (let i = 0; i < 3; i += 1) expect((await attempt()).statusCode).toBe(401);
      const res = await attempt();
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ code: 'RATE_LIMITED', statusCode: 429, requestId: expect.any(String) });
      expect(res.headers['retry-after']).toBeDefined();
      // The right password does not get through either while limited.
      const ok = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: fx.users.admin.email, password: FIXTURE_PASSWORD } });
      expect(ok.statusCode).toBe(429);
      // Only login is throttled.
      expect((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await limited.app.close();
    }
  });

  it('behind a trusted proxy, the limit is per client address from X-Forwarded-For, not per proxy', async () => {
    const attempt = (app: TestApp['app'], client: string) =>
      app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': client }, payload: { email: fx.users.admin.email, password: 'wrong' } });
    const proxied = await buildTestApp(db.pool, { config: { loginRateLimitPerMin: 2, trustProxy: 1 } });
    try {
      for (let i = 0; i < 2; i += 1) expect((await attempt(proxied.app, '203.0.113.1')).statusCode).toBe(401);
      expect((await attempt(proxied.app, '203.0.113.1')).statusCode).toBe(429);
      // Another client behind the same proxy has its own budget.
      expect((await attempt(proxied.app, '203.0.113.2')).statusCode).toBe(401);
    } finally {
      await proxied.app.close();
    }
    // Without TRUST_PROXY the header is ignored: one budget for everything from that peer.
    const direct = await buildTestApp(db.pool, { config: { loginRateLimitPerMin: 2 } });
    try {
      for (let i = 0; i < 2; i += 1) expect((await attempt(direct.app, `203.0.113.${10 + i}`)).statusCode).toBe(401);
      expect((await attempt(direct.app, '203.0.113.20')).statusCode).toBe(429);
    } finally {
      await direct.app.close();
    }
  });

  it('refuses a malformed body with VALIDATION_FAILED details', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'not-an-email' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.email', 'body.password']));
  });
});

describe('GET /api/auth/me and POST /api/auth/logout', () => {
  it('/me answers the signed-in user; 401 without a session', async () => {
    const cookie = await loginCookie(t.app, fx.users.acmeBuyer.email);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      user: { id: fx.users.acmeBuyer.id, email: fx.users.acmeBuyer.email, name: 'Alice Acme', role: 'customer', customerId: 'fx-acme', locale: 'en' },
    });
    const anon = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('UNAUTHENTICATED');
    const forged = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'airfleet_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(forged.statusCode).toBe(401);
  });

  it('logout deletes the session and clears the cookie; the old cookie stops working', async () => {
    const cookie = await loginCookie(t.app, fx.users.operator.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/airfleet_session=;.*Expires=Thu, 01 Jan 1970/);
    const { rows } = await db.pool.query('SELECT 1 FROM sessions WHERE id_hash = $1', [hashSessionToken(cookie.split('=')[1]!)]);
    expect(rows).toHaveLength(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    // Idempotent without a session.
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });

  it('a session expires after sessionTtlHours', async () => {
    const cookie = await loginCookie(t.app, fx.users.operator.email);
    const started = now;
    try {
      now = started + 3_600_000 - 1;
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
      now = started + 3_600_000;
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      now = started;
    }
  });

  it('disabling a user ends its live sessions', async () => {
    const cookie = await loginCookie(t.app, fx.users.service.email);
    await db.pool.query('UPDATE users SET disabled = true WHERE id = $1', [fx.users.service.id]);
    try {
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      await db.pool.query('UPDATE users SET disabled = false WHERE id = $1', [fx.users.service.id]);
    }
  });
});

describe('authenticateSessionCookie (for the WebSocket upgrade)', () => {
  it('resolves a Cookie header exactly like the HTTP API', async () => {
    const cookie = await loginCookie(t.app, fx.users.globexBuyer.email);
    const user = await authenticateSessionCookie(db.pool, `theme=dark; ${cookie}`, now);
    expect(user).toMatchObject({ id: fx.users.globexBuyer.id, role: 'customer', customerId: 'fx-globex' });
    expect(await authenticateSessionCookie(db.pool, undefined, now)).toBeNull();
    expect(await authenticateSessionCookie(db.pool, 'airfleet_session=garbage', now)).toBeNull();
    expect(await authenticateSessionCookie(db.pool, cookie, now + 3_600_000)).toBeNull();
  });
});

describe('request logs', () => {
  it('never contain the session token, the password or the cookie', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    const logged = await buildTestApp(db.pool, { log });
    try {
      const cookie = await loginCookie(logged.app, fx.users.admin.email);
      await logged.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie, authorization: 'Bearer secret-bearer' } });
      const text = lines.join('');
      expect(text).toContain('"reqId"');
      expect(text).not.toContain(cookie.split('=')[1]);
      expect(text).not.toContain(FIXTURE_PASSWORD);
      expect(text).not.toContain('secret-bearer');
    } finally {
      await logged.app.close();
    }
  });
});
