import type { Alarm, CompressorModel, DeviceEvent, PlatformEvent, Telemetry } from '@airfleet/contracts';
import type { Logger } from 'pino';
import type { AlarmsRepository } from '../alarms/alarms.repository.ts';
import { alarmEvent, type AlarmChange } from '../alarms/alarms.service.ts';
import { appendOutbox } from '../events/outbox.repository.ts';
import type { InTransactionHook, IngestBatch } from '../ingest/ingest-store.repository.ts';
import type { JudgmentRecord } from '../judgments/judgments.repository.ts';
import { judgmentEvent, type JudgmentsService } from '../judgments/judgments.service.ts';
import type { DeviceServiceRepository } from './device-service.repository.ts';
import type { RuleStateRepository } from './rule-state.repository.ts';
import type { RuleState } from './rule-state.ts';
import { ruleSetFor } from './rule-set.ts';
import type { RuleSet } from './rule-types.ts';
import { evaluateDevice, type DeviceInputs, type DeviceOutcome } from './rules.engine.ts';
import type { RulesMetrics } from './rules.metrics.ts';

/** What a committed batch changed (already in the outbox): counted and published after COMMIT. */
export interface BatchEffects {
  alarms: Array<{ alarm: Alarm; change: AlarmChange }>;
  /** Judgments created or changed (acks, superseded). */
  judgments: JudgmentRecord[];
  /** New judgments to publish. */
  toSend: JudgmentRecord[];
  /** Devices whose birth message arrived (receive time): re-send what they have not answered. */
  reconnected: Array<{ deviceId: string; atMs: number }>;
}

export interface RulesHookDeps {
  ruleState: RuleStateRepository;
  deviceService: DeviceServiceRepository;
  alarms: AlarmsRepository;
  judgments: JudgmentsService;
  metrics: RulesMetrics;
  log: Logger;
  clock?: () => number;
}

/** Event types the rules read; the rest (start, stop, load, …) are stored and shown only. */
const RULE_EVENT_TYPES = new Set(['trip', 'warning', 'reset']);

/**
 * The ingest hook, plus events the caller must commit with the batch: they share the rules'
 * outbox write (one round trip).
 */
export type RulesInTransaction = (...args: [...Parameters<InTransactionHook>, alsoEvents?: readonly PlatformEvent[]]) => Promise<void>;

/**
 * The rules as ingest's in-transaction hook: per batch, lock and load the
 * rule state of the devices involved, run the pure engine on the newly stored samples,
 * events and statuses, and write alarms, judgments and the new state in the same
 * transaction. A failure rolls the whole batch back, so the broker redelivers it and the
 * rules see it again — never half-applied, never twice (duplicates are not "inserted").
 */
