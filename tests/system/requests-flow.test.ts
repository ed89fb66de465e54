import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSOR_MODELS, errorBodySchema, inboxResponseSchema, requestsResponseSchema, serviceRequestSchema, workOrderDetailSchema, type ServiceRequest } from '@airfleet/contracts';
import { startSystem, type System } from '../support/system-harness.ts';

/**
 * Request flow (end to end over real HTTP and PostgreSQL): a customer asks for
 * a kit quote → it lands in the service inbox → service quotes it with a note → the customer
 * reads the status and the note; tenant isolation and bad bodies on the way.
 */
describe('customer requests', () => {
  let sys: System;
  let northwind: string;
  let lakeside: string;
  let service: string;
  let operator: string;
  const northwindDevice = (): System['devices'][number] => sys.devices.find((d) => d.customerId === 'northwind')!;
  const lakesideDevice = (): System['devices'][number] => sys.devices.find((d) => d.customerId === 'lakeside')!;
  const post = (path: string, cookie: string, body: unknown): Promise<Response> => sys.api(path, cookie, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    sys = await startSystem();
    [northwind, lakeside, service, operator] = await Promise.all([
      sys.login('buyer@northwind.example'),
      sys.login('buyer@lakeside.example'),
      sys.login('service@airfleet.example'),
      sys.login('operator@airfleet.example'),
    ]);
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('a kit quote goes from the customer through the inbox to "quoted", and the customer sees it', async () => {
    const device = northwindDevice();
    const model = COMPRESSOR_MODELS.find((m) => m.id === device.modelId)!;
    const res = await post('/api/requests', northwind, {
      deviceId: device.id,
      kind: 'parts_quote',
      message: 'Please quote the B kit and two extra air filters',
      // A part number typed the way people type it: spaces, a lost leading zero is padded back.
      attachment: { kit: { modelId: device.modelId, level: 'B' }, parts: [{ partNumber: '4837 1000 01', quantity: 2 }] },
    });
    expect(res.status).toBe(201);
    const created = serviceRequestSchema.parse(await res.json());
    expect(created).toMatchObject({ status: 'open', kind: 'parts_quote', customerId: 'northwind', createdBy: { name: 'Nora North' } });
    expect(created.attachment?.kit).toEqual({ modelId: device.modelId, level: 'B', partNumbers: model.servicePlan.levels.find((l) => l.level === 'B')!.kit });
    expect(created.attachment?.parts).toEqual([{ partNumber: '4837100001', quantity: 2 }]);

    // It is in the service inbox, as a request item on the right machine.
    const inbox = inboxResponseSchema.parse(await (await sys.api('/api/service/inbox?kind=request', service)).json());
    const item = inbox.items.find((i) => i.key === `request:${created.id}`);
    expect(item).toMatchObject({ kind: 'request', category: 'request', deviceId: device.id, customerId: 'northwind', level: 'B', title: 'Parts quote requested' });

    // Service reviews, then quotes with a note for the customer.
    expect((await post(`/api/requests/${created.id}/status`, service, { status: 'in_review' })).status).toBe(200);
    const quoted = await post(`/api/requests/${created.id}/status`, service, { status: 'quoted', note: 'Quote Q-2291 sent by email: kit B and 2 filters, EUR 412' });
    expect(quoted.status).toBe(200);

    // The customer sees the status, the note and the history.
    const mine = serviceRequestSchema.parse(await (await sys.api(`/api/requests/${created.id}`, northwind)).json());
    expect(mine.status).toBe('quoted');
    expect(mine.statusNote).toBe('Quote Q-2291 sent by email: kit B and 2 filters, EUR 412');
    expect(mine.history.map((h) => h.status)).toEqual(['open', 'in_review', 'quoted']);
    expect(mine.history.at(-1)?.actor?.name).toBe('Sam Service');
    const list = requestsResponseSchema.parse(await (await sys.api('/api/requests', northwind)).json());
    expect(list.items.map((r) => r.id)).toContain(created.id);

    // Still waiting on the customer: the item stays in the inbox until closed; closing takes it out.
    expect((await post(`/api/requests/${created.id}/status`, service, { status: 'closed', note: 'ordered' })).status).toBe(200);
    const after = inboxResponseSchema.parse(await (await sys.api('/api/service/inbox?kind=request', service)).json());
    expect(after.items.find((i) => i.key === `request:${created.id}`)).toBeUndefined();
    // A closed request does not reopen (409 with a stable code).
    const reopen = await post(`/api/requests/${created.id}/status`, service, { status: 'in_review' });
    expect(reopen.status).toBe(409);
    expect(errorBodySchema.parse(await reopen.json()).code).toBe('INVALID_TRANSITION');
  });

  it("another customer's request and machine answer 404; their list never shows it", async () => {
    const res = await post('/api/requests', northwind, { deviceId: northwindDevice().id, kind: 'service', message: 'noise from the motor' });
    const created = serviceRequestSchema.parse(await res.json());
    const foreign = await sys.api(`/api/requests/${created.id}`, lakeside);
    expect(foreign.status).toBe(404);
    expect(errorBodySchema.parse(await foreign.json()).code).toBe('NOT_FOUND');
    const theirs = requestsResponseSchema.parse(await (await sys.api('/api/requests', lakeside)).json());
    expect(theirs.items.every((r: ServiceRequest) => r.customerId === 'lakeside')).toBe(true);
    expect(theirs.items.map((r) => r.id)).not.toContain(created.id);
    // Asking for someone else's machine: 404, nothing stored.
    const before = (await sys.pool.query('SELECT count(*)::int AS n FROM service_requests')).rows[0].n;
    expect((await post('/api/requests', lakeside, { deviceId: northwindDevice().id, kind: 'service', message: 'x' })).status).toBe(404);
    expect((await sys.pool.query('SELECT count(*)::int AS n FROM service_requests')).rows[0].n).toBe(before);
    // A customer cannot move a request on, nor can an operator; operators do not file requests.
    expect((await post(`/api/requests/${created.id}/status`, northwind, { status: 'closed' })).status).toBe(403);
    expect((await post(`/api/requests/${created.id}/status`, operator, { status: 'closed' })).status).toBe(403);
    expect((await post('/api/requests', operator, { deviceId: lakesideDevice().id, kind: 'service', message: 'x' })).status).toBe(403);
  });

  it('bad bodies answer 400 with a stable code and the path of the problem', async () => {
    const device = northwindDevice().id;
    const cases: Array<[unknown, string]> = [
      [{ deviceId: device, kind: 'parts_quote', message: 'kit please' }, 'body.attachment'],
      [{ deviceId: device, kind: 'repair', message: 'x' }, 'body.kind'],
      [{ deviceId: device, kind: 'service', message: '   ' }, 'body.message'],
      [{ deviceId: device, kind: 'parts_quote', message: 'x', attachment: { parts: [{ partNumber: '12345678901', quantity: 1 }] } }, 'body.attachment.parts.0.partNumber'],
      [{ deviceId: device, kind: 'parts_quote', message: 'x', attachment: { parts: [{ partNumber: '4837100001', quantity: 0 }] } }, 'body.attachment.parts.0.quantity'],
      [{ deviceId: device, kind: 'service', message: 'x', extra: 1 }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await post('/api/requests', northwind, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = errorBodySchema.parse(await res.json());
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.requestId).toBeTruthy();
      if (path) expect(err.details?.map((d) => d.path)).toContain(path);
    }
    // An unknown kit is refused by the service, also with a path.
    const kit = await post('/api/requests', northwind, { deviceId: device, kind: 'parts_quote', message: 'x', attachment: { kit: { modelId: 'AF999', level: 'B' } } });
    expect(kit.status).toBe(400);
    expect(errorBodySchema.parse(await kit.json()).details?.[0]?.path).toBe('body.attachment.kit');
    const status = await post('/api/requests/1/status', service, { status: 'open' });
    expect(status.status).toBe(400);
  });

  it('the fixed paths of the service features are in the OpenAPI document', async () => {
    const doc = (await (await sys.api('/docs/json')).json()) as { paths: Record<string, unknown> };
    for (const p of [
      '/api/requests',
      '/api/requests/{id}',
      '/api/requests/{id}/status',
      '/api/service/inbox',
      '/api/service/inbox/assign',
      '/api/service/technicians',
      '/api/service/calendar',
      '/api/work-orders',
      '/api/work-orders/{id}',
      '/api/work-orders/{id}/complete',
      '/api/devices/{id}/maintenance',
      '/api/devices/{id}/service-history',
    ]) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
  });

  it('a work order made from a request links back to it and scheduling it tells the customer', async () => {
    const device = lakesideDevice();
    const created = serviceRequestSchema.parse(await (await post('/api/requests', lakeside, { deviceId: device.id, kind: 'service', message: 'please service before the holidays' })).json());
    const woRes = await post('/api/work-orders', service, { itemKey: `request:${created.id}` });
    expect(woRes.status).toBe(201);
    const wo = workOrderDetailSchema.parse(await woRes.json());
    expect(wo).toMatchObject({ deviceId: device.id, requestId: created.id, itemKey: `request:${created.id}`, status: 'open' });
    const techs = (await (await sys.api('/api/service/technicians', service)).json()) as { items: Array<{ id: string; email: string }> };
    const sam = techs.items.find((t) => t.email === 'service@airfleet.example')!;
    expect((await post(`/api/work-orders/${wo.id}/schedule`, service, { scheduledFor: '2030-12-20T08:00:00Z', technicianId: sam.id })).status).toBe(200);
    const seen = serviceRequestSchema.parse(await (await sys.api(`/api/requests/${created.id}`, lakeside)).json());
    expect(seen).toMatchObject({ status: 'scheduled', workOrderId: wo.id, statusNote: 'Service visit scheduled for 2030-12-20' });
  });
});
