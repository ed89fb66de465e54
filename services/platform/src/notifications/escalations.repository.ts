import type pg from 'pg';
import type { AlarmSeverity } from '@airfleet/contracts';
import type { AlarmStatus, EscalationState } from './escalation.domain.ts';

type Db = pg.Pool | pg.PoolClient;

export interface DueEscalation extends EscalationState {
  alarmId: string;
  deviceId: string;
  customerId: string | null;
  /** Null when the alarm no longer exists. */
  alarm: (AlarmStatus & { type: string; message: string }) | null;
}

export function createEscalationsRepository(pool: pg.Pool) {
  return {
    /** Idempotent: the first notice of an alarm starts its escalation once. */
    async start(alarmId: string, deviceId: string, customerId: string | null, state: EscalationState, db: Db = pool): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO notification_escalations (alarm_id, device_id, customer_id, level, started_at, next_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (alarm_id) DO NOTHING`,
        [alarmId, deviceId, customerId, state.level, new Date(state.startedAtMs), state.nextAtMs === null ? null : new Date(state.nextAtMs)],
      );
      return (rowCount ?? 0) > 0;
    },

    /** Escalations due at `nowMs`, locked for this transaction (several instances may sweep). */
    async lockDue(nowMs: number, limit: number, db: Db): Promise<DueEscalation[]> {
      const { rows } = await db.query<{
        alarm_id: string; device_id: string; customer_id: string | null; level: number; started_at: Date; next_at: Date | null;
        state: 'active' | 'cleared' | null; acknowledged: boolean | null; severity: AlarmSeverity | null; type: string | null; message: string | null;
      }>(
        `SELECT e.alarm_id::text AS alarm_id, e.device_id, e.customer_id, e.level, e.started_at, e.next_at,
                a.state, a.acknowledged, a.severity, a.type, a.message
           FROM notification_escalations e LEFT JOIN alarms a ON a.id = e.alarm_id
          WHERE e.resolved_at IS NULL AND (e.next_at IS NULL OR e.next_at <= $1)
          ORDER BY e.next_at NULLS FIRST LIMIT $2
          FOR UPDATE OF e SKIP LOCKED`,
        [new Date(nowMs), limit],
      );
      return rows.map((r) => ({
        alarmId: r.alarm_id,
        deviceId: r.device_id,
        customerId: r.customer_id,
        level: r.level,
        startedAtMs: r.started_at.getTime(),
        nextAtMs: r.next_at?.getTime() ?? null,
        alarm: r.state && r.severity ? { state: r.state, acknowledged: r.acknowledged === true, severity: r.severity, type: r.type ?? '', message: r.message ?? '' } : null,
      }));
    },

    /** Acknowledged or cleared alarms stop their escalation early (cheap: one UPDATE per sweep). */
    async resolveSettled(nowMs: number, db: Db = pool): Promise<number> {
      const { rowCount } = await db.query(
        `UPDATE notification_escalations e
            SET resolved_at = $1, next_at = NULL,
                resolution = CASE WHEN a.acknowledged THEN 'acknowledged' ELSE 'cleared' END
           FROM alarms a
          WHERE a.id = e.alarm_id AND e.resolved_at IS NULL AND (a.acknowledged OR a.state = 'cleared')`,
        [new Date(nowMs)],
      );
      return rowCount ?? 0;
    },

    async escalated(alarmId: string, level: number, nextAtMs: number | null, db: Db): Promise<void> {
      await db.query('UPDATE notification_escalations SET level = $2, next_at = $3 WHERE alarm_id = $1', [alarmId, level, nextAtMs === null ? null : new Date(nextAtMs)]);
    },

    async resolve(alarmId: string, resolution: string, nowMs: number, db: Db): Promise<void> {
      await db.query('UPDATE notification_escalations SET resolved_at = $3, next_at = NULL, resolution = $2 WHERE alarm_id = $1', [alarmId, resolution, new Date(nowMs)]);
    },

    async find(alarmId: string, db: Db = pool): Promise<{ level: number; resolution: string | null } | null> {
      const { rows } = await db.query<{ level: number; resolution: string | null }>('SELECT level, resolution FROM notification_escalations WHERE alarm_id = $1', [alarmId]);
      return rows[0] ?? null;
    },
  };
}
export type EscalationsRepository = ReturnType<typeof createEscalationsRepository>;
