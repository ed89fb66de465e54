import { z } from 'zod';
import { alarmSchema, inboxSubjectSchema, storedJudgmentSchema } from '@airfleet/contracts';
import type { NotificationEvent } from './notification-policy.domain.ts';

/**
 * Platform bus `domain` events → notification events (docs/notifications.md). Payloads are parsed here,
 * at the edge of the notification engine; anything unexpected is ignored, never thrown.
 * Deduplication keys make the bus's repeats harmless: an alarm is emitted on every repeat
 * and acknowledgement, a judgment on every status change.
 */
export interface DomainEvent {
  type: string;
  deviceId?: string;
  customerId?: string;
  payload: unknown;
}

const NOTIFIED_ALARM_SEVERITIES = new Set(['critical', 'major']);

// Work orders and customer requests belong to other features; only the fields needed here
// are read, and a payload wrapped as `{ workOrder }` / `{ request }` is accepted too.
const actorSchema = z.object({ id: z.string(), name: z.string() }).nullable().optional();
const workOrderPayloadSchema = z.looseObject({
  id: z.coerce.string(),
  status: z.string(),
  title: z.string().default('Work order'),
  deviceId: z.string().nullable().optional(),
  customerId: z.string().nullable().optional(),
  scheduledFor: z.string().nullable().optional(),
  technician: actorSchema,
  /** What a machine-made title is about: worded in the recipient's language. */
  subject: inboxSubjectSchema.nullable().optional().catch(null),
  titleGenerated: z.boolean().optional().catch(false),
});
const requestPayloadSchema = z.looseObject({
  id: z.coerce.string(),
  status: z.string().default('open'),
  kind: z.string().default('service'),
  message: z.string().default(''),
  deviceId: z.string().nullable().optional(),
  customerId: z.string().nullable().optional(),
});

function unwrap(payload: unknown, key: string): unknown {
  if (payload && typeof payload === 'object' && key in payload) return (payload as Record<string, unknown>)[key];
  return payload;
}

function firstLine(text: string, max = 120): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function notificationEventsFrom(e: DomainEvent): NotificationEvent[] {
  switch (e.type) {
    case 'alarm':
      return fromAlarm(e.payload);
    case 'judgment':
      return fromJudgment(e.payload, e.customerId ?? null);
    case 'work_order':
      return fromWorkOrder(unwrap(e.payload, 'workOrder'), e.customerId ?? null);
    case 'service_request':
      return fromRequest(unwrap(e.payload, 'request'), e.customerId ?? null);
    default:
      return [];
  }
}

function fromAlarm(payload: unknown): NotificationEvent[] {
  const parsed = alarmSchema.safeParse(payload);
  if (!parsed.success) return [];
  const a = parsed.data;
  // A new, unacknowledged, active alarm: repeats carry the same id and are deduplicated.
  if (a.state !== 'active' || a.acknowledged) return [];
  const ref = { type: 'alarm' as const, id: a.id };
  const data = { alarm: { id: a.id, type: a.type, severity: a.severity, source: a.source, message: a.message, value: a.value, threshold: a.threshold, startedAt: a.startedAt } };
  if (a.source === 'service') {
    // service_overdue_<level>: the service-interval rule crossed an interval.
    const level = a.type.startsWith('service_overdue_') ? a.type.slice('service_overdue_'.length) : a.type;
    return [{ kind: 'service_due', severity: a.severity, deviceId: a.deviceId, customerId: a.customerId, ref, dedupeKey: `alarm:${a.id}`, escalationLevel: 0, message: { template: 'service_due', deviceId: a.deviceId, level, text: a.message, overdue: true, includes: includesOf(level), dueInHours: a.value ?? null, dueInDays: null }, data }];
  }
  if (!NOTIFIED_ALARM_SEVERITIES.has(a.severity)) return [];
  return [{ kind: 'alarm', severity: a.severity, deviceId: a.deviceId, customerId: a.customerId, ref, dedupeKey: `alarm:${a.id}`, escalationLevel: 0, message: { template: 'alarm', deviceId: a.deviceId, alarmType: a.type, alarmMessage: a.message, severity: a.severity, value: a.value ?? null, threshold: a.threshold ?? null }, data }];
}

