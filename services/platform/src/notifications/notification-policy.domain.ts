import type { NotificationKind, NotificationPreferences, NotificationRef, Role, Severity, User } from '@airfleet/contracts';
import type { MessageInput } from './notification-messages.domain.ts';

/**
 * Who hears of what (docs/notifications.md): role audience + customer scope + the user's preferences +
 * severity. Pure: the runtime loads users and webhooks, this decides.
 */

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, minor: 2, major: 3, critical: 4 };

export function severityAtLeast(severity: Severity, min: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[min];
}

/** A thing that happened, before it is fanned out to recipients. */
export interface NotificationEvent {
  kind: NotificationKind;
  severity: Severity;
  deviceId: string | null;
  customerId: string | null;
  ref: NotificationRef | null;
  /** Same key and recipient = the same notification: repeats and redeliveries are dropped. */
  dedupeKey: string | null;
  /** 0 = first notice; n = escalation level n. */
  escalationLevel: number;
  /** Named recipients (an assigned technician, a report's addressee) instead of the role audience. */
  userIds?: readonly string[];
  message: MessageInput;
  /** Structured facts for webhook receivers. */
  data: Record<string, unknown>;
}

export interface RecipientUser extends User {
  disabled: boolean;
  /** Saved preferences, or null = the role's defaults. */
  preferences: NotificationPreferences | null;
}

/**
 * Out of the box each role hears what its job needs: service technicians the maintenance
 * work, operators the alarms, customers their own machines' alarms and services, admins the
 * escalations (level 1 of the ladder) and customer requests.
 */
const DEFAULT_KINDS: Readonly<Record<Role, readonly NotificationKind[]>> = {
  admin: ['escalation', 'service_request', 'report'],
  operator: ['alarm', 'inspection', 'escalation', 'report'],
  service: ['alarm', 'service_due', 'inspection', 'work_order', 'service_request', 'escalation', 'report'],
  customer: ['alarm', 'service_due', 'report'],
};

export function defaultPreferences(role: Role, digestHourUtc: number): NotificationPreferences {
  return {
    kinds: DEFAULT_KINDS[role].filter((k): k is NotificationPreferences['kinds'][number] => k !== 'test' && k !== 'digest'),
    // service_overdue alarms and customer requests are `minor`: the people who plan service
    // must hear of them. Kinds keep the volume down, not severity.
    minSeverity: 'minor',
    emailEnabled: true,
    delivery: 'immediate',
    digestHourUtc,
  };
}

export function effectivePreferences(user: Pick<RecipientUser, 'role' | 'preferences'>, digestHourUtc: number): NotificationPreferences {
  return user.preferences ?? defaultPreferences(user.role, digestHourUtc);
}

/**
 * Escalation ladder: level 0 is the first notice to the people on duty (operators and service
 * technicians, and the machine's own customer); each later level reaches further up.
 */
export const ESCALATION_LADDER: readonly (readonly Role[])[] = [['operator', 'service', 'customer'], ['admin']];

/** Roles that may receive a kind at all (preferences narrow it further). */
function audienceRoles(kind: NotificationKind, escalationLevel: number): readonly Role[] {
  switch (kind) {
    case 'alarm':
    case 'service_due':
    case 'inspection':
      return ['admin', 'operator', 'service', 'customer'];
    case 'escalation':
      return ESCALATION_LADDER[Math.min(escalationLevel, ESCALATION_LADDER.length - 1)] ?? [];
    case 'service_request':
      return ['admin', 'service'];
    case 'work_order':
      return ['admin', 'operator', 'service'];
    case 'report':
    case 'digest':
      return ['admin', 'operator', 'service', 'customer'];
    case 'test':
      return [];
  }
}

/** Kinds that never wait for a digest: they are either urgent or are mails in their own right. */
const NEVER_DIGESTED: ReadonlySet<NotificationKind> = new Set(['escalation', 'report', 'digest', 'test']);

export type EmailDecision =
  | { status: 'pending' }
  | { status: 'digest_queued' }
  | { status: 'skipped'; reason: string };

export interface EmailRecipient {
  user: RecipientUser;
  decision: EmailDecision;
}

/**
 * The users to notify of one event by email, with what to do for each. A user who wants
 * the kind but turned email off still gets a log row (`skipped`, with the reason), so the
 * log answers "why did nobody get a mail?".
 */
export function selectEmailRecipients(
  event: NotificationEvent,
  users: readonly RecipientUser[],
  opts: { digestHourUtc: number; emailAvailable: boolean },
): EmailRecipient[] {
  const named = event.userIds ? new Set(event.userIds) : null;
  const roles = new Set(audienceRoles(event.kind, event.escalationLevel));
  const out: EmailRecipient[] = [];
  for (const user of users) {
    if (user.disabled) continue;
    if (named ? !named.has(user.id) : !roles.has(user.role)) continue;
    // Customers hear only of their own machines; an event without a customer reaches a
    // customer only when addressed to them by name (e.g. their weekly report).
    if (user.role === 'customer' && (event.customerId !== null ? user.customerId !== event.customerId : !named)) continue;
    const prefs = effectivePreferences(user, opts.digestHourUtc);
    // Named mails (reports, a technician's own work order) were asked for by kind only.
    if (event.kind !== 'digest' && !(prefs.kinds as readonly string[]).includes(event.kind)) continue;
    if (!named && !severityAtLeast(event.severity, prefs.minSeverity)) continue;
    out.push({ user, decision: emailDecision(event, prefs, opts.emailAvailable) });
  }
  return out;
}

export function emailDecision(event: Pick<NotificationEvent, 'kind' | 'severity'>, prefs: NotificationPreferences, emailAvailable: boolean): EmailDecision {
  if (!prefs.emailEnabled) return { status: 'skipped', reason: 'email turned off in the user’s preferences' };
  if (!emailAvailable) return { status: 'skipped', reason: 'email is not configured (SMTP_URL is unset)' };
  // Critical news does not wait for tomorrow's digest.
  if (prefs.delivery === 'digest' && event.severity !== 'critical' && !NEVER_DIGESTED.has(event.kind)) return { status: 'digest_queued' };
  return { status: 'pending' };
}

export interface WebhookTarget {
  id: string;
  url: string;
  kinds: readonly NotificationKind[];
  customerId: string | null;
  enabled: boolean;
  deleted: boolean;
}

/** Endpoints subscribed to the event: enabled, kind filter (empty = all), customer filter. */
export function selectWebhooks<W extends WebhookTarget>(event: NotificationEvent, webhooks: readonly W[]): W[] {
  if (event.kind === 'test' || event.kind === 'digest' || event.kind === 'report') return [];
  return webhooks.filter(
    (w) =>
      w.enabled &&
      !w.deleted &&
      (w.kinds.length === 0 || w.kinds.includes(event.kind)) &&
      (w.customerId === null || w.customerId === event.customerId),
  );
}
