import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import {
  alarmsResponseSchema,
  createWebhookResponseSchema,
  inboxResponseSchema,
  notificationResponseSchema,
  notificationsResponseSchema,
  telemetryTopic,
  webhookPayloadSchema,
  webhookTestResponseSchema,
  type Notification,
} from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const HOUR = 3_600_000;
const MAX_WEBHOOK_ATTEMPTS = 3;
/** PUBLIC_URL as an installation would set it: mails and webhooks link below it. */
const PUBLIC_URL = 'https://fleet.airfleet.example';

/**
 * Interval to notification, over real parts: a device's running hours
 * cross its level-A interval (ingest → rules → service_overdue alarm) → the task is in the
 * service inbox → a mail reaches a real SMTP server for the service technician (and the
 * machine's own customer, in Chinese) → a webhook with a valid HMAC signature reaches a
 * local HTTP receiver. Then the failure paths: a receiver answering 500 is dead-lettered
 * after N attempts with the reason, and mail is retried while the SMTP server is down.
 */
describe('notifications: service interval → inbox → email and signed webhook', () => {
  let sys: System;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let failing: WebhookReceiver;
  let admin: string;
  let dev: SeededDevice;
  let client: MqttClient;
  // The notification engine's clock: backoff waits are skipped by moving it, never by sleeping.
  let now = Date.now();

  const log = async (query: string): Promise<Notification[]> => {
    const res = await sys.api(`/api/notifications?${query}`, admin);
    expect(res.status).toBe(200);
    return notificationsResponseSchema.parse(await res.json()).items;
  };
  const userId = async (email: string): Promise<string> => (await sys.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email])).rows[0]!.id;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver();
    failing = await startWebhookReceiver();
    failing.status = 500;
    sys = await startSystem({ smtpUrl: smtp.url, notificationsClock: () => now, notifications: { webhookMaxAttempts: MAX_WEBHOOK_ATTEMPTS, emailMaxAttempts: 5, publicUrl: PUBLIC_URL } });
    admin = await sys.login('admin@airfleet.example');
    // A machine of the Chinese-speaking customer: its buyer's mail comes in zh-CN.
    dev = sys.devices.find((d) => d.customerId === 'huadong')!;
    client = await connectDevice(sys.mqttPort, dev.id, dev.token);

    const created = await sys.api('/api/webhooks', admin, { method: 'POST', body: JSON.stringify({ url: receiver.url, kinds: ['service_due'], description: 'service desk' }) });
    expect(created.status).toBe(201);
    const body = createWebhookResponseSchema.parse(await created.json());
    receiver.secret = body.secret;
    // Shown once: the list never carries it.
    expect(JSON.stringify(await (await sys.api('/api/webhooks', admin)).json())).not.toContain(body.secret);
  });
  afterAll(async () => {
    await client?.endAsync();
    await sys?.close();
    await Promise.all([smtp?.close(), receiver?.close(), failing?.close()]);
  });

  it('crossing the level-A interval: inbox task, mail to the technician and the owner, signed webhook', async () => {
    // First sight at 1990 h seeds the plan (level A last done at 0 h, due at 2000 h); an hour
    // of event time later, 2001 h is past the interval.
    const base = Date.now() - 3 * HOUR;
    const samples = [0, 1, 2].map((i) => ({ ts: base + i * (HOUR + 1000), seq: i, state: 'loaded', metrics: { runningHours: 1990 + i * 5.5, loadedHours: 1500 + i * 5 } }));
    for (const s of samples) await publishAsync(client, telemetryTopic(dev.id), JSON.stringify([s]));

    const operator = await sys.login('operator@airfleet.example');
    const [alarm] = await waitFor(async () => {
      const res = await sys.api(`/api/alarms?deviceId=${dev.id}&type=service_overdue_A`, operator);
      const items = alarmsResponseSchema.parse(await res.json()).items;
      return items.length > 0 ? items : undefined;
    }, 'service_overdue_A alarm');
    expect(alarm).toMatchObject({ source: 'service', state: 'active' });

    // The task in the service inbox.
    const serviceCookie = await sys.login('service@airfleet.example');
    const inbox = await sys.api(`/api/service/inbox?customerId=${dev.customerId}`, serviceCookie);
    expect(inbox.status).toBe(200);
    const items = inboxResponseSchema.parse(await inbox.json()).items;
    expect(items.some((i) => i.deviceId === dev.id && i.kind === 'maintenance' && i.level === 'A' && i.category === 'overdue')).toBe(true);

    // Mail at the real SMTP server: the technician (English) and the owner (Chinese).
    await sys.notifications.tick();
    const techMail = await waitFor(() => smtp.mails.find((m) => m.to.includes('service@airfleet.example') && m.subject.includes(`Service level A overdue on ${dev.id}`)), 'mail to the technician');
    expect(techMail.text).toContain(`Service level A of machine ${dev.id} is overdue`);
    expect(techMail.text).toContain('Service level A overdue (');
    // Links to the machine and to where the technician plans the work, and to the settings.
    expect(techMail.text).toContain(`Open the machine: ${PUBLIC_URL}/machines/${dev.id}`);
    expect(techMail.text).toContain(`Open the service inbox: ${PUBLIC_URL}/service/inbox`);
    expect(techMail.text).toContain(`${PUBLIC_URL}/settings/notifications`);
    // The HTML part (quoted-printable on the wire) carries the same link as an anchor.
    const html = techMail.raw.replace(/=\r?\n/g, '').replaceAll('=3D', '=');
    expect(html).toMatch(/Content-Type: text\/html/i);
    expect(html).toContain(`<a href="${PUBLIC_URL}/machines/${dev.id}">Open the machine</a>`);
    const ownerMail = await waitFor(() => smtp.mails.find((m) => m.to.includes('buyer@huadong.example') && m.subject.includes('已逾期')), 'mail to the owner');
    expect(ownerMail.subject).toContain(dev.id);
    // The customer gets the machine page, never the service inbox.
    expect(ownerMail.text).toContain(`查看设备：${PUBLIC_URL}/machines/${dev.id}`);
    expect(ownerMail.text).not.toContain('/service/inbox');
    // Other customers hear nothing of this machine; operators did not subscribe to service_due.
    expect(smtp.mails.filter((m) => m.to.some((t) => t === 'buyer@northwind.example' || t === 'buyer@lakeside.example' || t === 'operator@airfleet.example'))).toEqual([]);

    // The webhook, verified by the receiver with the documented algorithm.
    const hook = await waitFor(() => receiver.received.find((r) => r.body.includes(`"id":"${alarm!.id}"`) && r.headers['x-airfleet-event'] === 'service_due'), 'webhook delivery');
    expect(hook.signatureValid).toBe(true);
    const payload = webhookPayloadSchema.parse(JSON.parse(hook.body));
    expect(payload).toMatchObject({ kind: 'service_due', deviceId: dev.id, customerId: dev.customerId, ref: { type: 'alarm', id: alarm!.id }, url: `${PUBLIC_URL}/machines/${dev.id}` });
    expect(hook.headers['x-airfleet-delivery']).toBe(payload.id);

    // The log shows each delivery as sent.
    const rows = (await log(`kind=service_due&deviceId=${dev.id}`)).filter((n) => n.ref?.id === alarm!.id);
    expect(rows.map((n) => [n.channel, n.userEmail ?? n.webhookUrl, n.status]).sort()).toEqual(
      [['email', 'buyer@huadong.example', 'sent'], ['email', 'service@airfleet.example', 'sent'], ['webhook', receiver.url, 'sent']].sort(),
    );

    // The alarm repeating (more samples past the interval) notifies nobody again.
    const mailsBefore = smtp.mails.length;
    const hooksBefore = receiver.received.length;
    await publishAsync(client, telemetryTopic(dev.id), JSON.stringify([{ ts: base + 3 * (HOUR + 1000), seq: 3, state: 'loaded', metrics: { runningHours: 2010, loadedHours: 1520 } }]));
    await waitFor(async () => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [dev.id])).rows[0].n === 4, 'fourth sample');
    await sys.notifications.tick();
    expect((await log(`kind=service_due&deviceId=${dev.id}`)).filter((n) => n.ref?.id === alarm!.id)).toHaveLength(3);
    expect(smtp.mails.length).toBe(mailsBefore);
    expect(receiver.received.length).toBe(hooksBefore);
  });

  it('a receiver answering 500 is dead-lettered after N attempts, with the reason', async () => {
    const created = createWebhookResponseSchema.parse(await (await sys.api('/api/webhooks', admin, { method: 'POST', body: JSON.stringify({ url: failing.url, kinds: ['inspection'] }) })).json());
    failing.secret = created.secret;
    const test = await sys.api(`/api/webhooks/${created.webhook.id}/test`, admin, { method: 'POST' });
    expect(test.status).toBe(200);
    const first = webhookTestResponseSchema.parse(await test.json()).notification;
    expect(first).toMatchObject({ kind: 'test', channel: 'webhook', status: 'failed', attempts: 1, lastError: 'HTTP 500 Internal Server Error' });
    expect(first.nextAttemptAt).not.toBeNull();

    // Not due yet: nothing is sent before the backoff has passed.
    await sys.notifications.tick();
    expect(failing.received).toHaveLength(1);

    for (let i = 0; i < 10; i++) {
      now += 2 * HOUR; // beyond the longest backoff of these attempts
      await sys.notifications.tick();
      const row = (await log('channel=webhook&kind=test')).find((n) => n.id === first.id)!;
      if (row.status === 'dead') break;
    }
    const dead = (await log('status=dead&channel=webhook')).find((n) => n.id === first.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: MAX_WEBHOOK_ATTEMPTS, nextAttemptAt: null, lastError: `gave up after ${MAX_WEBHOOK_ATTEMPTS} attempts: HTTP 500 Internal Server Error` });
    expect(failing.received).toHaveLength(MAX_WEBHOOK_ATTEMPTS);
    // Every attempt carried a valid signature and the same delivery id.
    expect(failing.received.every((r) => r.signatureValid && r.headers['x-airfleet-delivery'] === first.id)).toBe(true);
    expect(await counterValue(sys.registry, 'airfleet_notification_deliveries_total', { channel: 'webhook', outcome: 'dead' })).toBe(1);

    // An admin retry (the receiver is fixed now) delivers it; non-admins may not retry.
    failing.status = 204;
    const operator = await sys.login('operator@airfleet.example');
    expect((await sys.api(`/api/notifications/${first.id}/retry`, operator, { method: 'POST' })).status).toBe(403);
    const retried = await sys.api(`/api/notifications/${first.id}/retry`, admin, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(notificationResponseSchema.parse(await retried.json()).notification).toMatchObject({ status: 'sent', attempts: 1 });
    // A sent one is not retried again.
    expect((await sys.api(`/api/notifications/${first.id}/retry`, admin, { method: 'POST' })).status).toBe(409);
  });

  it('mail is retried while the SMTP server is down and delivered when it is back', async () => {
    await smtp.stop();
    const serviceId = await userId('service@airfleet.example');
    const queued = await sys.notifications.sendEmail({ userId: serviceId, subject: 'Weekly fleet report', text: 'All machines ran.' });
    expect(queued).toMatchObject({ status: 'pending' });
    await sys.notifications.tick();
    const failed = await waitFor(async () => (await log(`userId=${serviceId}&kind=report`)).find((n) => n.id === queued!.id && n.status === 'failed'), 'failed attempt');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/^smtp: /);
    expect(smtp.mails.some((m) => m.subject === 'Weekly fleet report')).toBe(false);

    await smtp.start();
    now += 2 * HOUR;
    await sys.notifications.tick();
    const sent = await waitFor(async () => (await log(`userId=${serviceId}&kind=report`)).find((n) => n.id === queued!.id && n.status === 'sent'), 'sent after retry');
    expect(sent.attempts).toBe(2);
    const mail = await waitFor(() => smtp.mails.find((m) => m.subject === 'Weekly fleet report'), 'the report mail');
    expect(mail.to).toEqual(['service@airfleet.example']);
    expect(mail.text.trim()).toBe('All machines ran.');
  });

  it('users read only their own notifications; the whole log and webhooks are for admins', async () => {
    const buyer = await sys.login('buyer@huadong.example');
    const own = notificationsResponseSchema.parse(await (await sys.api('/api/notifications', buyer)).json()).items;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((n) => n.userEmail === 'buyer@huadong.example')).toBe(true);
    // A filter on another user is ignored for non-admins.
    const serviceId = await userId('service@airfleet.example');
    const tried = notificationsResponseSchema.parse(await (await sys.api(`/api/notifications?userId=${serviceId}`, buyer)).json()).items;
    expect(tried.every((n) => n.userEmail === 'buyer@huadong.example')).toBe(true);
    expect((await sys.api('/api/webhooks', buyer)).status).toBe(403);
    expect((await sys.api('/api/webhooks', buyer, { method: 'POST', body: JSON.stringify({ url: 'http://127.0.0.1:1/x' }) })).status).toBe(403);
    // Bad input answers 400 with a stable code.
    const bad = await sys.api('/api/webhooks', admin, { method: 'POST', body: JSON.stringify({ url: 'ftp://example.test/x' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
