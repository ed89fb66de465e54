import type { EngagementKind, EngagementResponse } from '@airfleet/contracts';

/**
 * Engagement insight (docs/customer-reports.md §5), pure. Which HTTP interactions count, and what the admin page
 * shows: weekly active users, customers that became users, dormant customers, most used features.
 * Weeks are rolling 7-day windows ending now, so "3 of the last 4 weeks" does not depend on
 * which weekday the page is opened.
 */
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const WAU_WEEKS = 8;
export const BECAME_USER_WEEKS = 4;
export const BECAME_USER_MIN_WEEKS = 3;
export const DORMANT_DAYS = 30;

export interface Interaction {
  kind: EngagementKind;
  feature: string;
}

/**
 * Maps a finished request to an interaction: route TEMPLATE (never the raw URL, which may carry
 * search text), method and a 2xx status. `csv` tells a report view from an export.
 */
export function interactionOf(method: string, route: string | undefined, statusCode: number, csv: boolean): Interaction | null {
  if (!route || statusCode < 200 || statusCode > 299) return null;
  if (method === 'POST') {
    if (route === '/api/auth/login') return { kind: 'login', feature: 'login' };
    if (route === '/api/requests') return { kind: 'request', feature: 'request' };
    if (/^\/api\/judgments\/:[^/]+\/feedback$/.test(route)) return { kind: 'judgment_feedback', feature: 'judgment_feedback' };
    if (/^\/api\/alarms\/:[^/]+\/ack$/.test(route)) return { kind: 'alarm_ack', feature: 'alarm_ack' };
    return null;
  }
  if (method !== 'GET') return null;
  if (route === '/api/parts/search') return { kind: 'part_lookup', feature: 'parts_search' };
  if (/^\/api\/parts\/:[^/]+$/.test(route)) return { kind: 'part_lookup', feature: 'part_detail' };
  if (route.startsWith('/api/parts/')) return { kind: 'part_lookup', feature: route.slice('/api/parts/'.length).split('/')[0]!.replace(/^:.*/, 'part') || 'parts' };
  if (route === '/api/customer/usage') return csv ? { kind: 'report_export', feature: 'usage_csv' } : { kind: 'report_view', feature: 'usage' };
  if (route === '/api/customer/savings') return { kind: 'report_view', feature: 'savings' };
  if (route === '/api/customer/overview') return { kind: 'report_view', feature: 'overview' };
  return null;
}

/**
 * Aggregate the repository hands over: one row per rolling week × user × customer × kind ×
 * feature (grouped in SQL by the same week arithmetic as `weekIndex`), never single events.
 */
export interface EngagementAggregate {
  userId: string | null;
  customerId: string | null;
  kind: EngagementKind;
  feature: string;
  count: number;
  /** Latest event of the row. */
  lastMs: number;
}

export interface CustomerFacts {
  customerId: string;
  name: string;
  machines: number;
  /** Latest interaction ever (not only inside the window). */
  lastInteractionMs: number | null;
}

/** Index of the rolling week holding `ms` (0 = the 7 days ending now), or -1 if in the future. */
export function weekIndex(ms: number, nowMs: number): number {
  if (ms > nowMs) return -1;
  return Math.floor((nowMs - ms) / WEEK_MS);
}

export function engagementInsight(days: readonly EngagementAggregate[], customers: readonly CustomerFacts[], nowMs: number): EngagementResponse {
  const weeks = Array.from({ length: WAU_WEEKS }, () => ({ users: new Set<string>(), customerUsers: new Set<string>(), customers: new Set<string>(), anonymous: 0 }));
  const customerWeeks = new Map<string, Set<number>>();
  const features = new Map<string, { kind: EngagementKind; feature: string; count: number }>();
  for (const d of days) {
    const w = weekIndex(d.lastMs, nowMs);
    if (w < 0 || w >= WAU_WEEKS) continue;
    const bucket = weeks[w]!;
    if (d.userId) {
      bucket.users.add(d.userId);
      if (d.customerId) bucket.customerUsers.add(d.userId);
    } else bucket.anonymous += d.count;
    if (d.customerId) {
      bucket.customers.add(d.customerId);
      if (w < BECAME_USER_WEEKS) {
        const set = customerWeeks.get(d.customerId) ?? new Set<number>();
        set.add(w);
        customerWeeks.set(d.customerId, set);
      }
    }
    if (w < BECAME_USER_WEEKS) {
      const key = `${d.kind}\u0000${d.feature}`;
      const f = features.get(key) ?? { kind: d.kind, feature: d.feature, count: 0 };
      f.count += d.count;
      features.set(key, f);
    }
  }
  const dormantBefore = nowMs - DORMANT_DAYS * DAY_MS;
  return {
    generatedAt: new Date(nowMs).toISOString(),
    weeklyActiveUsers: weeks
      .map((b, i) => ({
        weekStart: new Date(nowMs - (i + 1) * WEEK_MS).toISOString().slice(0, 10),
        users: b.users.size,
        customerUsers: b.customerUsers.size,
        customers: b.customers.size,
        anonymousEvents: b.anonymous,
      }))
      .reverse(),
    customersBecameUsers: customers
      .map((c) => ({ customerId: c.customerId, name: c.name, activeWeeks: customerWeeks.get(c.customerId)?.size ?? 0 }))
      .filter((c) => c.activeWeeks >= BECAME_USER_MIN_WEEKS)
      .sort((a, b) => b.activeWeeks - a.activeWeeks || a.name.localeCompare(b.name)),
    dormantCustomers: customers
      .filter((c) => c.machines > 0 && (c.lastInteractionMs === null || c.lastInteractionMs < dormantBefore))
      .map((c) => ({
        customerId: c.customerId,
        name: c.name,
        machines: c.machines,
        lastInteractionAt: c.lastInteractionMs === null ? null : new Date(c.lastInteractionMs).toISOString(),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    topFeatures: [...features.values()].sort((a, b) => b.count - a.count || a.feature.localeCompare(b.feature)),
  };
}
