import { INBOX_CATEGORIES, type DeviceMaintenance, type InboxItem, type InboxSubject, type NextService, type RequestStatus, type Severity, type WorkOrderStatus } from '@airfleet/contracts';
import { maintenanceItemKey } from '../maintenance/next-service.domain.ts';

/**
 * Priority of the service inbox, most urgent first. Why this order:
 * 1. critical alarms — the machine has tripped or is about to; the plant may be without air now;
 * 2. overdue maintenance — every hour past the interval wears the airend and risks the warranty;
 * 3. condition tasks — a measured "replace now" (separator ΔP ≥ 0.7 bar costs ≈ 0.5 % power per psi,
 *    a blocked air filter starves the element): evidence, not a calendar, says it is due;
 * 4. major alarms — degraded but still delivering air;
 * 5. customer requests — a person is waiting for an answer, but nothing is failing because of it;
 * 6. due-soon maintenance — plannable: it only needs a date within the horizon;
 * 7. fleet inspections — statistical hints from the peer comparison, the least certain.
 * Within a class: the earliest due date first, then the oldest.
 */
export const PRIORITY: Record<(typeof INBOX_CATEGORIES)[number], number> = Object.fromEntries(INBOX_CATEGORIES.map((c, i) => [c, i])) as Record<
  (typeof INBOX_CATEGORIES)[number],
  number
>;

export interface DeviceContext {
  deviceId: string;
  deviceSerial: string;
  modelId: string;
  siteId: string;
  siteName: string;
  customerId: string;
  customerName: string;
  region: string;
}

export interface AlarmSource {
  id: string;
  deviceId: string;
  type: string;
  severity: 'critical' | 'major' | 'minor' | 'warning';
  message: string;
  startedAt: number;
}

export interface InspectSource {
  judgmentId: string;
  deviceId: string;
  reason: string;
  check: string;
  severity: Severity;
  ts: number;
  /** The evidence of the fleet comparison (judgment params), when recorded. */
  evidence: { value: number | null; peerMedian: number | null; percentile: number | null; peers: number | null; unit: string | null };
}

export interface RequestSource {
  id: string;
  deviceId: string;
  kind: 'service' | 'parts_quote';
  status: RequestStatus;
  message: string;
  level: 'first' | 'A' | 'B' | 'C' | null;
  createdAt: number;
}

export interface WorkOrderLink {
  id: string;
  status: WorkOrderStatus;
  completedAt: number | null;
  /** The order's plan level now (a PATCH may have changed it since it was made for its item). */
  level: NextService['level'] | null;
}

export interface InboxSources {
  devices: ReadonlyMap<string, DeviceContext>;
  alarms: readonly AlarmSource[];
  plans: readonly DeviceMaintenance[];
  inspections: readonly InspectSource[];
  requests: readonly RequestSource[];
  /** item key → assignee */
  assignments: ReadonlyMap<string, { id: string; name: string }>;
  /** item key → its newest work order */
  workOrders: ReadonlyMap<string, WorkOrderLink>;
}

export interface InboxFilter {
  region?: string;
  siteId?: string;
  customerId?: string;
  assigneeId?: string;
  unassigned?: boolean;
  kind?: InboxItem['kind'];
  /** false: leave out items whose work order is already scheduled or in progress. */
  includeInWork?: boolean;
}

const DAY_MS = 86_400_000;
/** A condition task whose work order was completed this recently is the one just done: the next samples may still show the old ΔP. */
const CONDITION_DONE_GRACE_MS = DAY_MS;

type Draft = Omit<InboxItem, keyof DeviceContext | 'priority' | 'assignee' | 'workOrder'> & { deviceId: string };

