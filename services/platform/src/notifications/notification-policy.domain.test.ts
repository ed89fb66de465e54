import { describe, expect, it } from 'vitest';
import { defaultPreferences, selectEmailRecipients, selectWebhooks, type NotificationEvent, type RecipientUser, type WebhookTarget } from './notification-policy.domain.ts';
import { digestDue, renderDigest, renderMessage } from './notification-messages.domain.ts';
import { notificationEventsFrom } from './notification-sources.domain.ts';

const user = (id: string, role: RecipientUser['role'], extra: Partial<RecipientUser> = {}): RecipientUser => ({
  id,
  email: `${id}@example.test`,
  name: id,
  role,
  customerId: role === 'customer' ? 'northwind' : null,
  locale: 'en',
  disabled: false,
  preferences: null,
  ...extra,
});

const users: RecipientUser[] = [
  user('admin', 'admin'),
  user('operator', 'operator'),
  user('service', 'service'),
  user('buyer-nw', 'customer', { customerId: 'northwind' }),
  user('buyer-lk', 'customer', { customerId: 'lakeside' }),
  user('gone', 'service', { disabled: true }),
];

const event = (over: Partial<NotificationEvent> = {}): NotificationEvent => ({
  kind: 'alarm',
  severity: 'major',
  deviceId: 'NW-1',
  customerId: 'northwind',
  ref: { type: 'alarm', id: '1' },
  dedupeKey: 'alarm:1',
  escalationLevel: 0,
  message: { template: 'alarm', deviceId: 'NW-1', alarmType: 'element_temp_warning', alarmMessage: 'hot', severity: 'major' },
  data: {},
  ...over,
});

const ids = (e: NotificationEvent, list = users, emailAvailable = true) =>
  selectEmailRecipients(e, list, { digestHourUtc: 7, emailAvailable }).map((r) => r.user.id).sort();

describe('who is notified', () => {
  it('a major alarm reaches staff on duty and only the machine owner among customers; admins and disabled users are not on level 0', () => {
    expect(ids(event())).toEqual(['buyer-nw', 'operator', 'service']);
  });

  it('an event without a customer never reaches customers', () => {
    expect(ids(event({ customerId: null }))).toEqual(['operator', 'service']);
  });

  it('minimum severity filters per user; a warning is below every default', () => {
    expect(ids(event({ severity: 'warning' }))).toEqual([]);
    const picky = users.map((u) => (u.id === 'service' ? { ...u, preferences: { ...defaultPreferences('service', 7), minSeverity: 'critical' as const } } : u));
    expect(ids(event({ severity: 'major' }), picky)).toEqual(['buyer-nw', 'operator']);
  });

  it('a kind left out of the preferences is not notified', () => {
    const noAlarms = users.map((u) => (u.id === 'operator' ? { ...u, preferences: { ...defaultPreferences('operator', 7), kinds: ['inspection' as const] } } : u));
    expect(ids(event(), noAlarms)).toEqual(['buyer-nw', 'service']);
  });

  it('escalation level 1 reaches admins only; customer requests reach the service team and admins', () => {
    expect(ids(event({ kind: 'escalation', severity: 'critical', escalationLevel: 1 }))).toEqual(['admin']);
    expect(ids(event({ kind: 'service_request', severity: 'minor' }))).toEqual(['admin', 'service']);
  });

  it('a work order goes to the named technician only', () => {
    expect(ids(event({ kind: 'work_order', severity: 'info', userIds: ['service'] }))).toEqual(['service']);
  });

  it('email off or SMTP missing gives a skipped row with the reason; digest users queue all but critical', () => {
    const off = users.map((u) => (u.id === 'service' ? { ...u, preferences: { ...defaultPreferences('service', 7), emailEnabled: false } } : u));
    const svc = selectEmailRecipients(event(), off, { digestHourUtc: 7, emailAvailable: true }).find((r) => r.user.id === 'service');
    expect(svc?.decision).toEqual({ status: 'skipped', reason: expect.stringMatching(/turned off/) });
    const noSmtp = selectEmailRecipients(event(), users, { digestHourUtc: 7, emailAvailable: false });
    expect(noSmtp.every((r) => r.decision.status === 'skipped' && /SMTP_URL/.test(r.decision.reason))).toBe(true);

    const digest = users.map((u) => (u.id === 'service' ? { ...u, preferences: { ...defaultPreferences('service', 7), delivery: 'digest' as const } } : u));
    const pick = (sev: NotificationEvent['severity']) => selectEmailRecipients(event({ severity: sev }), digest, { digestHourUtc: 7, emailAvailable: true }).find((r) => r.user.id === 'service')?.decision.status;
    expect(pick('major')).toBe('digest_queued');
    expect(pick('critical')).toBe('pending');
  });

  it('webhooks: enabled, kind filter (empty = all) and customer filter', () => {
    const hooks: WebhookTarget[] = [
      { id: 'all', url: 'http://a', kinds: [], customerId: null, enabled: true, deleted: false },
      { id: 'alarms-nw', url: 'http://b', kinds: ['alarm'], customerId: 'northwind', enabled: true, deleted: false },
      { id: 'service-only', url: 'http://c', kinds: ['service_due'], customerId: null, enabled: true, deleted: false },
      { id: 'lakeside', url: 'http://d', kinds: [], customerId: 'lakeside', enabled: true, deleted: false },
      { id: 'off', url: 'http://e', kinds: [], customerId: null, enabled: false, deleted: false },
    ];
    expect(selectWebhooks(event(), hooks).map((w) => w.id)).toEqual(['all', 'alarms-nw']);
    expect(selectWebhooks(event({ kind: 'report' }), hooks)).toEqual([]);
  });
});

