import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@airfleet/runtime';
import { notificationPreferencesResponseSchema, notificationsResponseSchema, webhooksResponseSchema, type Alarm, type Notification } from '@airfleet/contracts';
import { buildTestApp, loginCookie, seedPlatformFixtures, type PlatformFixtures, type TestApp } from '../../../../tests/support/platform-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../../tests/support/smtp-sink.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { createMailer, type Mailer } from './mailer.ts';
import { createNotificationsRuntime, DEFAULT_NOTIFICATIONS_CONFIG, type NotificationsRuntime } from './notifications.runtime.ts';

/**
 * The notification engine on a real database and a real SMTP server, driven through its
 * bus entry point and the HTTP API: preferences, daily digests, email turned off, webhooks.
 */
let db: TestDatabase;
let fx: PlatformFixtures;
let t: TestApp;
let smtp: SmtpSink;
let mailer: Mailer;
let runtime: NotificationsRuntime;
// 05:00 UTC: two hours before the digest hour chosen below.
let now = Date.UTC(2026, 2, 10, 5, 0, 0);

let alarmSeq = 9000;
const alarm = (over: Partial<Alarm> = {}): Alarm => {
  alarmSeq += 1;
  return {
    id: String(alarmSeq), deviceId: fx.devices.acme1.id, siteId: fx.devices.acme1.siteId, customerId: fx.devices.acme1.customerId,
    type: 'element_temp_warning', severity: 'major', source: 'rule', message: 'Element outlet temperature above 110 °C', state: 'active',
    acknowledged: false, count: 1, value: 111, threshold: 110, startedAt: new Date(now).toISOString(), lastSeenAt: new Date(now).toISOString(),
    endedAt: null, acknowledgedAt: null, acknowledgedBy: null, clearedAt: null, clearedBy: null, ...over,
  };
};
const raise = (a: Alarm): void => runtime.handle({ type: 'alarm', deviceId: a.deviceId, customerId: a.customerId, payload: a });

const api = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const logOf = async (cookie: string, query = ''): Promise<Notification[]> =>
  notificationsResponseSchema.parse((await api('GET', `/api/notifications?limit=500&${query}`, cookie)).json()).items;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedPlatformFixtures(db.pool);
  smtp = await startSmtpSink();
  mailer = createMailer({ smtpUrl: smtp.url, from: 'AirFleet <no-reply@airfleet.example>' });
  runtime = createNotificationsRuntime({
    pool: db.pool,
    log: createLogger('notifications-test', { level: 'silent' }),
    mailer,
    clock: () => now,
    config: { ...DEFAULT_NOTIFICATIONS_CONFIG, workerIntervalMs: 0, publicUrl: 'https://fleet.example.com' },
  });
  await runtime.start();
  // Sessions live on the same clock: long enough for the hours this file moves it.
  t = await buildTestApp(db.pool, { clock: () => now, notifications: { runtime, digestHourUtc: 7 }, config: { sessionTtlHours: 48 } });
});
afterAll(async () => {
  await runtime?.stop();
  mailer?.close();
  await t?.app.close();
  await smtp?.close();
  await db?.drop();
});