/** Builds, filters and orders the inbox. Pure: the service gathers the sources. */
export function buildInbox(src: InboxSources, now: number, filter: InboxFilter = {}): InboxItem[] {
  const drafts: Draft[] = [];
  for (const a of src.alarms) {
    if (a.severity !== 'critical' && a.severity !== 'major') continue;
    drafts.push({
      key: `alarm:${a.id}`,
      kind: 'alarm',
      category: a.severity === 'critical' ? 'critical_alarm' : 'major_alarm',
      severity: a.severity,
      deviceId: a.deviceId,
      title: a.message,
      details: `Alarm ${a.type} (${a.severity}) active since ${iso(a.startedAt)}`,
      subject: { kind: 'alarm', alarmType: a.type, alarmSeverity: a.severity },
      level: null,
      dueAt: null,
      since: iso(a.startedAt),
    });
  }
  for (const p of src.plans) {
    // One item per machine visit (docs/domain.md §5: B includes A): the next service, keyed by the performed level.
    const n = p.nextService;
    if (n && (n.overdue || n.dueSoon)) {
      const performed = p.levels.find((l) => l.level === n.level)!;
      const includes = n.includes.length > 0 ? ` (includes ${n.includes.join(', ')})` : '';
      drafts.push({
        key: maintenanceItemKey(p.deviceId, n.level),
        kind: 'maintenance',
        category: n.overdue ? 'overdue' : 'due_soon',
        severity: n.overdue ? 'major' : 'minor',
        deviceId: p.deviceId,
        title: `${levelTitle(n.level)} service ${n.overdue ? 'overdue' : 'due'}${includes}`,
        details: `${n.description}. Due at ${performed.nextDueHours} running hours${performed.nextDueByDate ? ` or by ${performed.nextDueByDate.slice(0, 10)}` : ''}; ${n.dueInHours} h / ${n.dueInDays} days left at ${p.hoursPerDay} h/day.`,
        subject: maintenanceSubject(p, n),
        level: n.level,
        dueAt: n.dueAt,
        since: iso(now),
      });
    }
    for (const c of p.conditionTasks) {
      if (!c.replaceNow) continue;
      drafts.push({
        key: `condition:${p.deviceId}:${c.task}`,
        kind: 'condition',
        category: 'condition',
        severity: 'major',
        deviceId: p.deviceId,
        title: c.title,
        details: `Measured ${c.value} ${c.unit}; replace at ${c.replaceAt} ${c.unit} (condition overrides the plan).`,
        subject: { kind: 'condition', task: c.task, value: c.value, unit: c.unit, replaceAt: c.replaceAt },
        level: null,
        dueAt: iso(now),
        since: c.ts,
      });
    }
  }
  for (const r of src.requests) {
    if (r.status === 'closed' || r.status === 'rejected') continue;
    drafts.push({
      key: `request:${r.id}`,
      kind: 'request',
      category: 'request',
      severity: 'minor',
      deviceId: r.deviceId,
      title: r.kind === 'parts_quote' ? 'Parts quote requested' : 'Service requested',
      details: `${r.message} (status ${r.status})`,
      subject: { kind: 'request', requestKind: r.kind, requestStatus: r.status, message: r.message },
      level: r.level,
      dueAt: null,
      since: iso(r.createdAt),
    });
  }
  for (const j of src.inspections) {
    drafts.push({
      key: `inspect:${j.judgmentId}`,
      kind: 'inspect',
      category: 'inspection',
      severity: j.severity,
      deviceId: j.deviceId,
      title: `Inspect: ${j.check}`,
      details: j.reason,
      subject: { kind: 'inspect', check: j.check, ...j.evidence },
      level: null,
      dueAt: null,
      since: iso(j.ts),
    });
  }

  const items: InboxItem[] = [];
  for (const d of drafts) {
    const ctx = src.devices.get(d.deviceId);
    if (!ctx) continue;
    const linked = d.kind === 'maintenance' && d.level !== null ? maintenanceLink(src.workOrders, d.deviceId, d.level) : null;
    const linkKey = linked?.key ?? d.key;
    const wo = linked?.link ?? src.workOrders.get(d.key) ?? null;
    if (wo && isHandled(d, wo, now)) continue;
    const item: InboxItem = {
      ...d,
      ...ctx,
      priority: PRIORITY[d.category],
      assignee: src.assignments.get(d.key) ?? src.assignments.get(linkKey) ?? null,
      workOrder:
        wo && wo.status !== 'cancelled'
          ? { id: wo.id, status: wo.status, level: wo.level, levelBelowDue: d.kind === 'maintenance' && d.level !== null && wo.level !== null && RANK[wo.level] < RANK[d.level] }
          : null,
    };
    if (matches(item, filter)) items.push(item);
  }
  return items.sort(compareItems);
}

const RANK: Record<NextService['level'], number> = { first: 0, A: 1, B: 2, C: 3 };
const LIVE: ReadonlySet<WorkOrderStatus> = new Set(['open', 'scheduled', 'in_progress']);

/**
 * The work order of a machine's next visit: the newest one made for the visit's own key, or
 * else a live maintenance order of the machine made for another level. Why any level: the
 * visit's key follows the level performed, so an order made while the visit was an A stays on
 * `maintenance:<device>:A` when B comes due too; the machine still gets ONE visit, and that
 * order is it (its level can be raised with PATCH), not a second B order beside it.
 */
