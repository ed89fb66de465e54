import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface OverviewFacts {
  online: boolean | null;
  state: string | null;
  lastSeenMs: number | null;
  runningHours: number | null;
  health: { day: string; score: number } | null;
  alarms: Array<{ id: string; severity: string; type: string; message: string; startedMs: number }>;
}

/** Everything the overview shows about a set of machines, in four indexed reads. */
export function createOverviewRepository(pool: pg.Pool) {
  return {
    async facts(deviceIds: readonly string[], db: Db = pool): Promise<Map<string, OverviewFacts>> {
      const out = new Map<string, OverviewFacts>(deviceIds.map((id) => [id, { online: null, state: null, lastSeenMs: null, runningHours: null, health: null, alarms: [] }]));
      if (deviceIds.length === 0) return out;
      const [latest, status, health, alarms] = await Promise.all([
        db.query<{ device_id: string; state: string; ts: Date; rh: number | null }>(
          `SELECT device_id, state, ts, (metrics->>'runningHours')::float8 AS rh FROM device_latest WHERE device_id = ANY($1::text[])`,
          [deviceIds],
        ),
        db.query<{ device_id: string; online: boolean }>(`SELECT device_id, online FROM device_status WHERE device_id = ANY($1::text[])`, [deviceIds]),
        db.query<{ device_id: string; day: string; score: number }>(
          `SELECT DISTINCT ON (device_id) device_id, to_char(day, 'YYYY-MM-DD') AS day, score
             FROM device_health WHERE device_id = ANY($1::text[]) ORDER BY device_id, day DESC`,
          [deviceIds],
        ),
        db.query<{ id: string; device_id: string; severity: string; type: string; message: string; started_at: Date }>(
          `SELECT id::text, device_id, severity, type, message, started_at FROM alarms
            WHERE device_id = ANY($1::text[]) AND state = 'active'
            ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'major' THEN 1 WHEN 'minor' THEN 2 ELSE 3 END, started_at DESC`,
          [deviceIds],
        ),
      ]);
      for (const r of latest.rows) Object.assign(out.get(r.device_id)!, { state: r.state, lastSeenMs: r.ts.getTime(), runningHours: r.rh });
      for (const r of status.rows) out.get(r.device_id)!.online = r.online;
      for (const r of health.rows) out.get(r.device_id)!.health = { day: r.day, score: r.score };
      for (const r of alarms.rows) out.get(r.device_id)!.alarms.push({ id: r.id, severity: r.severity, type: r.type, message: r.message, startedMs: r.started_at.getTime() });
      return out;
    },
  };
}
export type OverviewRepository = ReturnType<typeof createOverviewRepository>;