describe('preferences', () => {
  it('answer the role defaults until saved; a bad body is refused with a stable code', async () => {
    const cookie = await loginCookie(t.app, fx.users.service.email);
    const first = notificationPreferencesResponseSchema.parse((await api('GET', '/api/notifications/preferences', cookie)).json());
    expect(first).toMatchObject({ isDefault: true, emailAvailable: true, preferences: { delivery: 'immediate', emailEnabled: true } });
    expect(first.preferences.kinds).toContain('service_due');

    const bad = await api('PUT', '/api/notifications/preferences', cookie, { ...first.preferences, digestHourUtc: 24, kinds: ['test'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });

    const saved = await api('PUT', '/api/notifications/preferences', cookie, { ...first.preferences, delivery: 'digest', digestHourUtc: 7 });
    expect(saved.statusCode).toBe(200);
    expect(notificationPreferencesResponseSchema.parse(saved.json())).toMatchObject({ isDefault: false, preferences: { delivery: 'digest', digestHourUtc: 7 } });
    expect((await api('GET', '/api/notifications/preferences', await loginCookie(t.app, fx.users.operator.email))).json()).toMatchObject({ isDefault: true });
  });
});

describe('daily digest', () => {
  it('queues non-critical news for digest users, sends one mail at the digest hour, and critical news at once', async () => {
    const service = await loginCookie(t.app, fx.users.service.email);
    raise(alarm({ type: 'element_temp_warning' }));
    raise(alarm({ type: 'separator_dp_warning', message: 'Separator ΔP above 0.6 bar' }));
    await runtime.tick();
    const queued = await logOf(service, 'kind=alarm');
    expect(queued.map((n) => n.status)).toEqual(['digest_queued', 'digest_queued']);
    // The operator is on immediate delivery: already mailed.
    expect(smtp.mails.filter((m) => m.to.includes(fx.users.operator.email))).toHaveLength(2);
    expect(smtp.mails.filter((m) => m.to.includes(fx.users.service.email))).toEqual([]);

    // Critical does not wait.
    raise(alarm({ type: 'motor_overload', severity: 'critical', source: 'device', message: 'Motor overload trip' }));
    await runtime.tick();
    await waitForMail(fx.users.service.email, 'Motor overload');

    // 06:59: still waiting. 07:00: one digest with both.
    now += 2 * 3_600_000 - 60_000;
    await runtime.tick();
    expect(smtp.mails.filter((m) => m.to.includes(fx.users.service.email) && m.subject.includes('digest'))).toEqual([]);
    now += 60_000;
    expect((await runtime.tick()).digests).toBe(1);
    const digest = await waitForMail(fx.users.service.email, 'Daily digest');
    expect(digest.subject).toBe('[AirFleet] Daily digest 2026-03-10: 2 notifications');
    expect(digest.text).toContain('High element temperature');
    expect(digest.text).toContain('Oil separator clogging');
    expect(digest.text).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    // Each item links to its machine's alarms (the link stored with the queued row), the footer to the settings.
    const machine = `https://fleet.example.com/alarms?device=${encodeURIComponent(fx.devices.acme1.id)}`;
    expect(digest.text.match(/https:\/\/\S+/g)).toEqual([machine, machine, 'https://fleet.example.com/settings/notifications']);
    const after = await logOf(service, 'kind=alarm');
    expect(after.filter((n) => n.severity === 'major').map((n) => n.status)).toEqual(['sent', 'sent']);
    expect((await logOf(service, 'kind=digest')).map((n) => n.status)).toEqual(['sent']);
    // Nothing left: the next tick sends no second digest.
    expect((await runtime.tick()).digests).toBe(0);
  });
});

describe('email turned off, customer scope', () => {
  it('a user who turned email off gets a skipped row with the reason; other customers hear nothing', async () => {
    const buyer = await loginCookie(t.app, fx.users.acmeBuyer.email);
    const prefs = notificationPreferencesResponseSchema.parse((await api('GET', '/api/notifications/preferences', buyer)).json()).preferences;
    await api('PUT', '/api/notifications/preferences', buyer, { ...prefs, emailEnabled: false });
    const a = alarm({ type: 'pressure_high' });
    raise(a);
    await runtime.tick();
    const own = await logOf(buyer);
    expect(own.find((n) => n.ref?.id === a.id)).toMatchObject({ status: 'skipped', lastError: expect.stringMatching(/turned off/) });
    const globex = await loginCookie(t.app, fx.users.globexBuyer.email);
    expect((await logOf(globex)).filter((n) => n.deviceId === fx.devices.acme1.id)).toEqual([]);
  });
});

describe('webhooks', () => {
  it('are created, listed without secrets, removed (their log stays), and 404 afterwards', async () => {
    const admin = await loginCookie(t.app, fx.users.admin.email);
    const unknown = await api('POST', '/api/webhooks', admin, { url: 'http://127.0.0.1:9/x', customerId: 'nope' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
    const created = await api('POST', '/api/webhooks', admin, { url: 'http://127.0.0.1:9/x', kinds: ['alarm'], customerId: fx.customers.acme.id });
    expect(created.statusCode).toBe(201);
    const { webhook, secret } = created.json() as { webhook: { id: string }; secret: string };
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const list = webhooksResponseSchema.parse((await api('GET', '/api/webhooks', admin)).json());
    expect(list.items.map((w) => w.id)).toContain(webhook.id);
    expect(JSON.stringify(list)).not.toContain(secret);

    // Port 9 (discard) refuses: the test delivery fails with a network reason, and is logged.
    const test = await api('POST', `/api/webhooks/${webhook.id}/test`, admin);
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ notification: { status: 'failed', attempts: 1, lastError: expect.stringMatching(/^network: /) } });

    expect((await api('DELETE', `/api/webhooks/${webhook.id}`, admin)).statusCode).toBe(204);
    expect((await api('DELETE', `/api/webhooks/${webhook.id}`, admin)).statusCode).toBe(404);
    expect((await api('POST', `/api/webhooks/${webhook.id}/test`, admin)).statusCode).toBe(404);
    // The queued retry to the removed endpoint is skipped with the reason, not lost.
    now += 3_600_000;
    await runtime.tick();
    const row = (await logOf(admin, 'channel=webhook')).find((n) => n.webhookId === webhook.id);
    expect(row).toMatchObject({ status: 'skipped', lastError: 'webhook endpoint disabled or deleted' });
    expect((await api('POST', '/api/notifications/999999/retry', admin)).statusCode).toBe(404);
  });
});

describe('sendEmail (for other features)', () => {
  it('sends once per dedupe key, honours the kinds unless told otherwise, and answers null for unknown users', async () => {
    const to = fx.users.operator;
    const first = await runtime.sendEmail({ userId: to.id, subject: 'Weekly report W11', text: 'Your week.', html: '<p>Your week.</p>', dedupeKey: 'weekly:W11' });
    const again = await runtime.sendEmail({ userId: to.id, subject: 'Weekly report W11', text: 'Your week.', dedupeKey: 'weekly:W11' });
    expect(first).toMatchObject({ status: 'pending', duplicate: false });
    expect(again).toEqual({ id: first!.id, status: expect.any(String), duplicate: true });
    await runtime.tick();
    await waitForMail(to.email, 'Weekly report W11');
    expect(smtp.mails.filter((m) => m.subject === 'Weekly report W11')).toHaveLength(1);
    expect(smtp.mails.find((m) => m.subject === 'Weekly report W11')!.raw).toContain('<p>Your week.</p>');

    const cookie = await loginCookie(t.app, to.email);
    const prefs = notificationPreferencesResponseSchema.parse((await api('GET', '/api/notifications/preferences', cookie)).json()).preferences;
    await api('PUT', '/api/notifications/preferences', cookie, { ...prefs, kinds: prefs.kinds.filter((k) => k !== 'report') });
    expect(await runtime.sendEmail({ userId: to.id, subject: 'Not wanted', text: 'x' })).toBeNull();
    expect(await runtime.sendEmail({ userId: to.id, subject: 'Sent anyway', text: 'x', respectPreferences: false })).toMatchObject({ status: 'pending' });
    expect(await runtime.sendEmail({ userId: '00000000-0000-0000-0000-000000000000', subject: 'x', text: 'x' })).toBeNull();
  });
});

async function waitForMail(to: string, subjectPart: string) {
  for (let i = 0; i < 200; i++) {
    const m = smtp.mails.find((x) => x.to.includes(to) && x.subject.includes(subjectPart));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no mail to ${to} with "${subjectPart}"`);
}
