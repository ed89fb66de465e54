import type { Logger } from '@airfleet/runtime';
import { afterFailure, type BackoffPolicy } from './delivery-backoff.domain.ts';
import type { Mailer } from './mailer.ts';
import type { NotificationsMetrics } from './notifications.metrics.ts';
import type { DueNotification, NotificationsRepository } from './notifications.repository.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from './webhook-signature.ts';

export interface DeliveryWorkerDeps {
  notifications: NotificationsRepository;
  mailer: Mailer;
  metrics?: NotificationsMetrics;
  log: Logger;
  clock: () => number;
  random: () => number;
  /** The HTTP client for webhooks (tests may pass one bound to a custom agent). */
  fetch?: typeof fetch;
  webhookTimeoutMs: number;
  webhookBackoff: BackoffPolicy;
  emailBackoff: BackoffPolicy;
}

type Outcome = { kind: 'sent' } | { kind: 'skipped'; reason: string } | { kind: 'failed'; error: string };

/** Keeps what a remote said short and printable: it ends up in the log and the admin page. */
function shortError(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const base = e?.cause?.code ?? e?.code ?? '';
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return `${base ? `${base}: ` : ''}${msg}`.replace(/\s+/g, ' ').slice(0, 500);
}

/**
 * The delivery worker: claims due rows, sends each by email (the one Mailer) or as a signed
 * webhook POST, and records the outcome: sent, failed with the next attempt's time, dead
 * after the last attempt (with the reason), or skipped (with the reason). It never throws:
 * a broken endpoint or mail server costs a log line, never the process.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const log = deps.log.child({ component: 'notifications' });
  const httpFetch = deps.fetch ?? fetch;
  // A claimed row is invisible to other workers for this long; longer than any one attempt.
  const leaseMs = Math.max(deps.webhookTimeoutMs, 30_000) + 60_000;

  async function sendEmail(n: DueNotification): Promise<Outcome> {
    if (!deps.mailer.enabled) return { kind: 'skipped', reason: 'email is not configured (SMTP_URL is unset)' };
    try {
      const html = typeof n.payload.html === 'string' ? n.payload.html : undefined;
      await deps.mailer.send({ to: n.recipient, subject: n.subject, text: n.body, html });
      return { kind: 'sent' };
    } catch (err) {
      return { kind: 'failed', error: `smtp: ${shortError(err)}` };
    }
  }

  async function sendWebhook(n: DueNotification): Promise<Outcome> {
    if (!n.webhookActive || !n.webhookUrl || !n.webhookSecret) return { kind: 'skipped', reason: 'webhook endpoint disabled or deleted' };
    // The delivery id is the log row's id: receivers deduplicate redeliveries on it.
    const body = JSON.stringify({ ...n.payload, id: n.id });
    try {
      const res = await httpFetch(n.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'AirFleet-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(n.webhookSecret, body, deps.clock()),
          [EVENT_HEADER]: n.kind,
          [DELIVERY_HEADER]: n.id,
        },
        body,
        // A redirect could lead the signed body anywhere; receivers must answer at the URL given.
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.webhookTimeoutMs),
      });
      // Only the status matters; drop the body so the socket is released.
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { kind: 'sent' };
      return { kind: 'failed', error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
    } catch (err) {
      const timedOut = (err as Error)?.name === 'TimeoutError';
      return { kind: 'failed', error: timedOut ? `timeout after ${deps.webhookTimeoutMs} ms` : `network: ${shortError(err)}` };
    }
  }

  async function deliver(n: DueNotification): Promise<void> {
    const outcome = n.channel === 'email' ? await sendEmail(n) : await sendWebhook(n);
    const nowMs = deps.clock();
    const count = (result: string): void => deps.metrics?.deliveries.inc({ channel: n.channel, outcome: result });
    try {
      if (outcome.kind === 'sent') {
        await deps.notifications.markResult(n.id, { status: 'sent', error: null, nextAttemptAtMs: null, nowMs });
        count('sent');
      } else if (outcome.kind === 'skipped') {
        log.info({ notificationId: n.id, channel: n.channel, reason: outcome.reason }, 'notification skipped');
        await deps.notifications.markResult(n.id, { status: 'skipped', error: outcome.reason, nextAttemptAtMs: null, nowMs });
        count('skipped');
      } else {
        const policy = n.channel === 'email' ? deps.emailBackoff : deps.webhookBackoff;
        const next = afterFailure(n.attempts, nowMs, deps.random, policy);
        if (next.status === 'dead') {
          const reason = `gave up after ${n.attempts} attempts: ${outcome.error}`;
          log.warn({ notificationId: n.id, channel: n.channel, attempts: n.attempts, reason }, 'notification dead-lettered');
          await deps.notifications.markResult(n.id, { status: 'dead', error: reason, nextAttemptAtMs: null, nowMs });
          count('dead');
        } else {
          log.info({ notificationId: n.id, channel: n.channel, attempts: n.attempts, error: outcome.error }, 'notification delivery failed; will retry');
          await deps.notifications.markResult(n.id, { status: 'failed', error: outcome.error, nextAttemptAtMs: next.nextAttemptAtMs, nowMs });
          count('failed');
        }
      }
    } catch (err) {
      // The lease brings the row back; the outcome is retried rather than lost.
      log.error({ err, notificationId: n.id }, 'could not record a delivery outcome');
    }
  }

  return {
    /** Claims and delivers one batch; returns how many rows it handled. */
    async runOnce(limit = 20, onlyId?: string): Promise<number> {
      let due: DueNotification[];
      try {
        due = await deps.notifications.claimDue(deps.clock(), leaseMs, limit, onlyId);
      } catch (err) {
        log.warn({ err: shortError(err) }, 'claiming due notifications failed');
        return 0;
      }
      await Promise.all(due.map((n) => deliver(n)));
      return due.length;
    },
  };
}
export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
