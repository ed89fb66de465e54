import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { alarmCountsResponseSchema, alarmSchema, alarmsResponseSchema, errorBodySchema, eventsTopic, telemetryTopic, type Alarm } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const BUYERS: Record<string, string> = {
  northwind: 'buyer@northwind.example',
  lakeside: 'buyer@lakeside.example',
  huadong: 'buyer@huadong.example',
};

/** Alarm lifecycle through the real ingest path and the HTTP API, with the roles. */
describe('alarms: raised by rules and device events, acknowledged and cleared through the API', () => {
  let sys: System;
  let operator: string;
  let serviceUser: string;
  let owner: string;
  let stranger: string;
  let dev: SeededDevice;
  let client: MqttClient;
  const domainEvents: Array<{ type: string; deviceId?: string; customerId?: string; payload: unknown }> = [];

  const alarms = async (query: string, cookie = operator): Promise<Alarm[]> => {
    const res = await sys.api(`/api/alarms?${query}`, cookie);
    expect(res.status).toBe(200);
    return alarmsResponseSchema.parse(await res.json()).items;
  };
  const act = (id: string, action: 'ack' | 'clear', cookie: string) => sys.api(`/api/alarms/${id}/${action}`, cookie, { method: 'POST' });

  beforeAll(async () => {
    sys = await startSystem();
    sys.events.on('domain', (e) => domainEvents.push(e));
    dev = sys.devices.find((d) => d.modelId === 'AF37')!;
    operator = await sys.login('operator@airfleet.example');
    serviceUser = await sys.login('service@airfleet.example');
    owner = await sys.login(BUYERS[dev.customerId]!);
    stranger = await sys.login(Object.entries(BUYERS).find(([c]) => c !== dev.customerId)![1]);
    client = await connectDevice(sys.mqttPort, dev.id, dev.token);
  });
  afterAll(async () => {
    await client?.endAsync();
    await sys?.close();
  });

  it('a threshold crossing held past its duration raises one alarm; repeats update it', async () => {
    const base = Date.now() - 10 * 60_000;
    // Vibration above 4.5 mm/s for 2 minutes of event time while loaded (ISO 10816 warning zone).
    const samples = Array.from({ length: 13 }, (_, i) => ({ ts: base + i * 10_000, seq: i, state: 'loaded', metrics: { vibrationMmS: 5 + i / 100 } }));
    await publishAsync(client, telemetryTopic(dev.id), JSON.stringify(samples.slice(0, 5)));
    await waitFor(async () => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [dev.id])).rows[0].n === 5, 'first samples');
    expect(await alarms(`deviceId=${dev.id}`)).toEqual([]);
    await publishAsync(client, telemetryTopic(dev.id), JSON.stringify(samples.slice(5)));
    const [alarm] = await waitFor(async () => {
      const list = await alarms(`deviceId=${dev.id}`);
      return list.length > 0 ? list : undefined;
    }, 'vibration alarm');
    expect(alarm).toMatchObject({ type: 'vibration_warning', severity: 'minor', source: 'rule', state: 'active', acknowledged: false, threshold: 4.5 });
    // Raised at event time: 60 s after the first sample above the limit.
    expect(Date.parse(alarm!.startedAt)).toBe(base + 60_000);
    await sys.relayed();
    const raised = domainEvents.find((e) => e.type === 'alarm' && (e.payload as Alarm).id === alarm!.id);
    expect(raised).toMatchObject({ deviceId: dev.id, customerId: dev.customerId });
    expect(alarmSchema.parse(raised!.payload).state).toBe('active');
    expect(await counterValue(sys.registry, 'airfleet_alarms_raised_total', { type: 'vibration_warning' })).toBe(1);

    // Device events become alarms too: a warning with a code the cloud does not know, and a trip.
    await publishAsync(client, eventsTopic(dev.id), JSON.stringify({ ts: base + 125_000, type: 'warning', code: 'VIBRATION_WARNING_X' }));
    await publishAsync(client, eventsTopic(dev.id), JSON.stringify({ ts: base + 126_000, type: 'trip', code: 'OVERLOAD_TRIP', values: { motorCurrentA: 80 } }));
    await waitFor(async () => (await alarms(`deviceId=${dev.id}`)).length === 3, 'device event alarms');
    const list = await alarms(`deviceId=${dev.id}`);
    // Most urgent first.
    expect(list.map((a) => [a.type, a.severity, a.source])).toEqual([
      ['motor_overload', 'critical', 'device'],
      ['vibration_warning', 'minor', 'rule'],
      ['warning:VIBRATION_WARNING_X', 'warning', 'device'],
    ]);
    await publishAsync(client, eventsTopic(dev.id), JSON.stringify({ ts: base + 127_000, type: 'trip', code: 'OVERLOAD_TRIP', values: { motorCurrentA: 81 } }));
    const repeated = await waitFor(async () => (await alarms(`deviceId=${dev.id}&type=motor_overload`)).find((a) => a.count === 2), 'repeat counted');
    expect(repeated.value).toBe(81);
    const { rows } = await sys.pool.query(`SELECT count(*)::int AS n FROM alarms WHERE device_id = $1 AND type = 'motor_overload'`, [dev.id]);
    expect(rows[0].n).toBe(1);
  });

  it('customers see their own alarms only; others get 404', async () => {
    const own = await alarms(`deviceId=${dev.id}`, owner);
    expect(own.length).toBe(3);
    expect(await alarms(`deviceId=${dev.id}`, stranger)).toEqual([]);
    const res = await sys.api(`/api/alarms/${own[0]!.id}`, stranger);
    expect(res.status).toBe(404);
    expect(errorBodySchema.parse(await res.json()).code).toBe('NOT_FOUND');
    expect((await sys.api(`/api/alarms/${own[0]!.id}`, owner)).status).toBe(200);
  });

  it('customers cannot act (403); the operator acknowledges, service clears', async () => {
    const [critical] = await alarms(`deviceId=${dev.id}&severity=critical`);
    expect((await act(critical!.id, 'ack', owner)).status).toBe(403);
    expect((await act(critical!.id, 'clear', owner)).status).toBe(403);
    expect((await act(critical!.id, 'ack', stranger)).status).toBe(403);

    const acked = alarmSchema.parse(await (await act(critical!.id, 'ack', operator)).json());
    expect(acked).toMatchObject({ acknowledged: true, state: 'active', acknowledgedBy: { name: 'Otto Operator' } });
    // Idempotent: a second acknowledgement keeps the first person and time.
    const again = alarmSchema.parse(await (await act(critical!.id, 'ack', serviceUser)).json());
    expect(again.acknowledgedBy?.name).toBe('Otto Operator');
    expect(again.acknowledgedAt).toBe(acked.acknowledgedAt);

    const cleared = alarmSchema.parse(await (await act(critical!.id, 'clear', serviceUser)).json());
    expect(cleared).toMatchObject({ state: 'cleared', acknowledged: true, clearedBy: { name: 'Sam Service' }, endedAt: null });
    expect(cleared.clearedAt).not.toBeNull();
    // Every change reaches listeners through the outbox, in commit order.
    await sys.relayed();
    expect(domainEvents.filter((e) => (e.payload as Alarm).id === critical!.id).map((e) => alarmSchema.parse(e.payload).state)).toEqual(['active', 'active', 'active', 'cleared']);
    expect(await counterValue(sys.registry, 'airfleet_alarms_cleared_total', { how: 'manual' })).toBe(1);
    expect((await sys.api('/api/alarms/999999/ack', operator, { method: 'POST' })).status).toBe(404);
  });

  it('filters by state and acknowledgement', async () => {
    const active = await alarms(`deviceId=${dev.id}&state=active`);
    expect(active.map((a) => a.type).sort()).toEqual(['vibration_warning', 'warning:VIBRATION_WARNING_X']);
    expect((await alarms(`deviceId=${dev.id}&state=cleared`)).map((a) => a.type)).toEqual(['motor_overload']);
    expect((await alarms(`deviceId=${dev.id}&state=acknowledged`)).map((a) => a.type)).toEqual(['motor_overload']);
    expect((await alarms(`deviceId=${dev.id}&state=unacknowledged`)).length).toBe(2);
    expect((await alarms(`deviceId=${dev.id}&state=all`)).length).toBe(3);
    expect((await alarms(`siteId=${dev.siteId}&state=all`)).length).toBe(3);
    expect((await sys.api('/api/alarms?state=bogus', operator)).status).toBe(400);
  });

  it('counts active alarms per device and per site, within the caller’s scope', async () => {
    const perDevice = alarmCountsResponseSchema.parse(await (await sys.api('/api/alarms/counts?groupBy=device', operator)).json());
    expect(perDevice.items).toEqual([{ key: dev.id, total: 2, critical: 0, major: 0, minor: 1, warning: 1, unacknowledged: 2 }]);
    const perSite = alarmCountsResponseSchema.parse(await (await sys.api('/api/alarms/counts?groupBy=site&state=all', operator)).json());
    expect(perSite.items).toEqual([{ key: dev.siteId, total: 3, critical: 1, major: 0, minor: 1, warning: 1, unacknowledged: 2 }]);
    const strangerCounts = alarmCountsResponseSchema.parse(await (await sys.api('/api/alarms/counts?groupBy=site', stranger)).json());
    expect(strangerCounts.items).toEqual([]);
  });

  it('the condition ending clears the rule alarm by itself (hysteresis), with its end time', async () => {
    const base = Date.now() - 60_000;
    await publishAsync(client, telemetryTopic(dev.id), JSON.stringify({ ts: base, seq: 100, state: 'loaded', metrics: { vibrationMmS: 3.9 } }));
    const cleared = await waitFor(async () => (await alarms(`deviceId=${dev.id}&type=vibration_warning&state=cleared`))[0], 'automatic clear');
    expect(cleared).toMatchObject({ clearedBy: null, acknowledged: false });
    expect(Date.parse(cleared.endedAt!)).toBe(base);
  });
});