function fromJudgment(payload: unknown, customerId: string | null): NotificationEvent[] {
  const parsed = storedJudgmentSchema.safeParse(payload);
  if (!parsed.success) return [];
  const { judgment: j, deviceId } = parsed.data;
  const ref = { type: 'judgment' as const, id: j.id };
  if (j.kind === 'maintenance_due') {
    // Overdue levels are announced by their service_overdue alarm; here only "due soon".
    if (j.params.dueInHours <= 0) return [];
    return [{ kind: 'service_due', severity: j.severity, deviceId, customerId, ref, dedupeKey: `judgment:${j.id}`, escalationLevel: 0, message: { template: 'service_due', deviceId, level: j.params.level, text: j.reason, overdue: false, includes: includesOf(j.params.level), dueInHours: j.params.dueInHours, dueInDays: j.params.dueInDays }, data: { judgment: j } }];
  }
  if (j.kind === 'inspect') {
    return [{ kind: 'inspection', severity: j.severity, deviceId, customerId, ref, dedupeKey: `judgment:${j.id}`, escalationLevel: 0, message: { template: 'inspection', deviceId, check: j.params.check, reason: j.reason, evidence: { value: j.params.value, peerMedian: j.params.peerMedian, percentile: j.params.percentile, peers: j.params.peers, unit: j.params.unit ?? null } }, data: { judgment: j } }];
  }
  return [];
}

/** The lower plan levels a service of this level includes (docs/domain.md §5: B = A + …); the first service is long done. */
function includesOf(level: string): string[] {
  return ['A', 'B', 'C'].filter((l) => l < level && ['A', 'B', 'C'].includes(level));
}

function fromWorkOrder(payload: unknown, busCustomerId: string | null): NotificationEvent[] {
  const parsed = workOrderPayloadSchema.safeParse(payload);
  if (!parsed.success) return [];
  const w = parsed.data;
  // The assigned technician hears of it once per assignment (re-scheduling does not re-notify).
  if (!w.technician || !['open', 'scheduled', 'in_progress'].includes(w.status)) return [];
  const deviceId = w.deviceId ?? null;
  return [{
    kind: 'work_order',
    severity: 'info',
    deviceId,
    customerId: w.customerId ?? busCustomerId,
    ref: { type: 'work_order', id: w.id },
    dedupeKey: `work_order:${w.id}:${w.technician.id}`,
    escalationLevel: 0,
    userIds: [w.technician.id],
    message: { template: 'work_order', workOrderId: w.id, deviceId, status: w.status, title: w.title, scheduledFor: w.scheduledFor ?? null, subject: w.subject ?? null, titleGenerated: w.titleGenerated ?? false },
    data: { workOrder: { id: w.id, status: w.status, title: w.title, scheduledFor: w.scheduledFor ?? null, technician: w.technician } },
  }];
}

function fromRequest(payload: unknown, busCustomerId: string | null): NotificationEvent[] {
  const parsed = requestPayloadSchema.safeParse(payload);
  if (!parsed.success) return [];
  const r = parsed.data;
  if (r.status !== 'open') return [];
  const title = `${r.kind === 'parts_quote' ? 'Parts quote' : 'Service'}: ${firstLine(r.message) || r.id}`;
  const customerId = r.customerId ?? busCustomerId;
  return [{
    kind: 'service_request',
    severity: 'minor',
    deviceId: r.deviceId ?? null,
    customerId,
    ref: { type: 'service_request', id: r.id },
    dedupeKey: `service_request:${r.id}`,
    escalationLevel: 0,
    message: { template: 'service_request', requestId: r.id, deviceId: r.deviceId ?? null, customerId, title, requestKind: r.kind, message: r.message },
    data: { request: { id: r.id, kind: r.kind, status: r.status, message: r.message } },
  }];
}
