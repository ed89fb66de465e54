import type pg from 'pg';
import type { Role, Severity } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import { withTransaction } from '../db/transaction.ts';
import { escalationStep, type EscalationPolicy } from './escalation.domain.ts';
import type { EscalationsRepository } from './escalations.repository.ts';
import { digestDue, latestDigestSlot, renderDigest, type LinkContext } from './notification-messages.domain.ts';
import { effectivePreferences, type NotificationEvent } from './notification-policy.domain.ts';
import type { NotificationsRepository } from './notifications.repository.ts';

/**
 * The periodic halves of the notification engine (run by the runtime's tick): escalation of
 * unacknowledged critical alarms, and daily digests.
 */
export interface SweepDeps {
  pool: pg.Pool;
  clock: () => number;
  log: Logger;
  notifications: NotificationsRepository;
  escalations: EscalationsRepository;
  escalationPolicy: EscalationPolicy;
  digestHourUtc: number;
  /** Where a user of this role is linked to (PUBLIC_URL); undefined = no links. */
  linksFor: (role: Role) => LinkContext | undefined;
  /** Stores one event's notification rows (in the given transaction). */
  fanOut: (event: NotificationEvent, db: pg.PoolClient) => Promise<string[]>;
  /** Starts delivery of what was just stored. */
  kick: () => void;
  onEscalated?: (level: number) => void;
}

export async function runEscalations(deps: SweepDeps): Promise<number> {
  const { clock, escalations, fanOut, log, kick } = deps;
  const nowMs = clock();
  await escalations.resolveSettled(nowMs);
  let count = 0;
  let created = false;
  await withTransaction(deps.pool, async (client) => {
    for (const d of await escalations.lockDue(nowMs, 100, client)) {
      const step = escalationStep(d, d.alarm, nowMs, deps.escalationPolicy);
      if (step.action === 'resolve') await escalations.resolve(d.alarmId, step.resolution, nowMs, client);
      if (step.action !== 'escalate' || !d.alarm) continue;
      const event: NotificationEvent = {
        kind: 'escalation',
        severity: 'critical',
        deviceId: d.deviceId,
        customerId: d.customerId,
        ref: { type: 'alarm', id: d.alarmId },
        dedupeKey: `escalation:${d.alarmId}:${step.level}`,
        escalationLevel: step.level,
        message: { template: 'escalation', deviceId: d.deviceId, alarmType: d.alarm.type, alarmMessage: d.alarm.message, level: step.level, minutesUnacknowledged: Math.round((nowMs - d.startedAtMs) / 60_000) },
        data: { alarm: { id: d.alarmId, type: d.alarm.type, severity: d.alarm.severity, message: d.alarm.message }, level: step.level },
      };
      const ids = await fanOut(event, client);
      created ||= ids.length > 0;
      await escalations.escalated(d.alarmId, step.level, step.nextAtMs, client);
      if (step.nextAtMs === null) await escalations.resolve(d.alarmId, 'top_level', nowMs, client);
      log.info({ alarmId: d.alarmId, level: step.level, notified: ids.length }, 'critical alarm escalated');
      deps.onEscalated?.(step.level);
      count += 1;
    }
  });
  if (created) kick();
  return count;
}

export async function runDigests(deps: Pick<SweepDeps, 'pool' | 'clock' | 'notifications' | 'digestHourUtc' | 'linksFor'>): Promise<number> {
  const { clock, notifications, digestHourUtc } = deps;
  const nowMs = clock();
  const queues = await notifications.digestQueues();
  if (queues.length === 0) return 0;
  const users = new Map((await notifications.recipients()).map((u) => [u.id, u]));
  let sent = 0;
  for (const q of queues) {
    const user = users.get(q.userId);
    if (!user) continue;
    const prefs = effectivePreferences(user, digestHourUtc);
    if (!digestDue(prefs.digestHourUtc, q.oldestMs, nowMs)) continue;
    const slot = latestDigestSlot(prefs.digestHourUtc, nowMs);
    await withTransaction(deps.pool, async (client) => {
      const items = await notifications.lockDigestQueue(q.userId, client);
      if (items.length === 0) return;
      const msg = renderDigest(items, user.locale, new Date(slot).toISOString().slice(0, 10), deps.linksFor(user.role));
      const rank: Severity[] = ['critical', 'major', 'minor', 'warning', 'info'];
      const severity = rank.find((s) => items.some((i) => i.severity === s)) ?? 'info';
      const [digestId] = await notifications.insert(
        [{ kind: 'digest', severity, channel: 'email', status: 'pending', userId: user.id, webhookId: null, recipient: user.email, subject: msg.subject, body: msg.text, payload: { items: items.length, html: msg.html }, deviceId: null, customerId: user.customerId, ref: null, escalationLevel: 0, dedupeKey: `digest:${new Date(slot).toISOString()}`, lastError: null, createdAtMs: nowMs }],
        client,
      );
      if (!digestId) return;
      await notifications.attachToDigest(items.map((i) => i.id), digestId, client);
      sent += 1;
    });
  }
  return sent;
}
