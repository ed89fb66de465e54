import type pg from 'pg';
import type { NotificationKind, NotificationRef, NotificationStatus, Role, Severity } from '@airfleet/contracts';
import type { Registry } from 'prom-client';
import type { Logger } from '@airfleet/runtime';
import type { PlatformEvents } from '../events/platform-events.ts';
import { startEscalation, type EscalationPolicy } from './escalation.domain.ts';
import { createEscalationsRepository } from './escalations.repository.ts';
import type { Mailer } from './mailer.ts';
import { createDeliveryWorker } from './notification-delivery.ts';
import { renderMessage, type LinkContext } from './notification-messages.domain.ts';
import { runDigests, runEscalations } from './notification-sweeps.ts';
import { effectivePreferences, emailDecision, selectEmailRecipients, selectWebhooks, type NotificationEvent } from './notification-policy.domain.ts';
import { notificationEventsFrom, type DomainEvent } from './notification-sources.domain.ts';
import { createNotificationsMetrics } from './notifications.metrics.ts';
import { createNotificationsRepository, type NewNotification } from './notifications.repository.ts';
import { createWebhooksRepository } from './webhooks.repository.ts';

type Db = pg.Pool | pg.PoolClient;

export interface NotificationsConfig {
  /** ESCALATION_AFTER_MIN: a critical alarm unacknowledged this long notifies the next level. */
  escalationAfterMin: number;
  /** WEBHOOK_MAX_ATTEMPTS: attempts before a webhook delivery is dead-lettered. */
  webhookMaxAttempts: number;
  /** EMAIL_MAX_ATTEMPTS: the same for mail. */
  emailMaxAttempts: number;
  /** WEBHOOK_TIMEOUT_MS: one POST may take this long. */
  webhookTimeoutMs: number;
  /** NOTIFY_DIGEST_HOUR_UTC: digest hour of users who did not choose one. */
  digestHourUtc: number;
  /** Worker/escalation/digest period; 0 = no timers (tests call tick()). Default 5 s. */
  workerIntervalMs?: number;
  /** First retry delay (doubles per attempt). Default 30 s. */
  backoffBaseMs?: number;
  /** PUBLIC_URL: the dashboard's address; mails and webhook payloads link to it. Unset = no links. */
  publicUrl?: string;
}

/** The env defaults (platform.config.ts), for callers without a parsed config. */
export const DEFAULT_NOTIFICATIONS_CONFIG = {
  escalationAfterMin: 15,
  webhookMaxAttempts: 6,
  emailMaxAttempts: 6,
  webhookTimeoutMs: 10_000,
  digestHourUtc: 7,
} as const satisfies NotificationsConfig;

export interface NotificationsRuntimeOptions {
  pool: pg.Pool;
  log: Logger;
  mailer: Mailer;
  events?: PlatformEvents;
  clock?: () => number;
  random?: () => number;
  fetch?: typeof fetch;
  /** The platform's registry (served at /metrics); no metrics without it. */
  registry?: Registry;
  config: NotificationsConfig;
}

export interface SendEmailInput {
  userId: string;
  kind?: NotificationKind;
  subject: string;
  text: string;
  html?: string;
  severity?: Severity;
  deviceId?: string | null;
  customerId?: string | null;
  ref?: NotificationRef | null;
  /** Same key for the same user = sent once (e.g. `weekly-report:<customer>:<week>`). */
  dedupeKey?: string | null;
  /** false = send even if the user did not subscribe to the kind (email off still wins). Default true. */
  respectPreferences?: boolean;
}

export interface TickResult {
  escalated: number;
  digests: number;
  delivered: number;
}

const SEEN_CAP = 5000;

/**
 * The notification engine (docs/notifications.md): listens to the platform bus, fans each event out to
 * users (email) and webhooks as rows of the notification log, delivers them with retries,
 * escalates unacknowledged critical alarms and sends daily digests.
 */
