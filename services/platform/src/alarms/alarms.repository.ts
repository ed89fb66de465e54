import type pg from 'pg';
import type { Alarm, AlarmCounts, AlarmCountsQuery, AlarmsQuery } from '@airfleet/contracts';
import type { AlarmClear, AlarmRaise, AlarmTouch } from '../rules/rule-types.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;
/** null = every customer (staff), else one customer's id. */
export type CustomerScope = string | null;

interface AlarmRow {
  id: number;
  device_id: string;
  site_id: string;
  customer_id: string;
  type: string;
  severity: Alarm['severity'];
  source: Alarm['source'];
  message: string;
  state: Alarm['state'];
  acknowledged: boolean;
  count: number;
  value: number | null;
  threshold: number | null;
  started_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
  acknowledged_at: Date | null;
  ack_user_id: string | null;
  ack_user_name: string | null;
  cleared_at: Date | null;
  clear_user_id: string | null;
  clear_user_name: string | null;
}

/** Columns of an alarm with its tenant and the people who acted; `a` may be a CTE of changed rows. */
const COLUMNS = `
  a.id, a.device_id, d.site_id, s.customer_id, a.type, a.severity, a.source, a.message, a.state, a.acknowledged,
  a.count, a.value, a.threshold, a.started_at, a.last_seen_at, a.ended_at,
  a.acknowledged_at, ua.id AS ack_user_id, ua.name AS ack_user_name,
  a.cleared_at, uc.id AS clear_user_id, uc.name AS clear_user_name`;
const JOINS = `
  JOIN devices d ON d.id = a.device_id
  JOIN sites s ON s.id = d.site_id
  LEFT JOIN users ua ON ua.id = a.acknowledged_by
  LEFT JOIN users uc ON uc.id = a.cleared_by`;

export function toAlarm(r: AlarmRow): Alarm {
  return {
    id: String(r.id),
    deviceId: r.device_id,
    siteId: r.site_id,
    customerId: r.customer_id,
    type: r.type,
    severity: r.severity,
    source: r.source,
    message: r.message,
    state: r.state,
    acknowledged: r.acknowledged,
    count: r.count,
    value: r.value,
    threshold: r.threshold,
    startedAt: r.started_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: r.ack_user_id ? { id: r.ack_user_id, name: r.ack_user_name ?? '' } : null,
    clearedAt: r.cleared_at?.toISOString() ?? null,
    clearedBy: r.clear_user_id ? { id: r.clear_user_id, name: r.clear_user_name ?? '' } : null,
  };
}

/** Wraps a data-modifying statement (RETURNING *) so the changed rows come back as API alarms. */
const returning = (modifying: string): string => `WITH a AS (${modifying} RETURNING *) SELECT ${COLUMNS} FROM a ${JOINS}`;

const STATE_FILTER: Record<AlarmsQuery['state'], string> = {
  active: `a.state = 'active'`,
  cleared: `a.state = 'cleared'`,
  unacknowledged: `NOT a.acknowledged`,
  acknowledged: `a.acknowledged`,
  all: 'TRUE',
};

function where(filter: { deviceId?: string; siteId?: string; state: AlarmsQuery['state']; severity?: string; type?: string }, scope: CustomerScope) {
  const params: unknown[] = [];
  const conds: string[] = [STATE_FILTER[filter.state]];
  const add = (sql: (p: string) => string, v: unknown): void => {
    params.push(v);
    conds.push(sql(`$${params.length}`));
  };
  if (scope !== null) add((p) => `s.customer_id = ${p}`, scope);
  if (filter.deviceId) add((p) => `a.device_id = ${p}`, filter.deviceId);
  if (filter.siteId) add((p) => `d.site_id = ${p}`, filter.siteId);
  if (filter.severity) add((p) => `a.severity = ${p}`, filter.severity);
  if (filter.type) add((p) => `a.type = ${p}`, filter.type);
  return { sql: `WHERE ${conds.join(' AND ')}`, params };
}