describe('bus events to notifications', () => {
  const alarm = {
    id: '42', deviceId: 'NW-1', siteId: 's', customerId: 'northwind', type: 'service_overdue_A', severity: 'minor', source: 'service',
    message: 'Service level A overdue', state: 'active', acknowledged: false, count: 1, value: -3, threshold: 0,
    startedAt: '2026-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T00:00:00.000Z', endedAt: null, acknowledgedAt: null, acknowledgedBy: null, clearedAt: null, clearedBy: null,
  };

  it('a service_overdue alarm becomes service_due; minor rule alarms and acknowledged ones become nothing', () => {
    const [e] = notificationEventsFrom({ type: 'alarm', payload: alarm });
    expect(e).toMatchObject({ kind: 'service_due', dedupeKey: 'alarm:42', customerId: 'northwind', message: { template: 'service_due', level: 'A', overdue: true } });
    expect(notificationEventsFrom({ type: 'alarm', payload: { ...alarm, source: 'rule', type: 'x' } })).toEqual([]);
    expect(notificationEventsFrom({ type: 'alarm', payload: { ...alarm, acknowledged: true } })).toEqual([]);
    expect(notificationEventsFrom({ type: 'alarm', payload: { ...alarm, source: 'rule', severity: 'critical' } })[0]?.kind).toBe('alarm');
  });

  it('garbage payloads are ignored, not thrown', () => {
    expect(notificationEventsFrom({ type: 'alarm', payload: { nope: 1 } })).toEqual([]);
    expect(notificationEventsFrom({ type: 'work_order', payload: null })).toEqual([]);
  });

  it('a work order with a technician notifies that technician once per assignment', () => {
    const [e] = notificationEventsFrom({ type: 'work_order', payload: { workOrder: { id: 7, status: 'scheduled', title: 'Level A', deviceId: 'NW-1', customerId: 'northwind', scheduledFor: null, technician: { id: 'u1', name: 'T' } } } });
    expect(e).toMatchObject({ kind: 'work_order', userIds: ['u1'], dedupeKey: 'work_order:7:u1' });
  });
});

describe('messages', () => {
  it('renders in the user’s language', () => {
    const input = { template: 'service_due', deviceId: 'NW-1', level: 'A', text: 'x', overdue: true } as const;
    expect(renderMessage(input, 'en').subject).toBe('[AirFleet] Service level A overdue on NW-1');
    expect(renderMessage(input, 'zh-CN').subject).toContain('已逾期');
  });

  it('a digest lists the most severe first; it is due once the digest hour passed with items queued before it', () => {
    const d = renderDigest([{ subject: 'minor thing', severity: 'minor', createdAtMs: 1 }, { subject: 'major thing', severity: 'major', createdAtMs: 2 }], 'en', '2026-01-02');
    expect(d.text.indexOf('major thing')).toBeLessThan(d.text.indexOf('minor thing'));
    const day = Date.UTC(2026, 0, 2);
    expect(digestDue(7, day + 2 * 3_600_000, day + 6 * 3_600_000)).toBe(false); // queued at 02:00, now 06:00
    expect(digestDue(7, day + 2 * 3_600_000, day + 7 * 3_600_000)).toBe(true); // the 07:00 slot came
    expect(digestDue(7, day + 8 * 3_600_000, day + 9 * 3_600_000)).toBe(false); // queued after today's slot: tomorrow
    expect(digestDue(7, null, day + 9 * 3_600_000)).toBe(false);
  });
});
