import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { alarmsResponseSchema, eventsTopic, notificationsResponseSchema, type Alarm, type Notification } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const MIN = 60_000;
const ESCALATE_AFTER_MIN = 15;

/**
 * Escalation on an injected clock: a critical alarm nobody acknowledges
 * within N minutes notifies the next level (admins), once; an acknowledged one does not.
 * Alarms come from real trip events through MQTT, ingest and the rules.
 */
describe('escalation of unacknowledged critical alarms', () => {
  let sys: System;
  let smtp: SmtpSink;
  let admin: string;
  let operator: string;
  let devA: SeededDevice;
  let devB: SeededDevice;
  const clients: MqttClient[] = [];
  let now = Date.now();

  const log = async (query: string): Promise<Notification[]> =>
    notificationsResponseSchema.parse(await (await sys.api(`/api/notifications?limit=500&${query}`, admin)).json()).items;
  const tripAlarm = async (dev: SeededDevice): Promise<Alarm> =>
    waitFor(async () => {
      const res = await sys.api(`/api/alarms?deviceId=${dev.id}&severity=critical`, operator);
      return alarmsResponseSchema.parse(await res.json()).items[0];
    }, `critical alarm on ${dev.id}`);
  const escalationsOf = async (alarmId: string): Promise<Notification[]> => (await log('kind=escalation')).filter((n) => n.ref?.id === alarmId);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    sys = await startSystem({ smtpUrl: smtp.url, notificationsClock: () => now, notifications: { escalationAfterMin: ESCALATE_AFTER_MIN } });
    admin = await sys.login('admin@airfleet.example');
    operator = await sys.login('operator@airfleet.example');
    const northwind = sys.devices.filter((d) => d.customerId === 'northwind');
    devA = northwind[0]!;
    devB = northwind[1]!;
    for (const d of [devA, devB]) {
      const c = await connectDevice(sys.mqttPort, d.id, d.token);
      clients.push(c);
      await publishAsync(c, eventsTopic(d.id), JSON.stringify({ ts: Date.now() - 1000, type: 'trip', code: 'OVERLOAD_TRIP', values: { motorCurrentA: 80 } }));
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await sys?.close();
    await smtp?.close();
  });

  it('escalates an unacknowledged critical alarm to admins after N minutes, once; an acknowledged one never', async () => {
    const alarmA = await tripAlarm(devA);
    const alarmB = await tripAlarm(devB);
    expect([alarmA.severity, alarmB.severity]).toEqual(['critical', 'critical']);
    await sys.notifications.tick();

    // Level 0: the people on duty heard of both at once; admins did not (their level is 1).
    const first = (await log('kind=alarm')).filter((n) => n.ref?.id === alarmA.id);
    expect(first.map((n) => n.userEmail).sort()).toEqual(['buyer@northwind.example', 'operator@airfleet.example', 'service@airfleet.example']);
    expect(first.every((n) => n.escalationLevel === 0 && n.status === 'sent')).toBe(true);
    await waitFor(() => smtp.mails.some((m) => m.to.includes('operator@airfleet.example') && m.subject.includes(devA.id)), 'level-0 mail');

    // B is acknowledged in time.
    expect((await sys.api(`/api/alarms/${alarmB.id}/ack`, operator, { method: 'POST' })).status).toBe(200);

    // One minute short of N: nothing escalates.
    now += (ESCALATE_AFTER_MIN - 1) * MIN;
    expect((await sys.notifications.tick()).escalated).toBe(0);
    expect(await escalationsOf(alarmA.id)).toEqual([]);

    // Past N minutes: A goes to the next level (admins), B does not.
    now += 2 * MIN;
    expect((await sys.notifications.tick()).escalated).toBe(1);
    const escalated = await escalationsOf(alarmA.id);
    expect(escalated.map((n) => [n.userEmail, n.escalationLevel, n.severity, n.status])).toEqual([['admin@airfleet.example', 1, 'critical', 'sent']]);
    expect(await escalationsOf(alarmB.id)).toEqual([]);
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes('admin@airfleet.example')), 'escalation mail');
    expect(mail.subject).toBe(`[AirFleet] Escalation (level 1): critical alarm on ${devA.id} unacknowledged for ${ESCALATE_AFTER_MIN + 1} min`);
    expect(mail.text).toContain('Alarm: Motor overload');
    expect(mail.text).not.toMatch(/\b[a-z]+_[a-z_]+\b/); // no raw codes in a mail
    const { rows } = await sys.pool.query<{ alarm_id: string; level: number; resolution: string | null }>(
      'SELECT alarm_id::text, level, resolution FROM notification_escalations ORDER BY alarm_id',
    );
    expect(rows).toEqual(
      [
        { alarm_id: alarmA.id, level: 1, resolution: 'top_level' },
        { alarm_id: alarmB.id, level: 0, resolution: 'acknowledged' },
      ].sort((x, y) => Number(x.alarm_id) - Number(y.alarm_id)),
    );

    // Much later: no second escalation, no mail to admins about B.
    now += 3 * ESCALATE_AFTER_MIN * MIN;
    expect((await sys.notifications.tick()).escalated).toBe(0);
    expect(await escalationsOf(alarmA.id)).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes('admin@airfleet.example'))).toHaveLength(1);
    expect(await counterValue(sys.registry, 'airfleet_notification_escalations_total', { level: '1' })).toBe(1);
  });
});