export function createAlarmsRepository(pool: pg.Pool) {
  async function findById(id: string, scope: CustomerScope, db: Db = pool): Promise<Alarm | null> {
    const { rows } = await db.query<AlarmRow>(`SELECT ${COLUMNS} FROM alarms a ${JOINS} WHERE a.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`, [id, scope]);
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  return {
    /**
     * Raises an alarm, or — when one of this type is already active for the device — counts
     * the repeat on it (the partial unique index makes this race-free across workers).
     */
    async raise(deviceId: string, r: AlarmRaise, db: Db = pool): Promise<{ alarm: Alarm; created: boolean }> {
      const { rows } = await db.query<AlarmRow & { created: boolean }>(
        `WITH a AS (
           INSERT INTO alarms (device_id, type, severity, source, message, state, value, threshold, details, started_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, to_timestamp($9 / 1000.0), to_timestamp($9 / 1000.0))
           ON CONFLICT (device_id, type) WHERE state = 'active' DO UPDATE SET
             -- A device re-sending the same event (QoS 1 redelivery) is not a repeat.
             count = alarms.count + CASE WHEN EXCLUDED.last_seen_at > alarms.last_seen_at THEN 1 ELSE 0 END,
             value = EXCLUDED.value,
             message = EXCLUDED.message,
             last_seen_at = GREATEST(alarms.last_seen_at, EXCLUDED.last_seen_at),
             updated_at = now()
           RETURNING *, (xmax = 0) AS created)
         SELECT ${COLUMNS}, a.created FROM a ${JOINS}`,
        [deviceId, r.type, r.severity, r.source, r.message, r.value, r.threshold, r.details ? JSON.stringify(r.details) : null, r.ts],
      );
      const row = rows[0]!;
      return { alarm: toAlarm(row), created: row.created };
    },

    /** Ends the active alarm of this type, if any (the condition cleared: no person involved). */
    async clearByCondition(deviceId: string, c: AlarmClear, db: Db = pool): Promise<Alarm | null> {
      const { rows } = await db.query<AlarmRow>(
        returning(`UPDATE alarms SET state = 'cleared', ended_at = to_timestamp($3 / 1000.0), cleared_at = to_timestamp($3 / 1000.0),
                          updated_at = now()
                    WHERE device_id = $1 AND type = $2 AND state = 'active'`),
        [deviceId, c.type, c.ts],
      );
      return rows[0] ? toAlarm(rows[0]) : null;
    },

    async touch(deviceId: string, t: AlarmTouch, db: Db = pool): Promise<Alarm | null> {
      const { rows } = await db.query<AlarmRow>(
        returning(`UPDATE alarms SET value = $3, last_seen_at = GREATEST(last_seen_at, to_timestamp($4 / 1000.0)), updated_at = now()
                    WHERE device_id = $1 AND type = $2 AND state = 'active'`),
        [deviceId, t.type, t.value, t.ts],
      );
      return rows[0] ? toAlarm(rows[0]) : null;
    },

    /** Clears one type for many devices in one statement (data gaps end when telemetry arrives). */
    async clearTypeFor(deviceIds: string[], type: string, atMs: number, db: Db = pool): Promise<Alarm[]> {
      if (deviceIds.length === 0) return [];
      const { rows } = await db.query<AlarmRow>(
        returning(`UPDATE alarms SET state = 'cleared', ended_at = to_timestamp($3 / 1000.0), cleared_at = to_timestamp($3 / 1000.0),
                          updated_at = now()
                    WHERE device_id = ANY($1::text[]) AND type = $2 AND state = 'active'`),
        [deviceIds, type, atMs],
      );
      return rows.map(toAlarm);
    },

    findById,

    async list(query: AlarmsQuery, scope: CustomerScope, db: Db = pool): Promise<{ items: Alarm[]; total: number }> {
      const w = where(query, scope);
      const n = w.params.length;
      const [page, count] = await Promise.all([
        db.query<AlarmRow>(
          `SELECT ${COLUMNS} FROM alarms a ${JOINS} ${w.sql}
            ORDER BY (a.state = 'active') DESC, array_position(ARRAY['critical','major','minor','warning'], a.severity), a.started_at DESC, a.id DESC
            LIMIT $${n + 1} OFFSET $${n + 2}`,
          [...w.params, query.limit, query.offset],
        ),
        db.query<{ total: number }>(`SELECT count(*)::int AS total FROM alarms a ${JOINS} ${w.sql}`, w.params),
      ]);
      return { items: page.rows.map(toAlarm), total: count.rows[0]?.total ?? 0 };
    },

    async counts(query: AlarmCountsQuery, scope: CustomerScope, db: Db = pool): Promise<AlarmCounts> {
      const w = where({ state: query.state, siteId: query.siteId }, scope);
      const key = query.groupBy === 'site' ? 'd.site_id' : 'a.device_id';
      const { rows } = await db.query<{ key: string; total: number; critical: number; major: number; minor: number; warning: number; unacknowledged: number }>(
        `SELECT ${key} AS key, count(*)::int AS total,
                count(*) FILTER (WHERE a.severity = 'critical')::int AS critical,
                count(*) FILTER (WHERE a.severity = 'major')::int AS major,
                count(*) FILTER (WHERE a.severity = 'minor')::int AS minor,
                count(*) FILTER (WHERE a.severity = 'warning')::int AS warning,
                count(*) FILTER (WHERE NOT a.acknowledged)::int AS unacknowledged
           FROM alarms a ${JOINS} ${w.sql}
          GROUP BY ${key} ORDER BY ${key}`,
        w.params,
      );
      return { groupBy: query.groupBy, items: rows };
    },

    /** Acknowledge: the first person to acknowledge is kept. Null when not found in scope. */
    async acknowledge(id: string, userId: string, atMs: number, scope: CustomerScope, db: Db = pool): Promise<{ alarm: Alarm; changed: boolean } | null> {
      const { rows } = await db.query<AlarmRow>(
        returning(`UPDATE alarms SET acknowledged = true, acknowledged_at = to_timestamp($2 / 1000.0), acknowledged_by = $3, updated_at = now()
                    WHERE id = $1 AND NOT acknowledged
                      AND ($4::text IS NULL OR device_id IN (SELECT d.id FROM devices d JOIN sites s ON s.id = d.site_id WHERE s.customer_id = $4))`),
        [id, atMs, userId, scope],
      );
      if (rows[0]) return { alarm: toAlarm(rows[0]), changed: true };
      const existing = await findById(id, scope, db);
      return existing ? { alarm: existing, changed: false } : null;
    },

    /** Manual clear by a person; the condition may still hold (ended_at stays empty then). */
    async clearManually(id: string, userId: string, atMs: number, scope: CustomerScope, db: Db = pool): Promise<{ alarm: Alarm; changed: boolean } | null> {
      const { rows } = await db.query<AlarmRow>(
        returning(`UPDATE alarms SET state = 'cleared', cleared_at = to_timestamp($2 / 1000.0), cleared_by = $3, updated_at = now()
                    WHERE id = $1 AND state = 'active'
                      AND ($4::text IS NULL OR device_id IN (SELECT d.id FROM devices d JOIN sites s ON s.id = d.site_id WHERE s.customer_id = $4))`),
        [id, atMs, userId, scope],
      );
      if (rows[0]) return { alarm: toAlarm(rows[0]), changed: true };
      const existing = await findById(id, scope, db);
      return existing ? { alarm: existing, changed: false } : null;
    },

    /** Online devices whose telemetry stopped for `factor` reporting intervals and have no data-gap alarm yet. */
    async devicesWithDataGap(nowMs: number, factor: number, defaultIntervalMs: number, db: Db = pool): Promise<Array<{ deviceId: string; lastAt: number; intervalMs: number }>> {
      const { rows } = await db.query<{ device_id: string; last_at: Date; interval_ms: number }>(
        `SELECT st.device_id, GREATEST(l.received_at, st.updated_at) AS last_at,
                COALESCE(st.telemetry_interval_ms, $3)::int AS interval_ms
           FROM device_status st
           JOIN devices d ON d.id = st.device_id AND d.enabled
           LEFT JOIN device_latest l ON l.device_id = st.device_id
          WHERE st.online
            AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.device_id = st.device_id AND a.type = 'data_gap' AND a.state = 'active')
            AND GREATEST(l.received_at, st.updated_at) < to_timestamp($1 / 1000.0) - make_interval(secs => $2 * COALESCE(st.telemetry_interval_ms, $3) / 1000.0)`,
        [nowMs, factor, defaultIntervalMs],
      );
      return rows.map((r) => ({ deviceId: r.device_id, lastAt: r.last_at.getTime(), intervalMs: r.interval_ms }));
    },

    /** Active data-gap alarms whose device is offline now or sends again. */
    async endedDataGaps(nowMs: number, factor: number, defaultIntervalMs: number, db: Db = pool): Promise<string[]> {
      const { rows } = await db.query<{ device_id: string }>(
        `SELECT a.device_id FROM alarms a
           LEFT JOIN device_status st ON st.device_id = a.device_id
           LEFT JOIN device_latest l ON l.device_id = a.device_id
          WHERE a.type = 'data_gap' AND a.state = 'active'
            AND (st.online IS NOT TRUE
                 OR GREATEST(l.received_at, st.updated_at) >= to_timestamp($1 / 1000.0) - make_interval(secs => $2 * COALESCE(st.telemetry_interval_ms, $3) / 1000.0))`,
        [nowMs, factor, defaultIntervalMs],
      );
      return rows.map((r) => r.device_id);
    },
  };
}
export type AlarmsRepository = ReturnType<typeof createAlarmsRepository>;
