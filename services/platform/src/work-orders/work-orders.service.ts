import type pg from 'pg';
import type { Logger } from 'pino';
import {
  findModel,
  type CancelWorkOrderBody,
  type CompleteWorkOrderBody,
  type CreateWorkOrderBody,
  type PatchWorkOrderBody,
  type ScheduleWorkOrderBody,
  type WorkOrder,
  type WorkOrderDetail,
  type WorkOrdersQuery,
} from '@airfleet/contracts';
import type { SessionUser } from '../auth/session.ts';
import { withTransaction } from '../db/transaction.ts';
import type { PlatformEvents } from '../events/platform-events.ts';
import { ForbiddenError, InvalidTransitionError, NotFoundError, UnknownTechnicianError, ValidationFailedError, WorkOrderExistsError } from '../http/errors.catalogue.ts';
import type { JudgmentsService } from '../judgments/judgments.service.ts';
import { kitLines } from '../maintenance/maintenance-plan.domain.ts';
import type { MaintenanceRepository } from '../maintenance/maintenance.repository.ts';
import { canMoveRequest } from '../requests/request.domain.ts';
import type { RequestsRepository } from '../requests/requests.repository.ts';
import type { DeviceServiceRepository } from '../rules/device-service.repository.ts';
import { levelsCoveredBy } from '../rules/service-interval.rule.ts';
import type { AuditChanges, ServiceAuditRepository } from '../service/service-audit.repository.ts';
import type { ServiceRepository } from '../service/service.repository.ts';
import type { ResolvedItem } from '../service/service.service.ts';
import { diff, mayAct, nextStatus, type WorkOrderAction } from './work-order.domain.ts';
import type { CustomerScope, LockedWorkOrder, WorkOrderFields, WorkOrdersRepository } from './work-orders.repository.ts';

export interface WorkOrdersServiceDeps {
  pool: pg.Pool;
  workOrders: WorkOrdersRepository;
  maintenance: MaintenanceRepository;
  requests: RequestsRepository;
  service: ServiceRepository;
  audit: ServiceAuditRepository;
  /** Completion sends `service_reset` through the judgments service (it also records the service and clears the overdue alarms). */
  judgments: Pick<JudgmentsService, 'createJudgment'>;
  deviceService: DeviceServiceRepository;
  resolveItem: (key: string) => Promise<ResolvedItem>;
  events?: PlatformEvents;
  /** Where the device's ack to a service reset is heard once across instances (default: events). */
  durableEvents?: PlatformEvents;
  log: Logger;
  clock: () => number;
}

type Client = pg.PoolClient;

function fieldsOf(w: LockedWorkOrder): WorkOrderFields {
  const { id: _id, deviceId: _d, customerId: _c, itemKey: _i, requestId: _r, ...fields } = w;
  return fields;
}

