import { beforeAll, describe, expect, it } from 'vitest';
import { calendarResponseSchema, deviceMaintenanceSchema, inboxResponseSchema } from '@airfleet/contracts';
import { fixtureAppAt, insertTelemetry, loginCookie } from '../../../../tests/support/platform-fixtures.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);

/**
 * The plan, inbox and calendar over a real database: the usage rate comes from the last 14 days
 * of telemetry (SQL), the counters and ΔP from device_latest, the records from device_service.
 */
const ctx = fixtureAppAt(NOW);
let cookie: string;

beforeAll(async () => {
  cookie = await loginCookie(ctx.app, ctx.fx.users.service.email);
  const id = ctx.fx.devices.acme2.id; // AF22
  // 20 days of daily readings at 10 running hours per day; only the last 14 count.
  await insertTelemetry(
    ctx.pool,
    id,
    Array.from({ length: 21 }, (_, i) => ({ ts: NOW - (20 - i) * DAY, metrics: { runningHours: i < 6 ? 1700 + i * 2 : 1700 + (i - 6) * 10 + 10 } })),
  );
  const last = 1700 + 14 * 10 + 10; // 1850 h now
  await ctx.pool.query(
    `INSERT INTO device_latest (device_id, ts, seq, state, metrics, received_at) VALUES ($1, to_timestamp($2 / 1000.0), 20, 'loaded', $3::jsonb, now())
     ON CONFLICT (device_id) DO UPDATE SET ts = EXCLUDED.ts, metrics = EXCLUDED.metrics`,
    [id, NOW, JSON.stringify({ runningHours: last, separatorDpBar: 0.72, airFilterDpMbar: 30 })],
  );
  const at = NOW - 60 * DAY;
  await ctx.pool.query(
    `INSERT INTO device_service (device_id, level, last_hours, last_at, source, done) VALUES
       ($1, 'first', 500, to_timestamp($2 / 1000.0), 'service', true), ($1, 'A', 0, to_timestamp($2 / 1000.0), 'service', false),
       ($1, 'B', 0, to_timestamp($2 / 1000.0), 'service', false), ($1, 'C', 0, to_timestamp($2 / 1000.0), 'service', false)`,
    [id, at],
  );
});

describe('maintenance plan from stored data', () => {
  it('predicts from the measured 14-day usage rate and lists the condition task', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/devices/${ctx.fx.devices.acme2.id}/maintenance`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const plan = deviceMaintenanceSchema.parse(res.json());
    expect(plan).toMatchObject({ runningHours: 1850, usageSource: 'telemetry', hoursPerDay: 10 });
    const a = plan.levels.find((l) => l.level === 'A')!;
    // 150 h left at 10 h/day = 15 days (the calendar date, 10 months away, is later).
    expect(a).toMatchObject({ dueInHours: 150, dueSoon: true, overdue: false, lastServiceHours: 0 });
    expect(Date.parse(a.predictedDueByHours!)).toBe(NOW + 15 * DAY);
    expect(a.dueAt).toBe(a.predictedDueByHours);
    expect(plan.conditionTasks).toEqual([expect.objectContaining({ task: 'separator', replaceNow: true, value: 0.72 })]);
  });

  it('the inbox has the condition task before the due-soon level; the calendar places the predicted date', async () => {
    const inbox = inboxResponseSchema.parse((await ctx.app.inject({ method: 'GET', url: `/api/service/inbox?customerId=${ctx.fx.customers.acme.id}`, headers: { cookie } })).json());
    const keys = inbox.items.map((i) => i.key);
    const id = ctx.fx.devices.acme2.id;
    expect(keys.indexOf(`condition:${id}:separator`)).toBeGreaterThanOrEqual(0);
    expect(keys.indexOf(`condition:${id}:separator`)).toBeLessThan(keys.indexOf(`maintenance:${id}:A`));
    const cal = calendarResponseSchema.parse((await ctx.app.inject({ method: 'GET', url: `/api/service/calendar?days=30&siteId=${ctx.fx.devices.acme2.siteId}`, headers: { cookie } })).json());
    expect(cal.from).toBe('2026-11-20');
    expect(cal.entries).toContainEqual(expect.objectContaining({ kind: 'predicted', deviceId: id, level: 'A', date: '2026-12-05', overdue: false }));
    // A 10-day window does not reach it.
    const short = calendarResponseSchema.parse((await ctx.app.inject({ method: 'GET', url: `/api/service/calendar?days=10&siteId=${ctx.fx.devices.acme2.siteId}`, headers: { cookie } })).json());
    expect(short.entries.find((e) => e.deviceId === id && e.level === 'A')).toBeUndefined();
  });
});