export function maintenanceLink(links: ReadonlyMap<string, WorkOrderLink>, deviceId: string, level: NextService['level']): { key: string; link: WorkOrderLink } | null {
  const own = maintenanceItemKey(deviceId, level);
  const exact = links.get(own);
  if (exact && LIVE.has(exact.status)) return { key: own, link: exact };
  const others = (['C', 'B', 'A', 'first'] as const)
    .filter((l) => l !== level)
    .map((l) => ({ key: maintenanceItemKey(deviceId, l), link: links.get(maintenanceItemKey(deviceId, l)) }))
    .filter((x): x is { key: string; link: WorkOrderLink } => x.link !== undefined && LIVE.has(x.link.status));
  if (others.length > 0) return others[0]!;
  return exact ? { key: own, link: exact } : null;
}

/** A done work order settles its item: the need it answered arose before it was completed. */
function isHandled(d: Draft, wo: WorkOrderLink, now: number): boolean {
  if (wo.status !== 'done' || wo.completedAt === null) return false;
  if (d.kind === 'condition') return now - wo.completedAt < CONDITION_DONE_GRACE_MS;
  // Plan items are "since now": the plan itself has moved on after a service; a still-due level is a new need.
  if (d.kind === 'maintenance') return false;
  return Date.parse(d.since) <= wo.completedAt;
}

function matches(item: InboxItem, f: InboxFilter): boolean {
  if (f.region !== undefined && item.region !== f.region) return false;
  if (f.siteId !== undefined && item.siteId !== f.siteId) return false;
  if (f.customerId !== undefined && item.customerId !== f.customerId) return false;
  if (f.kind !== undefined && item.kind !== f.kind) return false;
  if (f.assigneeId !== undefined && item.assignee?.id !== f.assigneeId) return false;
  if (f.unassigned === true && item.assignee !== null) return false;
  if (f.unassigned === false && item.assignee === null) return false;
  if (f.includeInWork === false && item.workOrder && (item.workOrder.status === 'scheduled' || item.workOrder.status === 'in_progress')) return false;
  return true;
}

export function compareItems(a: InboxItem, b: InboxItem): number {
  const due = (x: InboxItem): number => (x.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(x.dueAt));
  return a.priority - b.priority || due(a) - due(b) || Date.parse(a.since) - Date.parse(b.since) || a.key.localeCompare(b.key);
}

/** Parses a stable item key back into what it points at. */
export type ParsedItemKey =
  | { kind: 'alarm'; alarmId: string }
  | { kind: 'maintenance'; deviceId: string; level: 'first' | 'A' | 'B' | 'C' }
  | { kind: 'condition'; deviceId: string; task: 'separator' | 'air_filter' }
  | { kind: 'inspect'; judgmentId: string }
  | { kind: 'request'; requestId: string };

export function parseItemKey(key: string): ParsedItemKey | null {
  const [kind, a, b] = key.split(':');
  if (kind === 'alarm' && a && /^\d{1,18}$/.test(a) && b === undefined) return { kind, alarmId: a };
  if (kind === 'request' && a && /^\d{1,18}$/.test(a) && b === undefined) return { kind, requestId: a };
  if (kind === 'inspect' && a && b === undefined) return { kind, judgmentId: a };
  if (kind === 'maintenance' && a && (b === 'first' || b === 'A' || b === 'B' || b === 'C')) return { kind, deviceId: a, level: b };
  if (kind === 'condition' && a && (b === 'separator' || b === 'air_filter')) return { kind, deviceId: a, task: b };
  return null;
}

/** "Level B", "First" — the English wording of a plan level in titles. */
export function levelTitle(level: NextService['level']): string {
  return level === 'first' ? 'First' : `Level ${level}`;
}

/** The next visit as an inbox / calendar subject (the dashboard words it in the reader's language). */
export function maintenanceSubject(p: Pick<DeviceMaintenance, 'levels' | 'hoursPerDay'>, n: NextService, due: 'overdue' | 'due_soon' | null = n.overdue ? 'overdue' : 'due_soon'): Extract<InboxSubject, { kind: 'maintenance' }> {
  const performed = p.levels.find((l) => l.level === n.level);
  return {
    kind: 'maintenance',
    level: n.level,
    includes: n.includes,
    due,
    nextDueHours: performed?.nextDueHours ?? null,
    nextDueByDate: performed?.nextDueByDate ?? null,
    dueInHours: n.dueInHours,
    dueInDays: n.dueInDays,
    hoursPerDay: p.hoursPerDay,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