export function createWorkOrdersService(deps: WorkOrdersServiceDeps) {
  const log = deps.log.child({ component: 'work-orders' });

  async function get(id: string, scope: CustomerScope): Promise<WorkOrderDetail> {
    const w = await deps.workOrders.get(id, scope);
    if (!w) throw new NotFoundError(`work order ${id}`);
    const audit = (await deps.audit.list('work_order', [id])).get(id) ?? [];
    return { ...w, audit: audit.map((a) => ({ ...a, action: a.action as WorkOrderDetail['audit'][number]['action'] })) };
  }

  async function emit(id: string): Promise<WorkOrder | null> {
    const w = await deps.workOrders.get(id, null);
    if (w) deps.events?.emit('domain', { type: 'work_order', deviceId: w.deviceId, customerId: w.customerId, payload: w });
    return w;
  }

  async function requireTechnician(id: string): Promise<void> {
    if (!(await deps.service.technician(id))) throw new UnknownTechnicianError(id);
  }

  /**
   * One audited lifecycle step: lock, check who may act and whether the lifecycle allows it,
   * change, write the audit row with the before/after of every changed field, commit, then tell
   * the bus. `after` may do more work inside the same transaction.
   */
  async function step(
    id: string,
    user: SessionUser,
    action: WorkOrderAction,
    change: (w: LockedWorkOrder, now: number, client: Client) => Promise<Partial<WorkOrderFields>> | Partial<WorkOrderFields>,
  ): Promise<WorkOrderDetail> {
    const now = deps.clock();
    await withTransaction(deps.pool, async (client) => {
      const w = await deps.workOrders.lock(id, client);
      if (!w) throw new NotFoundError(`work order ${id}`);
      if (!mayAct({ id: user.id, role: user.role }, action, w.technicianId)) {
        throw new ForbiddenError(action === 'start' || action === 'complete' ? 'only the technician the work order is scheduled to may do this' : `role ${user.role} may not do this`);
      }
      const to = nextStatus(w.status, action);
      if (to === null) throw new InvalidTransitionError(`cannot ${action} a work order that is ${w.status}`);
      const before = fieldsOf(w);
      const after: WorkOrderFields = { ...before, ...(await change(w, now, client)), status: to };
      // The generated-wording flags follow the title and description: not changes of their own.
      const { titleGenerated: _tb, descriptionGenerated: _db, ...auditedBefore } = before;
      const { titleGenerated: _ta, descriptionGenerated: _da, ...auditedAfter } = after;
      const changes: AuditChanges = diff(auditedBefore, auditedAfter);
      await deps.workOrders.update(id, after, now, client);
      await deps.audit.append({ entity: 'work_order', entityId: id, action: action === 'update' ? 'update' : action, actorId: user.id, atMs: now, changes }, client);
    });
    await emit(id);
    return get(id, null);
  }

  // The device's answer to the service_reset lands on the judgment (shown on the order through a
  // join); here it is also written to the order's audit trail, as the device's change.
  const unsubscribe = (deps.durableEvents ?? deps.events)?.on('domain', (e) => {
    if (e.type !== 'judgment') return;
    const j = e.payload;
    if (j.judgment.kind !== 'service_reset' || !j.ack || !['applied', 'rejected', 'ignored'].includes(j.status)) return;
    const workOrderId = j.judgment.params.workOrderId;
    if (!workOrderId || !/^\d{1,18}$/.test(workOrderId)) return;
    void (async () => {
      const w = await deps.workOrders.get(workOrderId, null);
      if (!w || w.deviceId !== j.deviceId) return;
      await deps.audit.append({
        entity: 'work_order',
        entityId: workOrderId,
        action: 'device_ack',
        actorId: null,
        atMs: Date.parse(j.ack!.ts),
        changes: { deviceAck: { before: null, after: { judgmentId: j.judgment.id, result: j.ack!.result, reason: j.ack!.reason } } },
      });
      await emit(workOrderId);
    })().catch((err: Error) => log.warn({ err: err.message, workOrderId }, 'recording the device ack on a work order failed'));
  });

  return {
    get,

    /** Stops listening to the bus (the app's onClose). */
    close(): void {
      unsubscribe?.();
    },

    async list(query: WorkOrdersQuery, scope: CustomerScope) {
      return deps.workOrders.list(query, scope);
    },

    /** From an inbox item (device, title, level taken from it unless given) or by hand. */
    async create(body: CreateWorkOrderBody, user: SessionUser): Promise<WorkOrderDetail> {
      const item = body.itemKey ? await deps.resolveItem(body.itemKey) : null;
      if (item && body.deviceId !== undefined && body.deviceId !== item.deviceId) {
        throw new ValidationFailedError('device does not match the inbox item', [{ path: 'body.deviceId', message: `item ${item.key} is about ${item.deviceId}` }]);
      }
      const deviceId = item?.deviceId ?? body.deviceId!;
      const [device] = await deps.maintenance.devices({ deviceIds: [deviceId] }, null);
      if (!device) throw new NotFoundError(`device ${deviceId}`);
      const level = body.level ?? item?.level ?? null;
      const model = findModel(device.modelId);
      const partsPlanned = body.partsPlanned ?? (level && model ? kitLines(model.servicePlan, level) : []);
      const now = deps.clock();
      const id = await withTransaction(deps.pool, async (client) => {
        if (item) {
          const live = await deps.workOrders.liveForItem(item.key, client);
          if (live) throw new WorkOrderExistsError(`inbox item ${item.key} already has work order ${live}`);
        }
        const fields = {
          deviceId,
          title: body.title ?? item!.title,
          description: body.description ?? item?.details ?? '',
          level,
          itemKey: item?.key ?? null,
          requestId: item?.requestId ?? null,
          partsPlanned,
        };
        const wording = {
          subject: item?.subject ?? null,
          titleGenerated: item !== null && body.title === undefined,
          descriptionGenerated: item !== null && body.description === undefined,
        };
        const newId = await deps.workOrders.insert({ ...fields, ...wording, createdBy: user.id, atMs: now }, client).catch((err: { code?: string }) => {
          // Two people creating from the same item at once: the partial unique index decides.
          if (err.code === '23505') throw new WorkOrderExistsError(`inbox item ${item?.key} already has a work order`);
          throw err;
        });
        await deps.audit.append({ entity: 'work_order', entityId: newId, action: 'create', actorId: user.id, atMs: now, changes: diff({}, { ...fields, status: 'open' }) }, client);
        return newId;
      });
      await emit(id);
      return get(id, null);
    },

    async update(id: string, body: PatchWorkOrderBody, user: SessionUser): Promise<WorkOrderDetail> {
      // Sending the stored wording back unchanged keeps it generated (an edit form posts every field).
      return step(id, user, 'update', (w) => ({
        ...(body.title !== undefined && body.title !== w.title ? { title: body.title, titleGenerated: false } : {}),
        ...(body.description !== undefined && body.description !== w.description ? { description: body.description, descriptionGenerated: false } : {}),
        ...(body.level !== undefined ? { level: body.level } : {}),
        ...(body.partsPlanned !== undefined ? { partsPlanned: body.partsPlanned } : {}),
      }));
    },

    /** Date and technician; the inbox item follows the technician, a linked request becomes `scheduled`. */
    async schedule(id: string, body: ScheduleWorkOrderBody, user: SessionUser): Promise<WorkOrderDetail> {
      await requireTechnician(body.technicianId);
      return step(id, user, 'schedule', async (w, now, client) => {
        if (w.itemKey) {
          const before = await deps.service.assignment(w.itemKey, client);
          if (before !== body.technicianId) {
            await deps.service.assign(w.itemKey, body.technicianId, user.id, now, client);
            await deps.audit.append({ entity: 'inbox_item', entityId: w.itemKey, action: 'assign', actorId: user.id, atMs: now, changes: { assigneeId: { before, after: body.technicianId } } }, client);
          }
        }
        if (w.requestId) {
          const r = await deps.requests.lock(w.requestId, null, client);
          if (r && r.status !== 'scheduled' && canMoveRequest(r.status, 'scheduled')) {
            const note = `Service visit scheduled for ${body.scheduledFor.slice(0, 10)}`;
            await deps.requests.setStatus(w.requestId, 'scheduled', note, now, client);
            await deps.audit.append(
              { entity: 'request', entityId: w.requestId, action: 'status', actorId: user.id, atMs: now, changes: { status: { before: r.status, after: 'scheduled' }, note: { before: r.statusNote, after: note } } },
              client,
            );
          }
        }
        return { scheduledFor: new Date(body.scheduledFor).toISOString(), technicianId: body.technicianId };
      });
    },

    async start(id: string, user: SessionUser): Promise<WorkOrderDetail> {
      return step(id, user, 'start', (_w, now) => ({ startedAt: new Date(now).toISOString() }));
    },

    /**
     * Records what was done and closes the loop to the machine. The order is locked while
     * the judgments service sends `service_reset` (its own transaction: it records the service
     * for the level and every level it covers, ends the service_overdue alarms and publishes
     * to the device), then the order is marked done in the same transaction that held the lock.
     * If that last step failed, the device would have its reset but the order stay in progress:
     * completing it again sends a new reset, which supersedes the first — safe to repeat.
     */
    async complete(id: string, body: CompleteWorkOrderBody, user: SessionUser): Promise<WorkOrderDetail> {
      const technicianId = body.technicianId ?? user.id;
      if (body.technicianId !== undefined) await requireTechnician(body.technicianId);
      return step(id, user, 'complete', async (w, now, client) => {
        const [device] = await deps.maintenance.devices({ deviceIds: [w.deviceId] }, null, client);
        const model = device ? findModel(device.modelId) : undefined;
        const partsUsed = body.partsUsed ?? (model ? kitLines(model.servicePlan, body.level) : []);
        const judgment = await deps.judgments.createJudgment({
          deviceId: w.deviceId,
          kind: 'service_reset',
          params: { level: body.level, workOrderId: id },
          severity: 'info',
          reason: `Service ${body.level} done at ${body.runningHours} running hours (work order ${id})`,
          source: 'manual',
          createdBy: user.id,
        });
        // The judgments service takes the hours from the device's newest telemetry; a machine that
        // never reported has none, so the technician's reading is recorded instead.
        if (device && device.latest?.runningHours == null) {
          await deps.deviceService.recordService(w.deviceId, levelsCoveredBy(body.level), body.runningHours, now, client);
        }
        // The inbox tasks this service settles: the item itself and every plan level it covers.
        const settled = [...(w.itemKey ? [w.itemKey] : []), ...levelsCoveredBy(body.level).map((l) => `maintenance:${w.deviceId}:${l}`)];
        for (const key of new Set(settled)) {
          const before = await deps.service.assignment(key, client);
          if (before === null) continue;
          await deps.service.assign(key, null, user.id, now, client);
          await deps.audit.append({ entity: 'inbox_item', entityId: key, action: 'settle', actorId: user.id, atMs: now, changes: { assigneeId: { before, after: null } } }, client);
        }
        return {
          completedAt: new Date(now).toISOString(),
          level: w.level ?? body.level,
          completion: { runningHours: body.runningHours, level: body.level, partsUsed, notes: body.notes, technicianId },
          judgmentId: judgment.judgment.id,
        };
      });
    },

    async cancel(id: string, body: CancelWorkOrderBody, user: SessionUser): Promise<WorkOrderDetail> {
      return step(id, user, 'cancel', (_w, now) => ({ cancelledAt: new Date(now).toISOString(), cancelReason: body.reason }));
    },
  };
}
export type WorkOrdersService = ReturnType<typeof createWorkOrdersService>;
