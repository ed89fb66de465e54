import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceMaintenanceSchema, errorBodySchema, techniciansResponseSchema, workOrderDetailSchema, workOrdersResponseSchema, type WorkOrderDetail } from '@airfleet/contracts';
import { hashSecret } from '@airfleet/runtime';
import { startSystem, type System } from '../support/system-harness.ts';

/**
 * Service permissions, over real HTTP and PostgreSQL. The rule tables are in
 * service.routes.ts and work-orders.routes.ts: customers never see the inbox and only their own
 * machines' work orders; operators read only; a technician starts and completes only what is
 * scheduled to them; admins may do anything. Every accepted change writes one audit row, and a
 * refused one writes none.
 */
describe('service permissions', () => {
  let sys: System;
  const cookies: Record<string, string> = {};
  let sam: string;
  let tess: string;
  const northwindDevice = (): string => sys.devices.find((d) => d.customerId === 'northwind')!.id;
  const lakesideDevice = (): string => sys.devices.find((d) => d.customerId === 'lakeside')!.id;
  const call = (who: string, method: string, p: string, body?: unknown): Promise<Response> =>
    sys.api(p, cookies[who], { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const auditCount = async (entity: string, id: string): Promise<number> =>
    (await sys.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM service_audit WHERE entity = $1 AND entity_id = $2', [entity, id])).rows[0]!.n;
  const create = async (deviceId: string, title: string): Promise<WorkOrderDetail> => {
    const res = await call('service', 'POST', '/api/work-orders', { deviceId, title, level: 'B' });
    expect(res.status).toBe(201);
    return workOrderDetailSchema.parse(await res.json());
  };

  beforeAll(async () => {
    sys = await startSystem();
    // A second technician, to show that one cannot act on the other's work.
    await sys.pool.query(`INSERT INTO users (email, name, password_hash, role) VALUES ('tess@airfleet.example', 'Tess Tech', $1, 'service')`, [await hashSecret('tess-password')]);
    for (const [who, email] of [
      ['admin', 'admin@airfleet.example'],
      ['operator', 'operator@airfleet.example'],
      ['service', 'service@airfleet.example'],
      ['northwind', 'buyer@northwind.example'],
      ['lakeside', 'buyer@lakeside.example'],
    ] as const) {
      cookies[who] = await sys.login(email);
    }
    cookies.tess = await sys.login('tess@airfleet.example', 'tess-password');
    const techs = techniciansResponseSchema.parse(await (await call('service', 'GET', '/api/service/technicians')).json()).items;
    sam = techs.find((t) => t.name === 'Sam Service')!.id;
    tess = techs.find((t) => t.name === 'Tess Tech')!.id;
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('a customer gets 403 on the inbox, technicians, calendar and every work-order mutation', async () => {
    const wo = await create(northwindDevice(), 'B service');
    const refused: Array<[string, string, unknown?]> = [
      ['GET', '/api/service/inbox'],
      ['GET', '/api/service/inbox?customerId=northwind'],
      ['GET', '/api/service/technicians'],
      ['GET', '/api/service/calendar?days=30'],
      ['POST', '/api/service/inbox/assign', { itemKey: `maintenance:${northwindDevice()}:A`, assigneeId: sam }],
      ['POST', '/api/work-orders', { deviceId: northwindDevice(), title: 'mine' }],
      ['PATCH', `/api/work-orders/${wo.id}`, { title: 'changed' }],
      ['POST', `/api/work-orders/${wo.id}/schedule`, { scheduledFor: '2030-01-01T08:00:00Z', technicianId: sam }],
      ['POST', `/api/work-orders/${wo.id}/start`],
      ['POST', `/api/work-orders/${wo.id}/complete`, { runningHours: 1, level: 'B' }],
      ['POST', `/api/work-orders/${wo.id}/cancel`, { reason: 'no' }],
    ];
    for (const [method, p, body] of refused) {
      const res = await call('northwind', method, p, body);
      expect(res.status, `${method} ${p}`).toBe(403);
      expect(errorBodySchema.parse(await res.json()).code).toBe('FORBIDDEN');
    }
    expect(await auditCount('work_order', wo.id)).toBe(1); // only its creation
  });

  it("a customer reads their own machines' work orders; another customer's answer 404", async () => {
    const mine = await create(northwindDevice(), 'northwind job');
    const theirs = await create(lakesideDevice(), 'lakeside job');
    expect((await call('northwind', 'GET', `/api/work-orders/${mine.id}`)).status).toBe(200);
    const foreign = await call('northwind', 'GET', `/api/work-orders/${theirs.id}`);
    expect(foreign.status).toBe(404);
    expect(errorBodySchema.parse(await foreign.json()).code).toBe('NOT_FOUND');
    const list = workOrdersResponseSchema.parse(await (await call('northwind', 'GET', '/api/work-orders?limit=1000')).json());
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((w) => w.customerId === 'northwind')).toBe(true);
    // Asking for the other customer's filter does not widen the scope.
    const widened = workOrdersResponseSchema.parse(await (await call('northwind', 'GET', '/api/work-orders?customerId=lakeside')).json());
    expect(widened.items).toEqual([]);
    expect((await call('lakeside', 'GET', `/api/devices/${northwindDevice()}/maintenance`)).status).toBe(404);
    expect((await call('lakeside', 'GET', `/api/devices/${northwindDevice()}/service-history`)).status).toBe(404);
    expect((await call('northwind', 'GET', `/api/devices/${northwindDevice()}/maintenance`)).status).toBe(200);
  });

  it('an operator reads the inbox and work orders but changes nothing', async () => {
    const wo = await create(lakesideDevice(), 'operator watch');
    expect((await call('operator', 'GET', '/api/service/inbox')).status).toBe(200);
    expect((await call('operator', 'GET', `/api/work-orders/${wo.id}`)).status).toBe(200);
    for (const [method, p, body] of [
      ['POST', '/api/work-orders', { deviceId: lakesideDevice(), title: 'x' }],
      ['PATCH', `/api/work-orders/${wo.id}`, { title: 'x' }],
      ['POST', `/api/work-orders/${wo.id}/schedule`, { scheduledFor: '2030-01-01T08:00:00Z', technicianId: sam }],
      ['POST', `/api/work-orders/${wo.id}/complete`, { runningHours: 1, level: 'B' }],
      ['POST', '/api/service/inbox/assign', { itemKey: `maintenance:${lakesideDevice()}:A`, assigneeId: sam }],
    ] as Array<[string, string, unknown]>) {
      expect((await call('operator', method, p, body)).status, `${method} ${p}`).toBe(403);
    }
    expect(await auditCount('work_order', wo.id)).toBe(1);
  });

  it('a technician starts and completes only what is scheduled to them; an admin may do any; every change audited', async () => {
    const wo = await create(northwindDevice(), 'B service, Sam');
    const schedule = await call('service', 'POST', `/api/work-orders/${wo.id}/schedule`, { scheduledFor: '2030-01-01T08:00:00Z', technicianId: sam });
    expect(schedule.status).toBe(200);
    // Tess may plan (edit) but not start Sam's work.
    const tessStart = await call('tess', 'POST', `/api/work-orders/${wo.id}/start`);
    expect(tessStart.status).toBe(403);
    expect(errorBodySchema.parse(await tessStart.json()).code).toBe('FORBIDDEN');
    expect((await call('tess', 'PATCH', `/api/work-orders/${wo.id}`, { description: 'bring the B kit' })).status).toBe(200);
    expect((await call('service', 'POST', `/api/work-orders/${wo.id}/start`)).status).toBe(200);
    expect((await call('tess', 'POST', `/api/work-orders/${wo.id}/complete`, { runningHours: 4000, level: 'B' })).status).toBe(403);
    // An admin may complete anyone's work (e.g. closing it for an absent technician), naming who did it.
    const done = await call('admin', 'POST', `/api/work-orders/${wo.id}/complete`, { runningHours: 4000, level: 'B', technicianId: sam, notes: 'closed for Sam' });
    expect(done.status).toBe(200);
    const detail = workOrderDetailSchema.parse(await done.json());
    expect(detail.completion).toMatchObject({ technician: { id: sam }, level: 'B' });
    expect(detail.serviceReset?.judgmentId).toBeTruthy();
    // This machine never reported, so the technician's reading is what the plan restarts from (B covers A).
    const plan = deviceMaintenanceSchema.parse(await (await call('service', 'GET', `/api/devices/${northwindDevice()}/maintenance`)).json());
    expect(plan.levels.filter((l) => l.level === 'A' || l.level === 'B').map((l) => [l.level, l.lastSource, l.lastServiceHours])).toEqual([
      ['A', 'service', 4000],
      ['B', 'service', 4000],
    ]);
    // Done is final.
    const cancel = await call('admin', 'POST', `/api/work-orders/${wo.id}/cancel`, { reason: 'late' });
    expect(cancel.status).toBe(409);
    expect(errorBodySchema.parse(await cancel.json()).code).toBe('INVALID_TRANSITION');

    // Exactly the accepted changes are in the trail, each with its actor.
    expect(detail.audit.map((a) => [a.action, a.actor?.name])).toEqual([
      ['create', 'Sam Service'],
      ['schedule', 'Sam Service'],
      ['update', 'Tess Tech'],
      ['start', 'Sam Service'],
      ['complete', 'Ada Admin'],
    ]);
    expect(detail.audit[2]!.changes).toEqual({ description: { before: '', after: 'bring the B kit' } });
    expect(await auditCount('work_order', wo.id)).toBe(5);
  });

  it('assignments are audited; unknown technicians and bad bodies are refused with stable codes', async () => {
    const key = `maintenance:${northwindDevice()}:C`;
    expect((await call('service', 'POST', '/api/service/inbox/assign', { itemKey: key, assigneeId: tess })).status).toBe(200);
    expect((await call('service', 'POST', '/api/service/inbox/assign', { itemKey: key, assigneeId: null })).status).toBe(200);
    const { rows } = await sys.pool.query('SELECT action, changes FROM service_audit WHERE entity = $1 AND entity_id = $2 ORDER BY id', ['inbox_item', key]);
    expect(rows).toEqual([
      { action: 'assign', changes: { assigneeId: { before: null, after: tess } } },
      { action: 'assign', changes: { assigneeId: { before: tess, after: null } } },
    ]);
    const customerUser = (await sys.pool.query<{ id: string }>(`SELECT id::text FROM users WHERE email = 'buyer@northwind.example'`)).rows[0]!.id;
    const notTech = await call('service', 'POST', '/api/service/inbox/assign', { itemKey: key, assigneeId: customerUser });
    expect(notTech.status).toBe(422);
    expect(errorBodySchema.parse(await notTech.json()).code).toBe('UNKNOWN_TECHNICIAN');
    const badKey = await call('service', 'POST', '/api/service/inbox/assign', { itemKey: 'alarm:abc', assigneeId: tess });
    expect(badKey.status).toBe(400);
    expect(errorBodySchema.parse(await badKey.json()).code).toBe('VALIDATION_FAILED');
    const missing = await call('service', 'POST', '/api/service/inbox/assign', { itemKey: 'alarm:999999', assigneeId: tess });
    expect(missing.status).toBe(404);
    const noTitle = await call('service', 'POST', '/api/work-orders', { deviceId: northwindDevice() });
    expect(noTitle.status).toBe(400);
    const unknownDevice = await call('service', 'POST', '/api/work-orders', { deviceId: 'NOPE-1', title: 'x' });
    expect(unknownDevice.status).toBe(404);
  });
});
