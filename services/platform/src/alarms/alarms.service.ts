import type { Alarm, AlarmCountsQuery, AlarmsQuery, PlatformEvent } from '@airfleet/contracts';
import type { PlatformEvents } from '../events/platform-events.ts';
import { NotFoundError } from '../http/errors.catalogue.ts';
import type { RulesMetrics } from '../rules/rules.metrics.ts';
import type { AlarmsRepository, CustomerScope } from './alarms.repository.ts';

export type AlarmChange = 'raised' | 'repeated' | 'updated' | 'cleared' | 'acknowledged' | 'cleared_manually';

/**
 * Every alarm change goes out on the platform event bus as a `domain` event of type
 * `alarm` whose payload is the alarm as the API returns it (the dashboard's live channel
 * forwards it), after the change is committed.
 */
export function createAlarmNotifier(deps: { events?: PlatformEvents; metrics: RulesMetrics }) {
  return (alarm: Alarm, change: AlarmChange): void => {
    countAlarmChange(deps.metrics, alarm, change);
    deps.events?.emit('domain', alarmEvent(alarm).payload);
  };
}

/** The alarm metrics of one change (the ingest counts after COMMIT what it wrote to the outbox inside it). */
export function countAlarmChange(metrics: RulesMetrics, alarm: Alarm, change: AlarmChange): void {
  if (change === 'raised') metrics.alarmsRaised.inc({ type: alarm.type, severity: alarm.severity });
  if (change === 'cleared') metrics.alarmsCleared.inc({ type: alarm.type, how: 'condition' });
  if (change === 'cleared_manually') metrics.alarmsCleared.inc({ type: alarm.type, how: 'manual' });
}

export function alarmEvent(alarm: Alarm): Extract<PlatformEvent, { name: 'domain' }> {
  return { name: 'domain', payload: { type: 'alarm', deviceId: alarm.deviceId, customerId: alarm.customerId, payload: alarm } };
}
export type AlarmNotifier = ReturnType<typeof createAlarmNotifier>;

export interface AlarmsServiceDeps {
  alarms: AlarmsRepository;
  notify: AlarmNotifier;
  clock?: () => number;
}

/** The people's side of alarms: list, count, acknowledge, clear. Raising belongs to the rules. */
export function createAlarmsService({ alarms, notify, clock = Date.now }: AlarmsServiceDeps) {
  return {
    list: (query: AlarmsQuery, scope: CustomerScope) => alarms.list(query, scope),
    counts: (query: AlarmCountsQuery, scope: CustomerScope) => alarms.counts(query, scope),

    async get(id: string, scope: CustomerScope): Promise<Alarm> {
      const alarm = await alarms.findById(id, scope);
      if (!alarm) throw new NotFoundError(`alarm ${id}`);
      return alarm;
    },

    /** Idempotent: acknowledging twice keeps the first person and time. */
    async acknowledge(id: string, userId: string, scope: CustomerScope): Promise<Alarm> {
      const result = await alarms.acknowledge(id, userId, clock(), scope);
      if (!result) throw new NotFoundError(`alarm ${id}`);
      if (result.changed) notify(result.alarm, 'acknowledged');
      return result.alarm;
    },

    /**
     * Manual clear. If the condition still holds, the rule does not raise it again until it
     * has ended and come back (the person has taken responsibility for it).
     */
    async clear(id: string, userId: string, scope: CustomerScope): Promise<Alarm> {
      const result = await alarms.clearManually(id, userId, clock(), scope);
      if (!result) throw new NotFoundError(`alarm ${id}`);
      if (result.changed) notify(result.alarm, 'cleared_manually');
      return result.alarm;
    },
  };
}
export type AlarmsService = ReturnType<typeof createAlarmsService>;
