import { withTransaction } from '../db/transaction.ts';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { judgmentSchema, type CreateJudgmentBody, type DeviceJudgmentsQuery, type Judgment, type JudgmentAck, type PlatformEvent, type StoredJudgment } from '@airfleet/contracts';
import type { PlatformEvents } from '../events/platform-events.ts';
import { NotFoundError, ValidationFailedError } from '../http/errors.catalogue.ts';
import type { DeviceServiceRepository } from '../rules/device-service.repository.ts';
import type { RuleStateRepository } from '../rules/rule-state.repository.ts';
import type { RulesMetrics } from '../rules/rules.metrics.ts';
import type { JudgmentDraft } from '../rules/rule-types.ts';
import type { Alarm } from '@airfleet/contracts';
import type { AlarmsRepository } from '../alarms/alarms.repository.ts';
import type { AlarmNotifier } from '../alarms/alarms.service.ts';
import { levelsCoveredBy } from '../rules/service-interval.rule.ts';
import { judgmentDedupeKey, shouldIssue } from './judgment-policy.domain.ts';
import type { JudgmentPublisher } from './judgments.publisher.ts';
import type { CustomerScope, JudgmentRecord, JudgmentsRepository } from './judgments.repository.ts';

type Db = pg.ClientBase;

export interface JudgmentsServiceDeps {
  pool: pg.Pool;
  judgments: JudgmentsRepository;
  ruleState: RuleStateRepository;
  deviceService: DeviceServiceRepository;
  alarms: AlarmsRepository;
  notifyAlarm?: AlarmNotifier;
  /** The node holding devices' connections sends directly; elsewhere judgments stay pending… */
  publisher?: JudgmentPublisher;
  /** …and the nodes that might hold the device are told (createDownlinkWaker). */
  wake?: (deviceIds: readonly string[]) => void;
  events?: PlatformEvents;
  metrics: RulesMetrics;
  log: Logger;
  clock?: () => number;
  newId?: () => string;
  /** Unanswered judgments to an online device are re-sent after this long. */
  resendAfterMs?: number;
}

export interface CreateJudgmentInput {
  deviceId: string;
  kind: Judgment['kind'];
  params: Record<string, unknown>;
  severity?: Judgment['severity'];
  reason: string;
  /** Absolute expiry (epoch ms), or … */
  expiresAt?: number;
  /** … validity from now. */
  expiresInHours?: number;
  source?: 'manual' | 'fleet' | 'rule';
  createdBy?: string | null;
  /** Who may see the device (404 outside it). */
  scope?: CustomerScope;
}

/** Judgment ids: `jdg_` + 20 random base32hex characters (100 bits), well inside the 64-char limit. */
export function newJudgmentId(): string {
  return `jdg_${BigInt(`0x${randomBytes(13).toString('hex')}`).toString(32).padStart(21, '0').slice(-20).toUpperCase()}`;
}

/** A judgment change as the outbox carries it (written inside the ingest transaction, or after a commit here). */
export function judgmentEvent(r: JudgmentRecord): Extract<PlatformEvent, { name: 'domain' }> {
  return { name: 'domain', payload: { type: 'judgment', deviceId: r.deviceId, customerId: r.customerId, payload: r.stored } };
}

