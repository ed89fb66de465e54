import { beforeAll, describe, expect, it } from 'vitest';
import { calendarResponseSchema, errorBodySchema, inboxResponseSchema, workOrderDetailSchema, type InboxItem } from '@airfleet/contracts';
import { fixtureAppAt, loginCookie } from '../../../../tests/support/platform-fixtures.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);

/**
 * A machine's visit changes level under an open work order, over a real database and the HTTP
 * app: the order is made for the A visit (`maintenance:<device>:A`); then the machine runs past
 * its B interval, so the visit becomes a B (`maintenance:<device>:B`). The inbox must show ONE
 * item, the B visit, carrying the A order and saying its level is below what is due; no second
 * order can be made for the B item; raising the order's level (PATCH) settles the hint.
 */
const ctx = fixtureAppAt(NOW);
let cookie: string;
let deviceId: string;

async function setRunningHours(hours: number): Promise<void> {
  await ctx.pool.query(
    `INSERT INTO device_latest (device_id, ts, seq, state, metrics, received_at) VALUES ($1, to_timestamp($2 / 1000.0), 99, 'loaded', $3::jsonb, now())
     ON CONFLICT (device_id) DO UPDATE SET ts = EXCLUDED.ts, metrics = EXCLUDED.metrics`,
    [deviceId, NOW, JSON.stringify({ runningHours: hours })],
  );
}

async function visitItems(): Promise<InboxItem[]> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/service/inbox?kind=maintenance&customerId=${ctx.fx.customers.acme.id}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return inboxResponseSchema.parse(res.json()).items.filter((i) => i.deviceId === deviceId);
}

beforeAll(async () => {
  cookie = await loginCookie(ctx.app, ctx.fx.users.service.email);
  deviceId = ctx.fx.devices.acme1.id; // AF37: A every 2000 h, B every 4000 h, C every 8000 h (12 / 12 / 24 months)
  const at = NOW - 30 * DAY;
  await ctx.pool.query(
    `INSERT INTO device_service (device_id, level, last_hours, last_at, source, done) VALUES
       ($1, 'first', 500, to_timestamp($2 / 1000.0), 'service', true), ($1, 'A', 0, to_timestamp($2 / 1000.0), 'service', false),
       ($1, 'B', 0, to_timestamp($2 / 1000.0), 'service', false), ($1, 'C', 0, to_timestamp($2 / 1000.0), 'service', false)`,
    [deviceId, at],
  );
  await setRunningHours(2050); // A 50 h overdue; B 1950 h away: an A visit
});

describe('an open work order follows the machine visit when its level goes up', () => {
  let orderId: string;

  it('the A visit gets an order', async () => {
    expect((await visitItems()).map((i) => [i.key, i.workOrder])).toEqual([[`maintenance:${deviceId}:A`, null]]);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/work-orders', headers: { cookie }, payload: { itemKey: `maintenance:${deviceId}:A` } });
    expect(res.statusCode).toBe(201);
    const wo = workOrderDetailSchema.parse(res.json());
    expect(wo).toMatchObject({ level: 'A', itemKey: `maintenance:${deviceId}:A`, status: 'open' });
    orderId = wo.id;
  });

  it('B comes due too: one B item, carrying the A order, flagged as below the level due', async () => {
    await setRunningHours(4050);
    const items = await visitItems();
    expect(items.map((i) => [i.key, i.level, i.workOrder])).toEqual([[`maintenance:${deviceId}:B`, 'B', { id: orderId, status: 'open', level: 'A', levelBelowDue: true }]]);
    // The calendar shows the one visit with that order, not a second unplanned B.
    const cal = calendarResponseSchema.parse((await ctx.app.inject({ method: 'GET', url: `/api/service/calendar?days=30&siteId=${ctx.fx.devices.acme1.siteId}`, headers: { cookie } })).json());
    expect(cal.entries.filter((e) => e.deviceId === deviceId).map((e) => [e.kind, e.level, e.workOrderId])).toEqual([['predicted', 'B', orderId]]);
  });

  it('no second order for the B item while the A order is live', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/work-orders', headers: { cookie }, payload: { itemKey: `maintenance:${deviceId}:B` } });
    expect(res.statusCode).toBe(409);
    expect(errorBodySchema.parse(res.json())).toMatchObject({ code: 'WORK_ORDER_EXISTS' });
  });

  it('raising the order to B (PATCH) settles the hint', async () => {
    const res = await ctx.app.inject({ method: 'PATCH', url: `/api/work-orders/${orderId}`, headers: { cookie }, payload: { level: 'B' } });
    expect(res.statusCode).toBe(200);
    expect((await visitItems()).map((i) => [i.key, i.workOrder])).toEqual([[`maintenance:${deviceId}:B`, { id: orderId, status: 'open', level: 'B', levelBelowDue: false }]]);
  });

  it('completing it as a B service ends the visit and its one overdue alarm (service_overdue_B)', async () => {
    // The alarm the service rule holds for this visit (rules.engine.test.ts: A and B overdue → one B alarm).
    const { rows } = await ctx.pool.query<{ id: string }>(
      `INSERT INTO alarms (device_id, type, severity, source, message, state, started_at, last_seen_at)
       VALUES ($1, 'service_overdue_B', 'minor', 'service', 'Service level B (includes A) overdue', 'active', now(), now()) RETURNING id::text`,
      [deviceId],
    );
    const step = async (path: string, payload: object): Promise<void> => {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/work-orders/${orderId}/${path}`, headers: { cookie }, payload });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    };
    await step('schedule', { scheduledFor: new Date(NOW + DAY).toISOString(), technicianId: ctx.fx.users.service.id });
    await step('start', {});
    await step('complete', { runningHours: 4050, level: 'B' });
    const alarm = await ctx.pool.query<{ state: string }>('SELECT state FROM alarms WHERE id = $1', [rows[0]!.id]);
    expect(alarm.rows[0]!.state).not.toBe('active');
    expect(await visitItems()).toEqual([]);
  });
});
