import type pg from 'pg';
import type { Technician } from '@airfleet/contracts';
import type { AlarmSource, InspectSource } from './inbox.domain.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

/** The fleet comparison's figures from an inspect judgment's params (older judgments may lack some). */
function evidenceOf(params: Record<string, unknown> | null): InspectSource['evidence'] {
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    value: num(params?.value),
    peerMedian: num(params?.peerMedian),
    percentile: num(params?.percentile),
    peers: num(params?.peers),
    unit: typeof params?.unit === 'string' ? params.unit : null,
  };
}

/** Inbox sources that belong to no other feature's repository: alarms and judgments as the inbox reads them, assignments, technicians. */
export function createServiceRepository(pool: pg.Pool) {
  return {
    async activeAlarms(db: Db = pool): Promise<AlarmSource[]> {
      const { rows } = await db.query<{ id: string; device_id: string; type: string; severity: AlarmSource['severity']; message: string; started_at: Date }>(
        `SELECT id::text, device_id, type, severity, message, started_at FROM alarms WHERE state = 'active' AND severity IN ('critical', 'major')`,
      );
      return rows.map((r) => ({ id: r.id, deviceId: r.device_id, type: r.type, severity: r.severity, message: r.message, startedAt: r.started_at.getTime() }));
    },

    async alarm(id: string, db: Db = pool): Promise<AlarmSource | null> {
      const { rows } = await db.query<{ id: string; device_id: string; type: string; severity: AlarmSource['severity']; message: string; started_at: Date }>(
        `SELECT id::text, device_id, type, severity, message, started_at FROM alarms WHERE id = $1`,
        [id],
      );
      const r = rows[0];
      return r ? { id: r.id, deviceId: r.device_id, type: r.type, severity: r.severity, message: r.message, startedAt: r.started_at.getTime() } : null;
    },

    /** Fleet-outlier inspections still standing (not answered, not expired). */
    async openInspections(nowMs: number, db: Db = pool): Promise<InspectSource[]> {
      const { rows } = await db.query<{ id: string; device_id: string; reason: string; check: string | null; params: Record<string, unknown> | null; severity: InspectSource['severity']; ts: Date }>(
        `SELECT id, device_id, reason, params->>'check' AS check, params, severity, ts FROM judgments
          WHERE kind = 'inspect' AND status IN ('pending', 'sent') AND expires_at > to_timestamp($1 / 1000.0)`,
        [nowMs],
      );
      return rows.map((r) => ({ judgmentId: r.id, deviceId: r.device_id, reason: r.reason, check: r.check ?? 'inspection', severity: r.severity, ts: r.ts.getTime(), evidence: evidenceOf(r.params) }));
    },

    async inspection(judgmentId: string, db: Db = pool): Promise<InspectSource | null> {
      const { rows } = await db.query<{ id: string; device_id: string; reason: string; check: string | null; params: Record<string, unknown> | null; severity: InspectSource['severity']; ts: Date }>(
        `SELECT id, device_id, reason, params->>'check' AS check, params, severity, ts FROM judgments WHERE id = $1 AND kind = 'inspect'`,
        [judgmentId],
      );
      const r = rows[0];
      return r ? { judgmentId: r.id, deviceId: r.device_id, reason: r.reason, check: r.check ?? 'inspection', severity: r.severity, ts: r.ts.getTime(), evidence: evidenceOf(r.params) } : null;
    },

    async assignments(db: Db = pool): Promise<Map<string, { id: string; name: string }>> {
      const { rows } = await db.query<{ item_key: string; id: string; name: string }>(
        `SELECT a.item_key, u.id::text, u.name FROM inbox_assignments a JOIN users u ON u.id = a.assignee_id`,
      );
      return new Map(rows.map((r) => [r.item_key, { id: r.id, name: r.name }]));
    },

    async assignment(itemKey: string, db: Db = pool): Promise<string | null> {
      const { rows } = await db.query<{ assignee_id: string }>(`SELECT assignee_id::text FROM inbox_assignments WHERE item_key = $1 FOR UPDATE`, [itemKey]);
      return rows[0]?.assignee_id ?? null;
    },

    async assign(itemKey: string, assigneeId: string | null, by: string, atMs: number, db: Db = pool): Promise<void> {
      if (assigneeId === null) {
        await db.query(`DELETE FROM inbox_assignments WHERE item_key = $1`, [itemKey]);
        return;
      }
      await db.query(
        `INSERT INTO inbox_assignments (item_key, assignee_id, assigned_by, assigned_at) VALUES ($1, $2, $3, to_timestamp($4 / 1000.0))
         ON CONFLICT (item_key) DO UPDATE SET assignee_id = EXCLUDED.assignee_id, assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at`,
        [itemKey, assigneeId, by, atMs],
      );
    },

    /** Who can be given work: service users (and admins, who may do anything). */
    async technicians(db: Db = pool): Promise<Technician[]> {
      const { rows } = await db.query<{ id: string; name: string; email: string; role: Technician['role'] }>(
        `SELECT id::text, name, email, role FROM users WHERE role IN ('service', 'admin') AND NOT disabled ORDER BY role DESC, name`,
      );
      return rows;
    },

    async technician(id: string, db: Db = pool): Promise<Technician | null> {
      const { rows } = await db.query<{ id: string; name: string; email: string; role: Technician['role'] }>(
        `SELECT id::text, name, email, role FROM users WHERE id = $1 AND role IN ('service', 'admin') AND NOT disabled`,
        [id],
      );
      return rows[0] ?? null;
    },
  };
}
export type ServiceRepository = ReturnType<typeof createServiceRepository>;