export function createJudgmentsService(deps: JudgmentsServiceDeps) {
  const clock = deps.clock ?? Date.now;
  const newId = deps.newId ?? newJudgmentId;
  const resendAfterMs = deps.resendAfterMs ?? 10 * 60_000;
  const log = deps.log.child({ component: 'judgments' });

  const notify = (r: JudgmentRecord): void => {
    deps.metrics.judgments.inc({ kind: r.judgment.kind, status: r.status });
    deps.events?.emit('domain', judgmentEvent(r).payload);
  };

  /**
   * Stores a judgment unless an equivalent one stands; a different one of the same kind
   * supersedes the open one. For rules inside the ingest transaction (the device's rule
   * state row is locked, so two workers cannot race on one device).
   */
  async function issue(db: Db, deviceId: string, draft: JudgmentDraft, alarmId: string | null): Promise<{ created: JudgmentRecord | null; superseded: JudgmentRecord[] }> {
    const { source, alarmType: _alarmType, ...rest } = draft;
    const parsed = judgmentSchema.safeParse({ ...rest, id: newId() });
    if (!parsed.success) {
      // A rule bug must not fail (and endlessly retry) the ingest batch: log it and move on.
      deps.metrics.ruleErrors.inc();
      log.error({ deviceId, kind: draft.kind, issues: parsed.error.issues }, 'rule produced an invalid judgment; dropped');
      return { created: null, superseded: [] };
    }
    const judgment = parsed.data;
    const dedupeKey = judgmentDedupeKey(judgment);
    const standing = await deps.judgments.standingKeys(deviceId, judgment.kind, judgment.ts, db);
    if (!shouldIssue(judgment.kind, dedupeKey, standing)) return { created: null, superseded: [] };
    const superseded = await deps.judgments.supersedeOpen(deviceId, judgment.kind, db);
    const created = await deps.judgments.insert({ judgment, deviceId, dedupeKey, source, alarmId }, db);
    return { created, superseded };
  }

  /** Publishes and records `sent`; a failure leaves it pending for the next connect or sweep. */
  async function send(records: readonly JudgmentRecord[]): Promise<number> {
    let sent = 0;
    if (!deps.publisher) {
      deps.wake?.(records.map((r) => r.deviceId));
      return 0;
    }
    for (const r of records) {
      const ok = await deps.publisher.publish(r.deviceId, r.judgment);
      if (!ok) {
        deps.metrics.publishFailures.inc();
        continue;
      }
      sent += 1;
      const updated = await deps.judgments.markSent(r.judgment.id, clock()).catch((err: Error) => {
        log.warn({ err: err.message, judgmentId: r.judgment.id }, 'could not record a sent judgment');
        return null;
      });
      if (updated && r.status === 'pending' && updated.status === 'sent') notify(updated);
    }
    return sent;
  }

  return {
    issue,
    send,
    notify,

    /**
     * Creates a judgment by hand or from another feature (work orders: `service_reset`).
     * Validated against the wire schema, stored, published. A `service_reset` also records
     * the service (device_service) and ends the matching overdue alarms.
     */
    async createJudgment(input: CreateJudgmentInput): Promise<StoredJudgment> {
      const now = clock();
      const expiresAt = input.expiresAt ?? now + (input.expiresInHours ?? 24 * 7) * 3_600_000;
      const parsed = judgmentSchema.safeParse({
        id: newId(),
        ts: now,
        kind: input.kind,
        severity: input.severity ?? 'info',
        reason: input.reason,
        params: input.params,
        expiresAt,
      });
      if (!parsed.success) {
        throw new ValidationFailedError(
          'invalid judgment',
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      const judgment = parsed.data;
      const changed: JudgmentRecord[] = [];
      const alarmsCleared: Alarm[] = [];
      const created = await withTransaction(deps.pool, async (client) => {
        const locked = await deps.ruleState.lockOne(input.deviceId, input.scope ?? null, client);
        if (!locked) throw new NotFoundError(`device ${input.deviceId}`);
        changed.push(...(await deps.judgments.supersedeOpen(input.deviceId, judgment.kind, client)));
        const record = await deps.judgments.insert(
          { judgment, deviceId: input.deviceId, dedupeKey: judgmentDedupeKey(judgment), source: input.source ?? 'manual', createdBy: input.createdBy ?? null },
          client,
        );
        if (judgment.kind === 'service_reset') {
          const levels = levelsCoveredBy(judgment.params.level);
          await deps.deviceService.recordService(input.deviceId, levels, locked.runningHours, now, client);
          for (const level of levels) {
            const cleared = await deps.alarms.clearByCondition(input.deviceId, { type: `service_overdue_${level}`, ts: now, reason: 'service done' }, client);
            if (cleared) alarmsCleared.push(cleared);
          }
        }
        return record;
      });
      for (const r of changed) notify(r);
      for (const a of alarmsCleared) deps.notifyAlarm?.(a, 'cleared');
      notify(created);
      await send([created]);
      const fresh = await deps.judgments.findById(judgment.id, null, input.createdBy ?? null);
      return (fresh ?? created).stored;
    },

    async applyAcks(db: Db, acks: ReadonlyArray<{ deviceId: string; ack: JudgmentAck }>): Promise<JudgmentRecord[]> {
      return deps.judgments.applyAcks(acks, db);
    },

    /**
     * A device came back (birth message at `reconnectedAtMs`): re-send what it has not
     * answered and is still valid — except what was sent after it came back.
     */
    async resendOpen(deviceId: string, reconnectedAtMs = clock()): Promise<number> {
      const open = await deps.judgments.openForDevice(deviceId, clock(), reconnectedAtMs);
      return send(open);
    },

    /** What one device is owed now: pending ones and long-unanswered ones (a gateway woken on the downlink channel). */
    async sendDueFor(deviceId: string): Promise<number> {
      return send(await deps.judgments.openForDevice(deviceId, clock(), clock() - resendAfterMs));
    },

    /** Pending ones (publisher was away) and long-unanswered ones to online devices. */
    async sendDue(limit = 500): Promise<number> {
      return send(await deps.judgments.needingSend(clock(), resendAfterMs, limit));
    },

    async expireDue(nowMs = clock()): Promise<JudgmentRecord[]> {
      const expired = await deps.judgments.expireDue(nowMs);
      for (const r of expired) notify(r);
      return expired;
    },

    async list(deviceId: string, query: DeviceJudgmentsQuery, scope: CustomerScope, userId: string | null) {
      if (!(await deps.judgments.deviceInScope(deviceId, scope))) throw new NotFoundError(`device ${deviceId}`);
      return deps.judgments.list(deviceId, query, scope, userId);
    },

    async get(judgmentId: string, scope: CustomerScope, userId: string | null): Promise<StoredJudgment> {
      const found = await deps.judgments.findById(judgmentId, scope, userId);
      if (!found) throw new NotFoundError(`judgment ${judgmentId}`);
      return found.stored;
    },

    async feedback(judgmentId: string, userId: string, body: { useful: boolean; comment?: string }, scope: CustomerScope) {
      const found = await deps.judgments.findById(judgmentId, scope);
      if (!found) throw new NotFoundError(`judgment ${judgmentId}`);
      return deps.judgments.upsertFeedback(judgmentId, userId, body.useful, body.comment ?? null);
    },

    /** The HTTP body of POST /api/devices/{id}/judgments. */
    fromBody(deviceId: string, body: CreateJudgmentBody, createdBy: string, scope: CustomerScope): CreateJudgmentInput {
      return { deviceId, kind: body.kind, params: body.params, severity: body.severity, reason: body.reason, expiresInHours: body.expiresInHours, source: 'manual', createdBy, scope };
    },
  };
}
export type JudgmentsService = ReturnType<typeof createJudgmentsService>;
