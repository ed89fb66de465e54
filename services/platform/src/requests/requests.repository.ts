import type pg from 'pg';
import type { RequestsQuery, RequestStatus, ServiceRequest } from '@airfleet/contracts';
import type { RequestSource } from '../service/inbox.domain.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;
export type CustomerScope = string | null;

interface RequestRow {
  id: string;
  device_id: string;
  serial: string;
  model_id: string;
  site_id: string;
  customer_id: string;
  kind: ServiceRequest['kind'];
  message: string;
  attachment: ServiceRequest['attachment'];
  status: RequestStatus;
  status_note: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
  work_order_id: string | null;
}

const SELECT = `SELECT r.id::text, r.device_id, d.serial, d.model_id, s.id AS site_id, s.customer_id, r.kind, r.message, r.attachment,
       r.status, r.status_note, r.created_by::text, u.name AS created_by_name, r.created_at, r.updated_at,
       (SELECT w.id::text FROM work_orders w WHERE w.request_id = r.id ORDER BY w.created_at DESC LIMIT 1) AS work_order_id
  FROM service_requests r JOIN devices d ON d.id = r.device_id JOIN sites s ON s.id = d.site_id
  LEFT JOIN users u ON u.id = r.created_by`;

function toRequest(r: RequestRow): Omit<ServiceRequest, 'history'> {
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceSerial: r.serial,
    modelId: r.model_id,
    siteId: r.site_id,
    customerId: r.customer_id,
    kind: r.kind,
    message: r.message,
    attachment: r.attachment,
    status: r.status,
    statusNote: r.status_note,
    createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    workOrderId: r.work_order_id,
  };
}

export function createRequestsRepository(pool: pg.Pool) {
  return {
    async insert(r: { deviceId: string; kind: ServiceRequest['kind']; message: string; attachment: ServiceRequest['attachment']; createdBy: string; atMs: number }, db: Db = pool): Promise<string> {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO service_requests (device_id, kind, message, attachment, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, 'open', $5, to_timestamp($6 / 1000.0), to_timestamp($6 / 1000.0)) RETURNING id::text`,
        [r.deviceId, r.kind, r.message, r.attachment === null ? null : JSON.stringify(r.attachment), r.createdBy, r.atMs],
      );
      return rows[0]!.id;
    },

    async get(id: string, scope: CustomerScope, db: Db = pool): Promise<Omit<ServiceRequest, 'history'> | null> {
      const { rows } = await db.query<RequestRow>(`${SELECT} WHERE r.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`, [id, scope]);
      return rows[0] ? toRequest(rows[0]) : null;
    },

    /** Locks the row for a status change. */
    async lock(id: string, scope: CustomerScope, db: Db): Promise<{ status: RequestStatus; statusNote: string | null } | null> {
      const { rows } = await db.query<{ status: RequestStatus; status_note: string | null }>(
        `SELECT r.status, r.status_note FROM service_requests r JOIN devices d ON d.id = r.device_id JOIN sites s ON s.id = d.site_id
          WHERE r.id = $1 AND ($2::text IS NULL OR s.customer_id = $2) FOR UPDATE OF r`,
        [id, scope],
      );
      return rows[0] ? { status: rows[0].status, statusNote: rows[0].status_note } : null;
    },

    async setStatus(id: string, status: RequestStatus, note: string | null, atMs: number, db: Db): Promise<void> {
      await db.query(`UPDATE service_requests SET status = $2, status_note = $3, updated_at = to_timestamp($4 / 1000.0) WHERE id = $1`, [id, status, note, atMs]);
    },

    async list(q: RequestsQuery, scope: CustomerScope, db: Db = pool): Promise<{ items: Array<Omit<ServiceRequest, 'history'>>; total: number }> {
      const where = `WHERE ($1::text IS NULL OR s.customer_id = $1) AND ($2::text IS NULL OR r.status = $2) AND ($3::text IS NULL OR r.kind = $3)
        AND ($4::text IS NULL OR r.device_id = $4) AND ($5::text IS NULL OR s.customer_id = $5)`;
      const params = [scope, q.status ?? null, q.kind ?? null, q.deviceId ?? null, q.customerId ?? null];
      const [list, count] = await Promise.all([
        db.query<RequestRow>(`${SELECT} ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT $6 OFFSET $7`, [...params, q.limit, q.offset]),
        db.query<{ n: string }>(`SELECT count(*)::text AS n FROM service_requests r JOIN devices d ON d.id = r.device_id JOIN sites s ON s.id = d.site_id ${where}`, params),
      ]);
      return { items: list.rows.map(toRequest), total: Number(count.rows[0]?.n ?? 0) };
    },

    /** Requests still waiting for the service team (inbox source). */
    async openForInbox(db: Db = pool): Promise<RequestSource[]> {
      const { rows } = await db.query<{ id: string; device_id: string; kind: RequestSource['kind']; status: RequestSource['status']; message: string; level: RequestSource['level']; created_at: Date }>(
        `SELECT id::text, device_id, kind, status, message, attachment #>> '{kit,level}' AS level, created_at
           FROM service_requests WHERE status NOT IN ('closed', 'rejected')`,
      );
      return rows.map((r) => ({ id: r.id, deviceId: r.device_id, kind: r.kind, status: r.status, message: r.message, level: r.level, createdAt: r.created_at.getTime() }));
    },
  };
}
export type RequestsRepository = ReturnType<typeof createRequestsRepository>;
