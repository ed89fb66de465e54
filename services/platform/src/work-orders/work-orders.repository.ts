import type pg from 'pg';
import type { InboxSubject, PartQuantity, WorkOrder, WorkOrdersQuery, WorkOrderStatus } from '@airfleet/contracts';
import { toDeviceRef, type DeviceRefRow } from '../maintenance/maintenance.repository.ts';
import type { WorkOrderLink } from '../service/inbox.domain.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;
export type CustomerScope = string | null;
type Level = 'first' | 'A' | 'B' | 'C';

/** The stored fields people change; the audit diff is taken over these. */
export interface WorkOrderFields {
  title: string;
  description: string;
  /** Still the English wording of the item's subject (nobody typed them). */
  titleGenerated: boolean;
  descriptionGenerated: boolean;
  level: Level | null;
  status: WorkOrderStatus;
  partsPlanned: PartQuantity[];
  scheduledFor: string | null;
  technicianId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  completion: { runningHours: number; level: Level; partsUsed: PartQuantity[]; notes: string; technicianId: string } | null;
  judgmentId: string | null;
}

export interface LockedWorkOrder extends WorkOrderFields {
  id: string;
  deviceId: string;
  customerId: string;
  itemKey: string | null;
  requestId: string | null;
}

interface Row extends DeviceRefRow {
  id: string;
  title: string;
  description: string;
  subject: InboxSubject | null;
  title_generated: boolean;
  description_generated: boolean;
  level: Level | null;
  status: WorkOrderStatus;
  item_key: string | null;
  request_id: string | null;
  parts_planned: PartQuantity[];
  scheduled_for: Date | null;
  technician_id: string | null;
  technician_name: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  completion: WorkOrderFields['completion'];
  completion_tech_name: string | null;
  judgment_id: string | null;
  judgment_status: NonNullable<WorkOrder['serviceReset']>['status'] | null;
  ack_result: 'applied' | 'rejected' | 'ignored' | null;
  ack_reason: string | null;
  ack_ts: Date | null;
}

const SELECT = `SELECT w.id::text, w.device_id, d.serial, d.model_id, s.id AS site_id, s.name AS site_name, c.id AS customer_id, c.name AS customer_name,
       w.title, w.description, w.subject, w.title_generated, w.description_generated, w.level, w.status, w.item_key, w.request_id::text, w.parts_planned, w.scheduled_for,
       w.technician_id::text, t.name AS technician_name, w.created_by::text, cb.name AS created_by_name, w.created_at, w.updated_at,
       w.started_at, w.completed_at, w.cancelled_at, w.cancel_reason, w.completion, ct.name AS completion_tech_name,
       w.judgment_id, j.status AS judgment_status, j.ack_result, j.ack_reason, j.ack_ts
  FROM work_orders w
  JOIN devices d ON d.id = w.device_id JOIN sites s ON s.id = d.site_id JOIN customers c ON c.id = s.customer_id
  LEFT JOIN users t ON t.id = w.technician_id
  LEFT JOIN users cb ON cb.id = w.created_by
  LEFT JOIN users ct ON ct.id = (w.completion->>'technicianId')::uuid
  LEFT JOIN judgments j ON j.id = w.judgment_id`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toWorkOrder(r: Row): WorkOrder {
  return {
    id: r.id,
    ...toDeviceRef(r),
    title: r.title,
    description: r.description,
    subject: r.subject,
    titleGenerated: r.subject !== null && r.title_generated,
    descriptionGenerated: r.subject !== null && r.description_generated,
    level: r.level,
    status: r.status,
    itemKey: r.item_key,
    requestId: r.request_id,
    partsPlanned: r.parts_planned,
    scheduledFor: iso(r.scheduled_for),
    technician: r.technician_id ? { id: r.technician_id, name: r.technician_name ?? '' } : null,
    createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    startedAt: iso(r.started_at),
    completedAt: iso(r.completed_at),
    cancelledAt: iso(r.cancelled_at),
    cancelReason: r.cancel_reason,
    completion: r.completion
      ? {
          runningHours: r.completion.runningHours,
          level: r.completion.level,
          partsUsed: r.completion.partsUsed,
          notes: r.completion.notes,
          technician: { id: r.completion.technicianId, name: r.completion_tech_name ?? '' },
        }
      : null,
    serviceReset:
      r.judgment_id && r.judgment_status
        ? {
            judgmentId: r.judgment_id,
            status: r.judgment_status,
            ack: r.ack_result && r.ack_ts ? { result: r.ack_result, reason: r.ack_reason, ts: r.ack_ts.toISOString() } : null,
          }
        : null,
  };
}

