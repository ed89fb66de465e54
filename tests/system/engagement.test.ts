import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engagementResponseSchema, type EngagementResponse } from '@airfleet/contracts';
import { createEngagementRepository } from '@airfleet/platform';
import { startSystem, type System } from '../support/system-harness.ts';

const DAY_MS = 86_400_000;

/** Status check that names the request and shows the body when it fails. */
async function ok(res: Promise<Response>, what: string, status = 200): Promise<void> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${await r.text()}`);
}

/**
 * Engagement insight (docs/customer-reports.md §5): real interactions over HTTP (logins, public and signed-in part lookups, usage
 * views, a CSV export, an alarm acknowledgement) show up in GET /api/insights/engagement;
 * "became a user" and "dormant" are judged on events placed in the past.
 */
describe('engagement insight', () => {
  let sys: System;
  let admin: string;
  let northwind: string;
  let insight: EngagementResponse;

  beforeAll(async () => {
    sys = await startSystem();
    const now = Date.now();
    // History: Lakeside used the portal 8, 15 and 22 days ago (3 of the last 4 weeks);
    // Huadong only 9 days ago (and logs in below: 2 weeks). A fourth customer with a machine
    // was last seen 40 days ago: dormant.
    await sys.pool.query(`INSERT INTO customers (id, name) VALUES ('sleepy', 'Sleepy Castings'), ('prospect', 'Prospect Ltd')`);
    await sys.pool.query(`INSERT INTO sites (id, customer_id, name, city, country, region, timezone) VALUES ('sleepy-1', 'sleepy', 'Works', 'Derby', 'GB', 'EMEA', 'Europe/London')`);
    await sys.pool.query(`INSERT INTO devices (id, serial, model_id, site_id) VALUES ('SLEEPY-1', 'SLEEPY-SN-1', 'AF22', 'sleepy-1')`);
    const { rows: users } = await sys.pool.query<{ id: string; customer_id: string }>(`SELECT id, customer_id FROM users WHERE customer_id IN ('lakeside', 'huadong')`);
    const userOf = (c: string) => users.find((u) => u.customer_id === c)!.id;
    const repo = createEngagementRepository(sys.pool);
    await repo.insert([
      ...[8, 15, 22].map((d) => ({ userId: userOf('lakeside'), customerId: 'lakeside', kind: 'report_view' as const, feature: 'usage', atMs: now - d * DAY_MS })),
      { userId: userOf('huadong'), customerId: 'huadong', kind: 'part_lookup', feature: 'parts_search', atMs: now - 9 * DAY_MS },
      { userId: null, customerId: 'sleepy', kind: 'login', feature: 'login', atMs: now - 40 * DAY_MS },
    ]);

    // Real interactions.
    admin = await sys.login('admin@airfleet.example');
    northwind = await sys.login('buyer@northwind.example');
    await sys.login('buyer@huadong.example');
    const operator = await sys.login('operator@airfleet.example');
    await ok(sys.api('/api/parts/search?q=oil%20filter'), 'anonymous lookup');
    await ok(sys.api('/api/parts/search?q=separator', northwind), 'signed-in lookup on the public route');
    const own = sys.devices.find((d) => d.customerId === 'northwind')!;
    await ok(sys.api(`/api/customer/usage?deviceId=${own.id}`, northwind), 'usage view');
    await ok(sys.api(`/api/customer/usage?siteId=${own.siteId}&format=csv`, northwind), 'usage CSV');
    // Failed requests are not interactions: another customer's device.
    const foreign = sys.devices.find((d) => d.customerId === 'lakeside')!;
    await ok(sys.api(`/api/customer/usage?deviceId=${foreign.id}`, northwind), 'foreign usage', 404);
    // An alarm on Northwind's machine, acknowledged by the operator.
    const { rows } = await sys.pool.query<{ id: string }>(
      `INSERT INTO alarms (device_id, type, severity, source, message, state, started_at, last_seen_at)
       VALUES ($1, 'element_temp_warning', 'major', 'rule', 'element temperature high', 'active', now(), now()) RETURNING id::text`,
      [own.id],
    );
    await ok(sys.api(`/api/alarms/${rows[0]!.id}/ack`, operator, { method: 'POST', body: JSON.stringify({}) }), 'alarm ack');

    const res = await sys.api('/api/insights/engagement', admin);
    if (res.status !== 200) throw new Error(`insights: ${res.status} ${await res.text()}`);
    insight = engagementResponseSchema.parse(await res.json());
  });
  afterAll(async () => sys?.close());

  it('is admin only', async () => {
    expect((await sys.api('/api/insights/engagement', northwind)).status).toBe(403);
    expect((await sys.api('/api/insights/engagement', await sys.login('service@airfleet.example'))).status).toBe(403);
    expect((await sys.api('/api/insights/engagement')).status).toBe(401);
  });

  it('counts this week’s real interactions by feature', () => {
    const byFeature = Object.fromEntries(insight.topFeatures.map((f) => [`${f.kind}/${f.feature}`, f.count]));
    // admin, northwind, huadong, operator (+ the history's lakeside/huadong rows are older than a week).
    expect(byFeature['login/login']).toBe(4);
    expect(byFeature['part_lookup/parts_search']).toBe(3); // two now + huadong's 9 days ago
    expect(byFeature['report_view/usage']).toBe(4); // one now + lakeside's three
    expect(byFeature['report_export/usage_csv']).toBe(1);
    expect(byFeature['alarm_ack/alarm_ack']).toBe(1);
    const thisWeek = insight.weeklyActiveUsers.at(-1)!;
    expect(thisWeek).toMatchObject({ users: 4, customerUsers: 2, customers: 2, anonymousEvents: 1 });
  });

  it('a signed-in lookup on the public route is attributed to the user; an anonymous one to nobody', async () => {
    const { rows } = await sys.pool.query<{ user_id: string | null; customer_id: string | null }>(
      `SELECT user_id::text, customer_id FROM engagement_events WHERE kind = 'part_lookup' AND at > now() - interval '1 hour' ORDER BY id`,
    );
    expect(rows.map((r) => r.customer_id)).toEqual([null, 'northwind']);
    expect(rows[0]!.user_id).toBeNull();
  });

  it('customers that became users (3 of the last 4 weeks) and dormant ones (machines, 30 days quiet)', () => {
    expect(insight.customersBecameUsers.map((c) => c.customerId)).toEqual(['lakeside']);
    expect(insight.customersBecameUsers[0]!.activeWeeks).toBe(3);
    expect(insight.dormantCustomers.map((c) => c.customerId)).toEqual(['sleepy']);
    expect(insight.dormantCustomers[0]!.lastInteractionAt).not.toBeNull();
  });

  it('stores no IP address, user agent or query text', async () => {
    const { rows } = await sys.pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'engagement_events' ORDER BY ordinal_position`,
    );
    expect(rows.map((r) => r.column_name)).toEqual(['id', 'user_id', 'customer_id', 'kind', 'feature', 'at']);
    const { rows: features } = await sys.pool.query<{ feature: string }>(`SELECT DISTINCT feature FROM engagement_events`);
    expect(features.map((f) => f.feature).join(' ')).not.toMatch(/oil|separator|127\.0\.0\.1/);
  });
});