export function createRulesHook(deps: RulesHookDeps): { inTransaction: RulesInTransaction; takeEffects(batch: IngestBatch): BatchEffects | undefined } {
  const clock = deps.clock ?? Date.now;
  const effects = new WeakMap<IngestBatch, BatchEffects>();
  const ruleSets = new Map<string, { key: string; rules: RuleSet }>();

  const byModelObject = new WeakMap<CompressorModel, RuleSet>();
  const rulesFor = (model: CompressorModel): RuleSet => {
    // The devices of one batch share their model's object: its key is computed once per batch.
    const seen = byModelObject.get(model);
    if (seen) return seen;
    // Limits are data and may change with a catalogue sync: rebuild when they do.
    const key = JSON.stringify([model.limits, model.servicePlan, model.flaA, model.maxPressureBar]);
    const cached = ruleSets.get(model.id);
    const rules = cached && cached.key === key ? cached.rules : ruleSetFor(model);
    if (rules !== cached?.rules) ruleSets.set(model.id, { key, rules });
    byModelObject.set(model, rules);
    return rules;
  };

  const inTransaction: RulesInTransaction = async (client, batch, insertedRows, alsoEvents = []) => {
    const t0 = performance.now();
    const fx: BatchEffects = { alarms: [], judgments: [], toSend: [], reconnected: [] };

    if (batch.acks.length > 0) fx.judgments.push(...(await deps.judgments.applyAcks(client, batch.acks)));

    const inputs = new Map<string, { samples: Telemetry[]; events: DeviceEvent[]; statuses: DeviceInputs['statuses'][number][] }>();
    const entry = (id: string) => {
      let e = inputs.get(id);
      if (!e) inputs.set(id, (e = { samples: [], events: [], statuses: [] }));
      return e;
    };
    for (const r of insertedRows) entry(r.deviceId).samples.push(r.sample);
    for (const e of batch.events) if (RULE_EVENT_TYPES.has(e.event.type)) entry(e.deviceId).events.push(e.event);
    for (const s of batch.statuses) {
      // The last will is exactly {"online":false}: no ts (protocol §5). An orderly shutdown carries one.
      const will = !s.status.online && s.status.ts === undefined;
      entry(s.deviceId).statuses.push({ online: s.status.online, ts: s.status.ts ?? s.receivedAtMs, will });
      if (s.status.online) fx.reconnected.push({ deviceId: s.deviceId, atMs: s.receivedAtMs });
    }

    if (inputs.size > 0) {
      const ids = [...inputs.keys()];
      const contexts = await deps.ruleState.lockAndLoad(ids, client);
      const states: Array<{ deviceId: string; state: RuleState }> = [];
      for (const [deviceId, input] of inputs) {
        const ctx = contexts.get(deviceId);
        if (!ctx) continue;
        let out: DeviceOutcome;
        try {
          out = evaluateDevice(rulesFor(ctx.model), ctx.state, { ...input, serviceRecords: ctx.service });
        } catch (err) {
          // The engine is pure: an exception is a bug that would fail this batch on every retry
          // and stall ingest for everyone. Keep the data, skip the rules for this device once.
          deps.metrics.ruleErrors.inc();
          deps.log.error({ err, deviceId }, 'rules evaluation failed; samples stored without rules');
          continue;
        }
        if (out.lateSamples > 0) deps.metrics.lateSamples.inc(out.lateSamples);
        if (out.seedService.length > 0) await deps.deviceService.seed(deviceId, out.seedService, client);
        const alarmIds = new Map<string, string>();
        for (const op of out.alarms) {
          if (op.op === 'raise') {
            const { alarm, created } = await deps.alarms.raise(deviceId, op, client);
            alarmIds.set(alarm.type, alarm.id);
            fx.alarms.push({ alarm, change: created ? 'raised' : 'repeated' });
          } else if (op.op === 'clear') {
            const alarm = await deps.alarms.clearByCondition(deviceId, op, client);
            if (alarm) fx.alarms.push({ alarm, change: 'cleared' });
          } else {
            const alarm = await deps.alarms.touch(deviceId, op, client);
            if (alarm) fx.alarms.push({ alarm, change: 'updated' });
          }
        }
        for (const draft of out.judgments) {
          const { created, superseded } = await deps.judgments.issue(client, deviceId, draft, draft.alarmType ? (alarmIds.get(draft.alarmType) ?? null) : null);
          fx.judgments.push(...superseded);
          if (created) {
            fx.judgments.push(created);
            fx.toSend.push(created);
          }
        }
        states.push({ deviceId, state: out.state });
      }
      await deps.ruleState.save(states, client);

      // Data flows again: a data gap (raised by the sweep) is over. The locking read said which
      // devices have one open, so the common batch spends no round trip on it. A gap the sweep
      // commits after that read is ended by the sweep itself once it sees the new data.
      const withData = [...new Set(insertedRows.map((r) => r.deviceId))].filter((id) => contexts.get(id)?.dataGap);
      for (const alarm of await deps.alarms.clearTypeFor(withData, 'data_gap', clock(), client)) fx.alarms.push({ alarm, change: 'cleared' });
    }

    // What other processes must learn commits with the change itself (the outbox).
    await appendOutbox(client, [...fx.alarms.map(({ alarm }) => alarmEvent(alarm)), ...fx.judgments.map(judgmentEvent), ...alsoEvents]);

    deps.metrics.evaluationSeconds.observe((performance.now() - t0) / 1000);
    effects.set(batch, fx);
  };

  return {
    inTransaction,
    takeEffects(batch) {
      const fx = effects.get(batch);
      effects.delete(batch);
      return fx;
    },
  };
}
