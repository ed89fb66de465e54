import { beforeAll, describe, expect, it } from 'vitest';
import { calendarResponseSchema, deviceMaintenanceSchema, findModel, inboxResponseSchema, overviewResponseSchema, partsSearchResponseSchema, workOrderDetailSchema } from '@airfleet/contracts';
import { fixtureAppAt, loginCookie } from '../../../../tests/support/platform-fixtures.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);

/**
 * One notion of "the next service" (docs/domain.md §5: C includes B includes A) over a real database:
 * the plan API, the service inbox, the planning calendar, the customer overview and the public
 * parts lookup by serial all name the same visit. The machine is the demo's AF22-000156 case:
 * its counters put A, B and C on the same reading (16 000 h), 1953 h from now.
 */
const ctx = fixtureAppAt(NOW);
let service: string;
let buyer: string;
let id: string;

beforeAll(async () => {
  service = await loginCookie(ctx.app, ctx.fx.users.service.email);
  buyer = await loginCookie(ctx.app, ctx.fx.users.acmeBuyer.email);
  id = ctx.fx.devices.acme1.id; // AF37, acme's
  await ctx.pool.query(`UPDATE device_latest SET ts = to_timestamp($2 / 1000.0), metrics = (metrics::jsonb || '{"runningHours": 14047}'::jsonb)::json WHERE device_id = $1`, [id, NOW]);
  const at = NOW - 10 * DAY;
  await ctx.pool.query(
    `INSERT INTO device_service (device_id, level, last_hours, last_at, source, done) VALUES
       ($1, 'first', 500, to_timestamp($2 / 1000.0), 'service', true), ($1, 'A', 14000, to_timestamp($2 / 1000.0), 'service', false),
       ($1, 'B', 12000, to_timestamp($2 / 1000.0), 'service', false), ($1, 'C', 8000, to_timestamp($2 / 1000.0), 'service', false)`,
    [id, at],
  );
});

const get = async (url: string, cookie?: string) => {
  const res = await ctx.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as unknown;
};
const post = async (url: string, payload: unknown = {}) => {
  const res = await ctx.app.inject({ method: 'POST', url, headers: { cookie: service }, payload: payload as object });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  return workOrderDetailSchema.parse(res.json());
};

describe('the next service, the same everywhere', () => {
  it('plan API, inbox, calendar, customer overview and parts lookup all say: level C (includes A, B) in about 122 days', async () => {
    const plan = deviceMaintenanceSchema.parse(await get(`/api/devices/${id}/maintenance`, service));
    expect(plan.nextService).toMatchObject({ level: 'C', includes: ['A', 'B'], dueLevels: ['A', 'B', 'C'], dueInHours: 1953, overdue: false, kit: findModel('AF37')!.servicePlan.levels[3]!.kit });
    expect(Math.round(plan.nextService!.dueInDays)).toBe(122);

    // The inbox, with a horizon long enough to reach the visit: one item for the machine, not three.
    const inbox = inboxResponseSchema.parse(await get(`/api/service/inbox?horizonDays=180&kind=maintenance`, service));
    const items = inbox.items.filter((i) => i.deviceId === id);
    expect(items.map((i) => [i.key, i.level, i.title])).toEqual([[`maintenance:${id}:C`, 'C', 'Level C service due (includes A, B)']]);
    expect(items[0]!.subject).toMatchObject({ kind: 'maintenance', level: 'C', includes: ['A', 'B'] });

    const cal = calendarResponseSchema.parse(await get(`/api/service/calendar?days=180&siteId=${ctx.fx.devices.acme1.siteId}`, service));
    expect(cal.entries.filter((e) => e.deviceId === id).map((e) => [e.kind, e.level, e.at])).toEqual([['predicted', 'C', plan.nextService!.dueAt]]);

    const overview = overviewResponseSchema.parse(await get('/api/customer/overview', buyer));
    const mine = overview.machines.find((m) => m.deviceId === id)!;
    expect(mine.maintenance).toEqual([expect.objectContaining({ level: 'C', includes: ['A', 'B'], dueInHours: 1953, dueAt: plan.nextService!.dueAt })]);
    expect(mine.maintenance[0]!.text).toBe('Service level C (includes A, B) is due in about 122 days.');

    const parts = partsSearchResponseSchema.parse(await get(`/api/parts/search?serial=${encodeURIComponent(ctx.fx.devices.acme1.serial)}`));
    expect(parts.machine!.nextService).toMatchObject({ level: 'C', includes: ['A', 'B'], dueInHours: 1953 });
    expect(parts.machine!.nextService!.dueInDays).toBe(plan.nextService!.dueInDays);
  });

  it('a work order from the one item, completed as C, resets every covered level and clears the item', async () => {
    const key = `maintenance:${id}:C`;
    const wo = await post('/api/work-orders', { itemKey: key });
    expect(wo).toMatchObject({ level: 'C', itemKey: key, title: 'Level C service (includes A, B)', subject: { kind: 'maintenance', level: 'C', includes: ['A', 'B'] } });
    await post(`/api/work-orders/${wo.id}/schedule`, { scheduledFor: new Date(NOW + DAY).toISOString(), technicianId: ctx.fx.users.service.id });
    await post(`/api/work-orders/${wo.id}/start`);
    await post(`/api/work-orders/${wo.id}/complete`, { runningHours: 14047, level: 'C' });

    const plan = deviceMaintenanceSchema.parse(await get(`/api/devices/${id}/maintenance`, service));
    for (const level of ['A', 'B', 'C']) expect(plan.levels.find((l) => l.level === level)).toMatchObject({ lastServiceHours: 14047, lastSource: 'service' });
    // Next: A again in 2000 h (B in 4000 h is beyond its tolerance), far outside the horizon.
    expect(plan.nextService).toMatchObject({ level: 'A', includes: [], dueInHours: 2000 });
    const inbox = inboxResponseSchema.parse(await get(`/api/service/inbox?horizonDays=100&kind=maintenance`, service));
    expect(inbox.items.filter((i) => i.deviceId === id)).toEqual([]);
  });
});
