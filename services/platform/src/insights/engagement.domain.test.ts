import { describe, expect, it } from 'vitest';
import { DAY_MS, engagementInsight, interactionOf, weekIndex, type CustomerFacts, type EngagementAggregate } from './engagement.domain.ts';

const NOW = Date.UTC(2026, 10, 23, 12);

describe('interactionOf: which requests are meaningful interactions', () => {
  it.each([
    ['POST', '/api/auth/login', 200, false, 'login'],
    ['POST', '/api/auth/login', 401, false, null],
    ['GET', '/api/parts/search', 200, false, 'part_lookup'],
    ['GET', '/api/parts/:number', 200, false, 'part_lookup'],
    ['GET', '/api/parts/:number', 404, false, null],
    ['GET', '/api/parts/search', 429, false, null],
    ['GET', '/api/customer/usage', 200, false, 'report_view'],
    ['GET', '/api/customer/usage', 200, true, 'report_export'],
    ['GET', '/api/customer/savings', 200, false, 'report_view'],
    ['POST', '/api/requests', 201, false, 'request'],
    ['GET', '/api/requests', 200, false, null],
    ['POST', '/api/judgments/:id/feedback', 200, false, 'judgment_feedback'],
    ['POST', '/api/alarms/:id/ack', 200, false, 'alarm_ack'],
    ['POST', '/api/alarms/:id/clear', 200, false, null],
    ['GET', '/api/devices', 200, false, null],
    ['GET', undefined, 404, false, null],
  ] as const)('%s %s %s (csv %s) → %s', (method, route, status, csv, kind) => {
    expect(interactionOf(method, route, status, csv)?.kind ?? null).toBe(kind);
  });
});

describe('engagementInsight', () => {
  const ago = (days: number) => NOW - days * DAY_MS;
  const row = (p: Partial<EngagementAggregate> & { lastMs: number }): EngagementAggregate => ({ userId: 'u1', customerId: 'c1', kind: 'report_view', feature: 'usage', count: 1, ...p });
  const customers: CustomerFacts[] = [
    { customerId: 'c1', name: 'Regular', machines: 4, lastInteractionMs: ago(1) },
    { customerId: 'c2', name: 'Twice', machines: 2, lastInteractionMs: ago(2) },
    { customerId: 'c3', name: 'Asleep', machines: 3, lastInteractionMs: ago(31) },
    { customerId: 'c4', name: 'Never', machines: 1, lastInteractionMs: null },
    { customerId: 'c5', name: 'No machines', machines: 0, lastInteractionMs: null },
  ];
  const rows: EngagementAggregate[] = [
    // c1 in weeks 0, 1 and 3 (3 of the last 4) → became a user.
    row({ lastMs: ago(1), count: 5 }),
    row({ lastMs: ago(8), kind: 'part_lookup', feature: 'parts_search', count: 2 }),
    row({ lastMs: ago(22), userId: 'u2', kind: 'report_export', feature: 'usage_csv' }),
    // c2 in weeks 0 and 2 only → not yet.
    row({ lastMs: ago(2), userId: 'u3', customerId: 'c2', kind: 'login', feature: 'login' }),
    row({ lastMs: ago(15), userId: 'u3', customerId: 'c2', kind: 'login', feature: 'login' }),
    // Staff and anonymous.
    row({ lastMs: ago(3), userId: 's1', customerId: null, kind: 'alarm_ack', feature: 'alarm_ack' }),
    row({ lastMs: ago(3), userId: null, customerId: null, kind: 'part_lookup', feature: 'parts_search', count: 7 }),
    // c3 long ago, outside the 8 weeks.
    row({ lastMs: ago(60), userId: 'u9', customerId: 'c3' }),
  ];
  const r = engagementInsight(rows, customers, NOW);

  it('weekly active users per rolling week, oldest first', () => {
    expect(r.weeklyActiveUsers).toHaveLength(8);
    const current = r.weeklyActiveUsers[7]!;
    // u1, u3 (customers) and s1 (staff); 7 anonymous lookups.
    expect(current).toMatchObject({ users: 3, customerUsers: 2, customers: 2, anonymousEvents: 7 });
    expect(current.weekStart).toBe('2026-11-16');
    expect(r.weeklyActiveUsers[6]).toMatchObject({ users: 1, customers: 1 });
  });
  it('a customer with interactions in ≥ 3 of the last 4 weeks became a user', () => {
    expect(r.customersBecameUsers).toEqual([{ customerId: 'c1', name: 'Regular', activeWeeks: 3 }]);
  });
  it('dormant: machines but nothing in 30 days (never counts too); no machines is not dormant', () => {
    expect(r.dormantCustomers.map((c) => c.customerId)).toEqual(['c3', 'c4']);
  });
  it('most used features over the last 4 weeks', () => {
    expect(r.topFeatures[0]).toEqual({ kind: 'part_lookup', feature: 'parts_search', count: 9 });
    expect(r.topFeatures.map((f) => f.feature)).toEqual(['parts_search', 'usage', 'login', 'alarm_ack', 'usage_csv']);
  });
  it('weekIndex', () => {
    expect(weekIndex(NOW, NOW)).toBe(0);
    expect(weekIndex(ago(7), NOW)).toBe(1);
    expect(weekIndex(NOW + 1, NOW)).toBe(-1);
  });
});