export function createWorkOrdersRepository(pool: pg.Pool) {
  return {
    async insert(
      w: {
        deviceId: string;
        title: string;
        description: string;
        subject: InboxSubject | null;
        titleGenerated: boolean;
        descriptionGenerated: boolean;
        level: Level | null;
        itemKey: string | null;
        requestId: string | null;
        partsPlanned: PartQuantity[];
        createdBy: string;
        atMs: number;
      },
      db: Db = pool,
    ): Promise<string> {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO work_orders (device_id, title, description, subject, title_generated, description_generated, level, status, item_key, request_id, parts_planned, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, 'open', $8, $9, $10::jsonb, $11, to_timestamp($12 / 1000.0), to_timestamp($12 / 1000.0)) RETURNING id::text`,
        [
          w.deviceId,
          w.title,
          w.description,
          w.subject === null ? null : JSON.stringify(w.subject),
          w.titleGenerated,
          w.descriptionGenerated,
          w.level,
          w.itemKey,
          w.requestId,
          JSON.stringify(w.partsPlanned),
          w.createdBy,
          w.atMs,
        ],
      );
      return rows[0]!.id;
    },

    /**
     * The live work order of an inbox item, if any. For a maintenance visit
     * (`maintenance:<device>:<level>`) any live maintenance order of the machine counts,
     * whatever level it was made for: a machine gets one visit (the inbox links it the same way).
     */
    async liveForItem(itemKey: string, db: Db = pool): Promise<string | null> {
      const visit = /^maintenance:([^:]+):[^:]+$/.exec(itemKey);
      const { rows } = visit
        ? await db.query<{ id: string }>(
            `SELECT id::text FROM work_orders WHERE item_key IN ('maintenance:' || $1 || ':first', 'maintenance:' || $1 || ':A', 'maintenance:' || $1 || ':B', 'maintenance:' || $1 || ':C')
               AND status IN ('open', 'scheduled', 'in_progress') ORDER BY created_at DESC LIMIT 1`,
            [visit[1]],
          )
        : await db.query<{ id: string }>(`SELECT id::text FROM work_orders WHERE item_key = $1 AND status IN ('open', 'scheduled', 'in_progress')`, [itemKey]);
      return rows[0]?.id ?? null;
    },

    async get(id: string, scope: CustomerScope, db: Db = pool): Promise<WorkOrder | null> {
      const { rows } = await db.query<Row>(`${SELECT} WHERE w.id = $1 AND ($2::text IS NULL OR c.id = $2)`, [id, scope]);
      return rows[0] ? toWorkOrder(rows[0]) : null;
    },

    async lock(id: string, db: Db): Promise<LockedWorkOrder | null> {
      const { rows } = await db.query<Row>(`${SELECT} WHERE w.id = $1 FOR UPDATE OF w`, [id]);
      const r = rows[0];
      if (!r) return null;
      return {
        id: r.id,
        deviceId: r.device_id,
        customerId: r.customer_id,
        itemKey: r.item_key,
        requestId: r.request_id,
        title: r.title,
        description: r.description,
        titleGenerated: r.title_generated,
        descriptionGenerated: r.description_generated,
        level: r.level,
        status: r.status,
        partsPlanned: r.parts_planned,
        scheduledFor: iso(r.scheduled_for),
        technicianId: r.technician_id,
        startedAt: iso(r.started_at),
        completedAt: iso(r.completed_at),
        cancelledAt: iso(r.cancelled_at),
        cancelReason: r.cancel_reason,
        completion: r.completion,
        judgmentId: r.judgment_id,
      };
    },

    async update(id: string, f: WorkOrderFields, atMs: number, db: Db): Promise<void> {
      await db.query(
        `UPDATE work_orders SET title = $2, description = $3, level = $4, status = $5, parts_planned = $6::jsonb, scheduled_for = $7,
                technician_id = $8, started_at = $9, completed_at = $10, cancelled_at = $11, cancel_reason = $12, completion = $13::jsonb,
                judgment_id = $14, updated_at = to_timestamp($15 / 1000.0), title_generated = $16, description_generated = $17
          WHERE id = $1`,
        [
          id,
          f.title,
          f.description,
          f.level,
          f.status,
          JSON.stringify(f.partsPlanned),
          f.scheduledFor,
          f.technicianId,
          f.startedAt,
          f.completedAt,
          f.cancelledAt,
          f.cancelReason,
          f.completion === null ? null : JSON.stringify(f.completion),
          f.judgmentId,
          atMs,
          f.titleGenerated,
          f.descriptionGenerated,
        ],
      );
    },

    async list(q: WorkOrdersQuery, scope: CustomerScope, db: Db = pool): Promise<{ items: WorkOrder[]; total: number }> {
      const where = `WHERE ($1::text IS NULL OR c.id = $1) AND ($2::text IS NULL OR w.status = $2) AND ($3::text IS NULL OR w.device_id = $3)
        AND ($4::text IS NULL OR s.id = $4) AND ($5::text IS NULL OR c.id = $5) AND ($6::uuid IS NULL OR w.technician_id = $6)`;
      const params = [scope, q.status ?? null, q.deviceId ?? null, q.siteId ?? null, q.customerId ?? null, q.assigneeId ?? null];
      const [list, count] = await Promise.all([
        db.query<Row>(`${SELECT} ${where} ORDER BY w.created_at DESC, w.id DESC LIMIT $7 OFFSET $8`, [...params, q.limit, q.offset]),
        db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM work_orders w JOIN devices d ON d.id = w.device_id JOIN sites s ON s.id = d.site_id JOIN customers c ON c.id = s.customer_id ${where}`,
          params,
        ),
      ]);
      return { items: list.rows.map(toWorkOrder), total: Number(count.rows[0]?.n ?? 0) };
    },

    /** Newest work order per inbox item key (inbox links). */
    async linksByItem(db: Db = pool): Promise<Map<string, WorkOrderLink>> {
      const { rows } = await db.query<{ item_key: string; id: string; status: WorkOrderStatus; completed_at: Date | null; level: Level | null }>(
        `SELECT DISTINCT ON (item_key) item_key, id::text, status, completed_at, level FROM work_orders WHERE item_key IS NOT NULL ORDER BY item_key, created_at DESC, id DESC`,
      );
      return new Map(rows.map((r) => [r.item_key, { id: r.id, status: r.status, completedAt: r.completed_at?.getTime() ?? null, level: r.level }]));
    },

    /** Scheduled and in-progress orders up to `toMs` (calendar). */
    async scheduled(toMs: number, filter: { technicianId?: string; siteId?: string }, db: Db = pool): Promise<WorkOrder[]> {
      const { rows } = await db.query<Row>(
        `${SELECT} WHERE w.status IN ('scheduled', 'in_progress') AND w.scheduled_for <= to_timestamp($1 / 1000.0)
           AND ($2::uuid IS NULL OR w.technician_id = $2) AND ($3::text IS NULL OR s.id = $3) ORDER BY w.scheduled_for`,
        [toMs, filter.technicianId ?? null, filter.siteId ?? null],
      );
      return rows.map(toWorkOrder);
    },

    /** The work order a service_reset judgment was sent for. */
    async byJudgment(judgmentId: string, db: Db = pool): Promise<{ id: string; deviceId: string } | null> {
      const { rows } = await db.query<{ id: string; device_id: string }>(`SELECT id::text, device_id FROM work_orders WHERE judgment_id = $1`, [judgmentId]);
      return rows[0] ? { id: rows[0].id, deviceId: rows[0].device_id } : null;
    },
  };
}
export type WorkOrdersRepository = ReturnType<typeof createWorkOrdersRepository>;
