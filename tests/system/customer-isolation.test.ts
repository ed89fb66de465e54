import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MqttClient } from 'mqtt';
import { errorBodySchema, eventsTopic, liveServerMessageSchema, overviewResponseSchema, telemetryTopic, type LiveServerMessage } from '@airfleet/contracts';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Customer isolation (OWASP API1, broken object-level authorisation): with the demo tenants, every
 * customer endpoint answers 404 for another customer's ids — never 403 (which would confirm the
 * id exists), never the data — and the live channel carries nothing about another customer's
 * machines. Each check first shows the same request works for the owner, so a missing route
 * cannot pass as isolation.
 */
describe('customer isolation on every customer endpoint and on the live channel', () => {
  let sys: System;
  let northwind: string;
  let lakeside: string;
  let operator: string;
  let own: { deviceId: string; siteId: string };
  let foreign: { deviceId: string; siteId: string; token: string };
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    sys = await startSystem();
    northwind = await sys.login('buyer@northwind.example');
    lakeside = await sys.login('buyer@lakeside.example');
    operator = await sys.login('operator@airfleet.example');
    const n = sys.devices.find((d) => d.customerId === 'northwind')!;
    const l = sys.devices.find((d) => d.customerId === 'lakeside')!;
    own = { deviceId: n.id, siteId: n.siteId };
    foreign = { deviceId: l.id, siteId: l.siteId, token: l.token };
  });
  afterAll(async () => {
    for (const d of devices) d.end(true);
    await sys?.close();
  });

  async function expect404(path: string, cookie = northwind, init: RequestInit = {}): Promise<void> {
    const res = await sys.api(path, cookie, init);
    expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(404);
    const body = errorBodySchema.parse(await res.json());
    expect(body.code).toBe('NOT_FOUND');
    // Only the id the caller sent is echoed: nothing about the owner or the object.
    expect(body.message).toMatch(/not found$/);
    expect(JSON.stringify(body)).not.toMatch(/Lakeside Foods|customerId|"serial"/);
  }
  async function expectOk(path: string, cookie = northwind): Promise<Response> {
    const res = await sys.api(path, cookie);
    expect(res.status, `GET ${path} as owner`).toBe(200);
    return res;
  }

  it('usage by device and by site, as JSON and CSV, and savings advice', async () => {
    const q = (sel: string) => `${sel}&from=2026-01-01&to=2026-01-08`;
    for (const [ownPath, foreignPath] of [
      [`/api/customer/usage?${q(`deviceId=${own.deviceId}`)}`, `/api/customer/usage?${q(`deviceId=${foreign.deviceId}`)}`],
      [`/api/customer/usage?${q(`siteId=${own.siteId}`)}`, `/api/customer/usage?${q(`siteId=${foreign.siteId}`)}`],
      [`/api/customer/usage?${q(`deviceId=${own.deviceId}`)}&format=csv`, `/api/customer/usage?${q(`deviceId=${foreign.deviceId}`)}&format=csv`],
      [`/api/customer/usage?${q(`siteId=${own.siteId}`)}&format=csv&table=machines`, `/api/customer/usage?${q(`siteId=${foreign.siteId}`)}&format=csv&table=machines`],
      [`/api/customer/savings?deviceId=${own.deviceId}`, `/api/customer/savings?deviceId=${foreign.deviceId}`],
      [`/api/customer/savings?siteId=${own.siteId}`, `/api/customer/savings?siteId=${foreign.siteId}`],
    ]) {
      await expectOk(ownPath!);
      await expect404(foreignPath!);
    }
    // An Accept: text/csv request for a foreign id is a 404 too, not an empty file.
    await expect404(`/api/customer/usage?deviceId=${foreign.deviceId}`, northwind, { headers: { accept: 'text/csv' } });
    // Unknown ids look exactly the same as foreign ones.
    await expect404('/api/customer/usage?deviceId=NO-SUCH-DEVICE');
  });

  it('the overview lists only the customer’s own machines', async () => {
    const res = await expectOk('/api/customer/overview');
    const overview = overviewResponseSchema.parse(await res.json());
    const mine = sys.devices.filter((d) => d.customerId === 'northwind').map((d) => d.id).sort();
    expect(overview.machines.map((m) => m.deviceId).sort()).toEqual(mine);
    expect(overview.customerId).toBe('northwind');
  });

  it('the report subscription is the signed-in user’s own', async () => {
    const put = await sys.api('/api/customer/report-subscription', lakeside, { method: 'PUT', body: JSON.stringify({ weeklyReport: true, locale: 'en' }) });
    expect(put.status).toBe(200);
    expect(await (await expectOk('/api/customer/report-subscription')).json()).toMatchObject({ weeklyReport: false });
    // There is no way to name another user: an extra field is refused.
    const res = await sys.api('/api/customer/report-subscription', northwind, { method: 'PUT', body: JSON.stringify({ weeklyReport: true, userId: 'x' }) });
    expect(res.status).toBe(400);
  });

  it('telemetry, health, maintenance and judgments of another customer’s machine', async () => {
    for (const suffix of ['', '/telemetry', '/health', '/judgments', '/maintenance', '/service-history']) {
      const ownRes = await sys.api(`/api/devices/${own.deviceId}${suffix}`, northwind);
      expect(ownRes.status, `own ${suffix}`).toBe(200);
      await expect404(`/api/devices/${foreign.deviceId}${suffix}`);
    }
    await expect404(`/api/sites/${foreign.siteId}/health`);
    // A judgment of the foreign machine, created by staff, is 404 by id.
    const admin = await sys.login('admin@airfleet.example');
    const created = await sys.api(`/api/devices/${foreign.deviceId}/judgments`, admin, {
      method: 'POST',
      body: JSON.stringify({ kind: 'inspect', reason: 'isolation test', params: { check: 'specific_power', value: 7.1, peerMedian: 6.2, percentile: 97, peers: 5 } }),
    });
    expect(created.status).toBe(201);
    const { judgment } = (await created.json()) as { judgment: { id: string } };
    expect((await sys.api(`/api/judgments/${judgment.id}`, lakeside)).status).toBe(200);
    await expect404(`/api/judgments/${judgment.id}`);
    await expect404(`/api/judgments/${judgment.id}/feedback`, northwind, { method: 'POST', body: JSON.stringify({ useful: true }) });
  });

  it('alarms of another customer’s machine (raised by a real device event) and the live channel', async () => {
    const messages: LiveServerMessage[] = [];
    const ws = new WebSocket(`${sys.baseUrl.replace('http', 'ws')}/live`, { headers: { cookie: northwind } });
    ws.on('message', (data) => messages.push(liveServerMessageSchema.parse(JSON.parse(data.toString()))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const staffMessages: LiveServerMessage[] = [];
    const staff = new WebSocket(`${sys.baseUrl.replace('http', 'ws')}/live`, { headers: { cookie: operator } });
    staff.on('message', (data) => staffMessages.push(liveServerMessageSchema.parse(JSON.parse(data.toString()))));
    await new Promise((resolve) => staff.once('open', resolve));

    // The foreign machine and an own machine both publish telemetry and a trip over MQTT.
    const ownDevice = sys.devices.find((d) => d.id === own.deviceId)!;
    for (const d of [foreign, { ...own, token: ownDevice.token }]) {
      const client = await connectDevice(sys.mqttPort, d.deviceId, d.token);
      devices.push(client);
      const now = Date.now();
      await publishAsync(client, telemetryTopic(d.deviceId), JSON.stringify({ ts: now, seq: 1, state: 'loaded', metrics: { pressureBar: 7.1, powerKw: 40 } }));
      await publishAsync(client, eventsTopic(d.deviceId), JSON.stringify({ ts: now, type: 'trip', code: 'ISOLATION_TEST', message: 'test trip' }));
    }
    // Staff see both machines' trips, so both really travelled; only then judge the customer's view.
    await waitFor(
      () => [foreign.deviceId, own.deviceId].every((id) => staffMessages.some((m) => m.type === 'event' && m.deviceId === id)),
      'staff receive both machines’ events',
    );
    await waitFor(() => messages.some((m) => m.type === 'event' && m.deviceId === own.deviceId), 'customer receives its own event');
    await waitFor(async () => {
      const res = await sys.api(`/api/alarms?deviceId=${foreign.deviceId}&state=all`, operator);
      const body = (await res.json()) as { items: Array<{ id: string; type: string }> };
      return body.items.find((a) => a.type.startsWith('trip'));
    }, 'alarm of the foreign trip');
    await new Promise((r) => setTimeout(r, 1500)); // several live flushes for anything to (wrongly) arrive
    ws.close();
    staff.close();

    const seen = JSON.stringify(messages);
    expect(seen).not.toContain(foreign.deviceId);
    expect(seen).toContain(own.deviceId);

    const foreignAlarms = (await (await sys.api(`/api/alarms?deviceId=${foreign.deviceId}&state=all`, operator)).json()) as { items: Array<{ id: string }> };
    const alarmId = foreignAlarms.items[0]!.id;
    expect((await sys.api(`/api/alarms/${alarmId}`, lakeside)).status).toBe(200);
    await expect404(`/api/alarms/${alarmId}`);
    // Filters naming the foreign machine return nothing rather than its alarms.
    const filtered = (await (await sys.api(`/api/alarms?deviceId=${foreign.deviceId}&state=all`, northwind)).json()) as { items: unknown[] };
    expect(filtered.items).toEqual([]);
    const overview = overviewResponseSchema.parse(await (await sys.api('/api/customer/overview', northwind)).json());
    expect(JSON.stringify(overview)).not.toContain(foreign.deviceId);
  });

  it('service requests and work orders of another customer', async () => {
    const created = await sys.api('/api/requests', lakeside, {
      method: 'POST',
      body: JSON.stringify({ deviceId: foreign.deviceId, kind: 'service', message: 'Please check the cooler.' }),
    });
    expect(created.status).toBe(201);
    const request = (await created.json()) as { id: string };
    expect((await sys.api(`/api/requests/${request.id}`, lakeside)).status).toBe(200);
    await expect404(`/api/requests/${request.id}`);
    // Nor can a customer file a request against another customer's machine.
    const res = await sys.api('/api/requests', northwind, { method: 'POST', body: JSON.stringify({ deviceId: foreign.deviceId, kind: 'service', message: 'x' }) });
    expect([404, 422]).toContain(res.status);

    const service = await sys.login('service@airfleet.example');
    const wo = await sys.api('/api/work-orders', service, { method: 'POST', body: JSON.stringify({ deviceId: foreign.deviceId, title: 'Isolation check' }) });
    expect(wo.status).toBe(201);
    const order = (await wo.json()) as { id: string };
    expect((await sys.api(`/api/work-orders/${order.id}`, lakeside)).status).toBe(200);
    await expect404(`/api/work-orders/${order.id}`);
  });
});
