import type pg from 'pg';
import { findModel, type createRequestBodySchema, type RequestsQuery, type RequestStatusBody, type ServiceRequest } from '@airfleet/contracts';
import type { z } from 'zod';
import type { SessionUser } from '../auth/session.ts';
import { withTransaction } from '../db/transaction.ts';
import type { PlatformEvents } from '../events/platform-events.ts';
import { InvalidTransitionError, NotFoundError, ValidationFailedError } from '../http/errors.catalogue.ts';
import type { MaintenanceRepository } from '../maintenance/maintenance.repository.ts';
import type { ServiceAuditRepository } from '../service/service-audit.repository.ts';
import { canMoveRequest } from './request.domain.ts';
import type { CustomerScope, RequestsRepository } from './requests.repository.ts';

export interface RequestsServiceDeps {
  pool: pg.Pool;
  requests: RequestsRepository;
  maintenance: MaintenanceRepository;
  audit: ServiceAuditRepository;
  events?: PlatformEvents;
  clock: () => number;
}

type CreateBody = z.output<typeof createRequestBodySchema>;

export function createRequestsService(deps: RequestsServiceDeps) {
  async function get(id: string, scope: CustomerScope): Promise<ServiceRequest> {
    const found = await deps.requests.get(id, scope);
    if (!found) throw new NotFoundError(`request ${id}`);
    const audit = (await deps.audit.list('request', [id])).get(id) ?? [];
    const history = audit
      .filter((a) => a.changes.status !== undefined)
      .map((a) => ({
        at: a.at,
        status: a.changes.status!.after as ServiceRequest['status'],
        note: (a.changes.note?.after as string | null | undefined) ?? null,
        actor: a.actor,
      }));
    return { ...found, history };
  }

  const emit = (r: ServiceRequest): void => deps.events?.emit('domain', { type: 'service_request', deviceId: r.deviceId, customerId: r.customerId, payload: r });

  return {
    get,

    /** A customer for their own machines; service and admin on a customer's behalf. */
    async create(body: CreateBody, user: SessionUser, scope: CustomerScope): Promise<ServiceRequest> {
      const [device] = await deps.maintenance.devices({ deviceIds: [body.deviceId] }, scope);
      if (!device) throw new NotFoundError(`device ${body.deviceId}`);
      let attachment: ServiceRequest['attachment'] = null;
      if (body.attachment) {
        const { parts, kit } = body.attachment;
        attachment = {};
        if (parts && parts.length > 0) attachment.parts = parts;
        if (kit) {
          const model = findModel(kit.modelId);
          const level = model?.servicePlan.levels.find((l) => l.level === kit.level);
          if (!model || !level) throw new ValidationFailedError('unknown kit', [{ path: 'body.attachment.kit', message: `no ${kit.level} kit for model ${kit.modelId}` }]);
          attachment.kit = { modelId: kit.modelId, level: kit.level, partNumbers: [...level.kit] };
        }
      }
      const now = deps.clock();
      const id = await withTransaction(deps.pool, async (client) => {
        const newId = await deps.requests.insert({ deviceId: body.deviceId, kind: body.kind, message: body.message, attachment, createdBy: user.id, atMs: now }, client);
        await deps.audit.append(
          { entity: 'request', entityId: newId, action: 'create', actorId: user.id, atMs: now, changes: { status: { before: null, after: 'open' }, kind: { before: null, after: body.kind } } },
          client,
        );
        return newId;
      });
      const created = await get(id, null);
      emit(created);
      return created;
    },

    async list(query: RequestsQuery, scope: CustomerScope): Promise<{ items: ServiceRequest[]; total: number }> {
      const { items, total } = await deps.requests.list(query, scope);
      const audit = await deps.audit.list('request', items.map((i) => i.id));
      return {
        items: items.map((r) => ({
          ...r,
          history: (audit.get(r.id) ?? [])
            .filter((a) => a.changes.status !== undefined)
            .map((a) => ({ at: a.at, status: a.changes.status!.after as ServiceRequest['status'], note: (a.changes.note?.after as string | null | undefined) ?? null, actor: a.actor })),
        })),
        total,
      };
    },

    /** Service/admin move a request on; the note is what the customer reads. */
    async setStatus(id: string, body: RequestStatusBody, user: SessionUser): Promise<ServiceRequest> {
      const now = deps.clock();
      await withTransaction(deps.pool, async (client) => {
        const current = await deps.requests.lock(id, null, client);
        if (!current) throw new NotFoundError(`request ${id}`);
        if (!canMoveRequest(current.status, body.status)) throw new InvalidTransitionError(`a ${current.status} request cannot become ${body.status}`);
        const note = body.note ?? null;
        await deps.requests.setStatus(id, body.status, note, now, client);
        await deps.audit.append(
          { entity: 'request', entityId: id, action: 'status', actorId: user.id, atMs: now, changes: { status: { before: current.status, after: body.status }, note: { before: current.statusNote, after: note } } },
          client,
        );
      });
      const updated = await get(id, null);
      emit(updated);
      return updated;
    },
  };
}
export type RequestsService = ReturnType<typeof createRequestsService>;