export function createNotificationsRuntime(opts: NotificationsRuntimeOptions) {
  const clock = opts.clock ?? Date.now;
  const random = opts.random ?? Math.random;
  const log = opts.log.child({ component: 'notifications' });
  const cfg = opts.config;
  const notifications = createNotificationsRepository(opts.pool);
  const webhooks = createWebhooksRepository(opts.pool);
  const escalations = createEscalationsRepository(opts.pool);
  const escalationPolicy: EscalationPolicy = { afterMs: cfg.escalationAfterMin * 60_000 };
  const metrics = opts.registry ? createNotificationsMetrics(opts.registry) : undefined;
  const linksFor = (role: Role): LinkContext | undefined => (cfg.publicUrl ? { baseUrl: cfg.publicUrl, role } : undefined);
  const worker = createDeliveryWorker({
    notifications,
    metrics,
    mailer: opts.mailer,
    log: opts.log,
    clock,
    random,
    fetch: opts.fetch,
    webhookTimeoutMs: cfg.webhookTimeoutMs,
    webhookBackoff: { maxAttempts: cfg.webhookMaxAttempts, baseMs: cfg.backoffBaseMs },
    emailBackoff: { maxAttempts: cfg.emailMaxAttempts, baseMs: cfg.backoffBaseMs },
  });

  // Repeats of an alarm arrive on every sample while it is active: remember recent keys so
  // they cost no query. The unique index is the real guarantee (restarts, other instances).
  const seen = new Set<string>();
  const remember = (key: string): void => {
    seen.add(key);
    if (seen.size > SEEN_CAP) seen.delete(seen.values().next().value as string);
  };

  let chain: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  let stopped = true;
  let unsubscribe: (() => void) | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let timerRun: Promise<unknown> | undefined;

  /** Renders and stores one event's rows (one per user and per webhook). Returns the new ids. */
  async function fanOut(event: NotificationEvent, db: Db = opts.pool, extraPayload: Record<string, unknown> = {}): Promise<string[]> {
    const nowMs = clock();
    // One after the other: `db` may be a transaction's client, which runs one query at a time.
    const users = await notifications.recipients(db);
    const targets = await webhooks.targets(db);
    const rows: NewNotification[] = [];
    const common = {
      kind: event.kind,
      severity: event.severity,
      deviceId: event.deviceId,
      customerId: event.customerId,
      ref: event.ref,
      escalationLevel: event.escalationLevel,
      dedupeKey: event.dedupeKey,
      createdAtMs: nowMs,
    };
    for (const { user, decision } of selectEmailRecipients(event, users, { digestHourUtc: cfg.digestHourUtc, emailAvailable: opts.mailer.enabled })) {
      const msg = renderMessage(event.message, user.locale, linksFor(user.role));
      rows.push({
        ...common,
        channel: 'email',
        status: decision.status,
        userId: user.id,
        webhookId: null,
        recipient: user.email,
        subject: msg.subject,
        body: msg.text,
        // The HTML part and the link travel with the row: delivery sends the HTML, a digest lists the link.
        payload: { data: event.data, html: msg.html, ...(msg.url ? { url: msg.url } : {}), ...extraPayload },
        lastError: decision.status === 'skipped' ? decision.reason : null,
      });
    }
    for (const w of selectWebhooks(event, targets)) {
      // An endpoint of one customer gets the links a customer can open; the others the service team's.
      const msg = renderMessage(event.message, 'en', linksFor(w.customerId === null ? 'service' : 'customer'));
      rows.push({
        ...common,
        channel: 'webhook',
        status: 'pending',
        userId: null,
        webhookId: w.id,
        recipient: w.url,
        subject: msg.subject,
        body: msg.text,
        payload: webhookBody(event, msg, nowMs),
        lastError: null,
      });
    }
    if (rows.length === 0) return [];
    const ids = await notifications.insert(rows, db);
    rows.forEach((r, i) => ids[i] && metrics?.created.inc({ kind: r.kind, channel: r.channel, status: r.status }));
    return ids.filter((id): id is string => id !== null);
  }

  function webhookBody(event: NotificationEvent, msg: { subject: string; text: string; url?: string | null }, nowMs: number): Record<string, unknown> {
    return {
      kind: event.kind,
      severity: event.severity,
      subject: msg.subject,
      text: msg.text,
      ...(msg.url ? { url: msg.url } : {}),
      deviceId: event.deviceId,
      customerId: event.customerId,
      ref: event.ref,
      escalationLevel: event.escalationLevel,
      createdAt: new Date(nowMs).toISOString(),
      data: event.data,
    };
  }

  async function handleEvent(event: NotificationEvent): Promise<void> {
    if (event.dedupeKey && seen.has(event.dedupeKey)) return;
    const ids = await fanOut(event);
    if (event.dedupeKey) remember(event.dedupeKey);
    if (event.kind === 'alarm' && event.severity === 'critical' && event.ref?.type === 'alarm' && event.deviceId) {
      const state = startEscalation({ state: 'active', acknowledged: false, severity: 'critical' }, clock(), escalationPolicy);
      if (state) await escalations.start(event.ref.id, event.deviceId, event.customerId, state);
    }
    if (ids.length > 0) kick();
  }

  function onDomain(e: DomainEvent): void {
    let events: NotificationEvent[];
    try {
      events = notificationEventsFrom(e);
    } catch (err) {
      log.error({ err, type: e.type }, 'could not read a domain event');
      return;
    }
    for (const event of events) {
      // One at a time: the dedupe memory and the unique index see events in bus order.
      chain = chain.then(() => handleEvent(event)).catch((err: Error) => log.error({ err, kind: event.kind, dedupeKey: event.dedupeKey }, 'could not record a notification'));
      track(chain);
    }
  }

  /** Delivers everything due now (a few rounds of a batch each). */
  async function deliver(maxRounds = 20): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await worker.runOnce(20);
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  // Delivery right after new rows are stored, instead of at the next tick. One run at a
  // time; a kick during a run asks for one more run, so no new row waits for the timer.
  let kicking = false;
  let kickAgain = false;
  function kick(): void {
    if (stopped) return;
    if (kicking) {
      kickAgain = true;
      return;
    }
    kicking = true;
    kickAgain = false;
    track(
      deliver().finally(() => {
        kicking = false;
        if (kickAgain) kick();
      }),
    );
  }

  const sweepDeps = {
    pool: opts.pool,
    clock,
    log,
    notifications,
    escalations,
    escalationPolicy,
    digestHourUtc: cfg.digestHourUtc,
    linksFor,
    fanOut: (event: NotificationEvent, db: pg.PoolClient) => fanOut(event, db),
    onEscalated: (level: number) => metrics?.escalations.inc({ level: String(level) }),
    kick: () => kick(),
  };
  const escalate = (): Promise<number> => runEscalations(sweepDeps);
  const digests = (): Promise<number> => runDigests(sweepDeps);

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  async function tick(): Promise<TickResult> {
    await idle();
    const escalated = await escalate().catch((err: Error) => (log.warn({ err: err.message }, 'escalation sweep failed'), 0));
    const digestCount = await digests().catch((err: Error) => (log.warn({ err: err.message }, 'digest run failed'), 0));
    const delivered = await deliver();
    await idle();
    return { escalated, digests: digestCount, delivered };
  }

  return {
    notifications,
    webhooks,
    escalations,
    get emailAvailable(): boolean {
      return opts.mailer.enabled;
    },
    /** Fans one event out (other features may call it directly). Returns the new log rows' ids. */
    notify: (event: NotificationEvent): Promise<string[]> => fanOut(event).then((ids) => (ids.length > 0 && kick(), ids)),

    /**
     * One mail to one user, logged and retried like every notification (the customer weekly
     * report uses it). Null when the user does not exist, is disabled, or did not subscribe
     * to the kind; a user who turned email off gets a `skipped` row. A `dedupeKey` already used
     * for this user answers the existing row (`duplicate: true`) instead of sending again.
     */
    async sendEmail(input: SendEmailInput): Promise<{ id: string; status: NotificationStatus; duplicate: boolean } | null> {
      const user = (await notifications.recipients()).find((u) => u.id === input.userId);
      if (!user || user.disabled) return null;
      const kind = input.kind ?? 'report';
      const prefs = effectivePreferences(user, cfg.digestHourUtc);
      if (input.respectPreferences !== false && !(prefs.kinds as readonly string[]).includes(kind)) return null;
      const event: NotificationEvent = { kind, severity: input.severity ?? 'info', deviceId: input.deviceId ?? null, customerId: input.customerId ?? user.customerId, ref: input.ref ?? null, dedupeKey: input.dedupeKey ?? null, escalationLevel: 0, userIds: [user.id], message: { template: 'raw', subject: input.subject, text: input.text }, data: {} };
      const decision = emailDecision(event, { ...prefs, delivery: 'immediate' }, opts.mailer.enabled);
      const [id] = await notifications.insert([
        { kind, severity: event.severity, channel: 'email', status: decision.status, userId: user.id, webhookId: null, recipient: user.email, subject: input.subject, body: input.text, payload: input.html ? { html: input.html } : {}, deviceId: event.deviceId, customerId: event.customerId, ref: event.ref, escalationLevel: 0, dedupeKey: event.dedupeKey, lastError: decision.status === 'skipped' ? decision.reason : null, createdAtMs: clock() },
      ]);
      if (!id) {
        // Already sent under this key (e.g. a report job run twice): answer the existing row.
        const existing = event.dedupeKey ? await notifications.findByDedupe(event.dedupeKey, `user:${user.id}`) : null;
        return existing ? { id: existing.id, status: existing.status, duplicate: true } : null;
      }
      if (decision.status === 'pending') kick();
      return { id, status: decision.status, duplicate: false };
    },

    /** Admin retry: queue again with a fresh attempt budget and try once right away. */
    async retry(id: string) {
      const queued = await notifications.requeue(id, clock());
      if (!queued) return null;
      await worker.runOnce(1, id);
      return notifications.findById(id);
    },

    /** A test delivery to one endpoint, attempted at once; the answer is the log row after it. */
    async testWebhook(webhookId: string, url: string) {
      const nowMs = clock();
      const msg = { subject: 'AirFleet webhook test', text: 'This is a test delivery from AirFleet.' };
      const event: NotificationEvent = { kind: 'test', severity: 'info', deviceId: null, customerId: null, ref: { type: 'webhook', id: webhookId }, dedupeKey: null, escalationLevel: 0, message: { template: 'raw', ...msg }, data: {} };
      const [id] = await notifications.insert([
        { kind: 'test', severity: 'info', channel: 'webhook', status: 'pending', userId: null, webhookId, recipient: url, subject: msg.subject, body: msg.text, payload: webhookBody(event, msg, nowMs), deviceId: null, customerId: null, ref: event.ref, escalationLevel: 0, dedupeKey: null, lastError: null, createdAtMs: nowMs },
      ]);
      if (!id) return null;
      await worker.runOnce(1, id);
      return notifications.findById(id);
    },

    /** Feed one bus event by hand (what the subscription does). */
    handle: onDomain,
    deliver,
    escalate,
    digests,
    /** Escalations and digests once. */
    async sweep(): Promise<{ escalated: number; digests: number }> {
      await idle();
      return { escalated: await escalate(), digests: await digests() };
    },
    /** Waits for queued event handling and deliveries, then runs escalation, digests and delivery once. */
    tick,
    idle,

    async start(): Promise<void> {
      if (!stopped) return;
      stopped = false;
      unsubscribe = opts.events?.on('domain', onDomain);
      const every = cfg.workerIntervalMs ?? 5000;
      if (every > 0) {
        // Not tracked in inFlight: tick() waits for inFlight, and must not wait for itself.
        // Every platform instance ticks, and needs no job lease for it: delivery claims rows
        // (FOR UPDATE SKIP LOCKED and a lease on the row), escalations and digests lock what they
        // handle in their transaction (SKIP LOCKED) and insert under unique dedupe keys.
        const t = setInterval(() => {
          if (timerRun || stopped) return;
          timerRun = tick()
            .catch((err: Error) => log.warn({ err: err.message }, 'notification tick failed'))
            .finally(() => (timerRun = undefined));
        }, every);
        t.unref();
        timers.add(t);
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      unsubscribe?.();
      unsubscribe = undefined;
      for (const t of timers) clearInterval(t);
      timers.clear();
      await timerRun;
      await idle();
    },
  };
}
export type NotificationsRuntime = ReturnType<typeof createNotificationsRuntime>;
