import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

export type AuditEntity = 'work_order' | 'request' | 'inbox_item';
export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditRow {
  id: string;
  at: string;
  actor: { id: string; name: string } | null;
  action: string;
  changes: AuditChanges;
}

/** The append-only trail of the service features (who, when, what). */
export function createServiceAuditRepository(pool: pg.Pool) {
  return {
    async append(entry: { entity: AuditEntity; entityId: string; action: string; actorId: string | null; atMs: number; changes: AuditChanges }, db: Db = pool): Promise<void> {
      await db.query(
        `INSERT INTO service_audit (entity, entity_id, action, actor_id, at, changes) VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6::jsonb)`,
        [entry.entity, entry.entityId, entry.action, entry.actorId, entry.atMs, JSON.stringify(entry.changes)],
      );
    },

    async list(entity: AuditEntity, entityIds: readonly string[], db: Db = pool): Promise<Map<string, AuditRow[]>> {
      const out = new Map<string, AuditRow[]>();
      if (entityIds.length === 0) return out;
      const { rows } = await db.query<{ id: string; entity_id: string; at: Date; actor_id: string | null; actor_name: string | null; action: string; changes: AuditChanges }>(
        `SELECT a.id::text, a.entity_id, a.at, a.actor_id::text, u.name AS actor_name, a.action, a.changes
           FROM service_audit a LEFT JOIN users u ON u.id = a.actor_id
          WHERE a.entity = $1 AND a.entity_id = ANY($2::text[])
          ORDER BY a.id`,
        [entity, entityIds],
      );
      for (const r of rows) {
        const list = out.get(r.entity_id) ?? [];
        list.push({ id: r.id, at: r.at.toISOString(), actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null, action: r.action, changes: r.changes });
        out.set(r.entity_id, list);
      }
      return out;
    },
  };
}
export type ServiceAuditRepository = ReturnType<typeof createServiceAuditRepository>;
