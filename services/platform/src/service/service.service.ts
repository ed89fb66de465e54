import type pg from 'pg';
import type { CalendarEntry, CalendarQuery, CalendarResponse, InboxAssignBody, InboxQuery, InboxResponse, InboxSubject, Technician } from '@airfleet/contracts';
import type { SessionUser } from '../auth/session.ts';
import { withTransaction } from '../db/transaction.ts';
import { NotFoundError, UnknownTechnicianError } from '../http/errors.catalogue.ts';
import type { MaintenanceService } from '../maintenance/maintenance.service.ts';
import type { RequestsRepository } from '../requests/requests.repository.ts';
import type { WorkOrdersRepository } from '../work-orders/work-orders.repository.ts';
import { DEFAULT_MAINTENANCE_HORIZON } from '../maintenance/maintenance-plan.domain.ts';
import { maintenanceItemKey } from '../maintenance/next-service.domain.ts';
import { buildInbox, levelTitle, maintenanceLink, maintenanceSubject, parseItemKey, type DeviceContext } from './inbox.domain.ts';
import type { ServiceAuditRepository } from './service-audit.repository.ts';
import type { ServiceRepository } from './service.repository.ts';

export interface ServiceServiceDeps {
  pool: pg.Pool;
  service: ServiceRepository;
  maintenance: MaintenanceService;
  requests: RequestsRepository;
  workOrders: WorkOrdersRepository;
  audit: ServiceAuditRepository;
  clock: () => number;
}

/** What a work order created from an inbox item starts from. */
export interface ResolvedItem {
  key: string;
  deviceId: string;
  title: string;
  details: string;
  /** What the item is about, as data: the work order keeps it so readers see its title in their language. */
  subject: InboxSubject;
  level: 'first' | 'A' | 'B' | 'C' | null;
  requestId: string | null;
}

const DAY_MS = 86_400_000;

export function createServiceService(deps: ServiceServiceDeps) {
  return {
    /** GET /api/service/inbox: gathers every source, the pure inbox domain ranks and filters. */
    async inbox(q: InboxQuery): Promise<InboxResponse> {
      const now = deps.clock();
      const horizon = { days: q.horizonDays, hours: q.horizonHours };
      const [plans, alarms, inspections, requests, assignments, workOrders] = await Promise.all([
        deps.maintenance.plans({ region: q.region, siteId: q.siteId, customerId: q.customerId }, null, horizon),
        deps.service.activeAlarms(),
        deps.service.openInspections(now),
        deps.requests.openForInbox(),
        deps.service.assignments(),
        deps.workOrders.linksByItem(),
      ]);
      const devices = new Map<string, DeviceContext>(plans.map((p) => [p.device.deviceId, p.device]));
      const all = buildInbox({ devices, alarms, plans: plans.map((p) => p.plan), inspections, requests, assignments, workOrders }, now, {
        region: q.region,
        siteId: q.siteId,
        customerId: q.customerId,
        assigneeId: q.assigneeId,
        unassigned: q.unassigned,
        kind: q.kind,
        includeInWork: q.includeInWork,
      });
      return { items: all.slice(0, q.limit), total: all.length, generatedAt: new Date(now).toISOString(), horizonDays: q.horizonDays };
    },

    async technicians(): Promise<Technician[]> {
      return deps.service.technicians();
    },

    /** Puts a technician on an item (or takes them off); audited like every change. */
    async assign(body: InboxAssignBody, user: SessionUser): Promise<{ itemKey: string; assignee: { id: string; name: string } | null }> {
      const tech = body.assigneeId === null ? null : await deps.service.technician(body.assigneeId);
      if (body.assigneeId !== null && !tech) throw new UnknownTechnicianError(body.assigneeId);
      // The item must exist (now or in the past): refuse keys that point at nothing.
      await this.resolveItem(body.itemKey);
      const now = deps.clock();
      await withTransaction(deps.pool, async (client) => {
        const before = await deps.service.assignment(body.itemKey, client);
        await deps.service.assign(body.itemKey, body.assigneeId, user.id, now, client);
        await deps.audit.append(
          { entity: 'inbox_item', entityId: body.itemKey, action: 'assign', actorId: user.id, atMs: now, changes: { assigneeId: { before, after: body.assigneeId } } },
          client,
        );
      });
      return { itemKey: body.itemKey, assignee: tech ? { id: tech.id, name: tech.name } : null };
    },

    /** An item key → the device and text a work order starts from; 404 when it points at nothing. */
    async resolveItem(key: string): Promise<ResolvedItem> {
      const parsed = parseItemKey(key);
      if (!parsed) throw new NotFoundError(`inbox item ${key}`);
      switch (parsed.kind) {
        case 'alarm': {
          const a = await deps.service.alarm(parsed.alarmId);
          if (!a) break;
          return {
            key,
            deviceId: a.deviceId,
            title: a.message,
            details: `Alarm ${a.type} (${a.severity})`,
            subject: { kind: 'alarm', alarmType: a.type, alarmSeverity: a.severity },
            level: null,
            requestId: null,
          };
        }
        case 'inspect': {
          const j = await deps.service.inspection(parsed.judgmentId);
          if (!j) break;
          return { key, deviceId: j.deviceId, title: `Inspect: ${j.check}`, details: j.reason, subject: { kind: 'inspect', check: j.check, ...j.evidence }, level: null, requestId: null };
        }
        case 'request': {
          const r = await deps.requests.get(parsed.requestId, null);
          if (!r) break;
          return {
            key,
            deviceId: r.deviceId,
            title: r.kind === 'parts_quote' ? 'Parts quote requested' : 'Service requested',
            details: r.message,
            subject: { kind: 'request', requestKind: r.kind, requestStatus: r.status, message: r.message },
            level: r.attachment?.kit?.level ?? null,
            requestId: r.id,
          };
        }
        case 'maintenance': {
          const plan = (await deps.maintenance.plans({ deviceIds: [parsed.deviceId] }, null, DEFAULT_MAINTENANCE_HORIZON))[0];
          const level = plan?.plan.levels.find((l) => l.level === parsed.level);
          if (!plan || !level) break;
          const next = plan.plan.nextService;
          // The key names the performed level of the next visit; a key of another level still resolves (a hand-made order).
          const includes = next && next.level === parsed.level ? next.includes : [];
          return {
            key,
            deviceId: parsed.deviceId,
            title: `${levelTitle(parsed.level)} service${includes.length > 0 ? ` (includes ${includes.join(', ')})` : ''}`,
            details: level.description,
            subject: {
              kind: 'maintenance',
              level: parsed.level,
              includes,
              due: null,
              nextDueHours: level.nextDueHours,
              nextDueByDate: level.nextDueByDate,
              dueInHours: level.dueInHours,
              dueInDays: level.dueInDays,
              hoursPerDay: plan.plan.hoursPerDay,
            },
            level: parsed.level,
            requestId: null,
          };
        }
        case 'condition': {
          const plan = (await deps.maintenance.plans({ deviceIds: [parsed.deviceId] }, null, DEFAULT_MAINTENANCE_HORIZON))[0];
          if (!plan) break;
          const title = parsed.task === 'separator' ? 'Replace oil separator element' : 'Replace air-filter element';
          const task = plan.plan.conditionTasks.find((t) => t.task === parsed.task);
          return {
            key,
            deviceId: parsed.deviceId,
            title,
            details: task ? task.title : title,
            subject: { kind: 'condition', task: parsed.task, value: task?.value ?? null, unit: parsed.task === 'separator' ? 'bar' : 'mbar', replaceAt: task?.replaceAt ?? null },
            level: null,
            requestId: null,
          };
        }
      }
      throw new NotFoundError(`inbox item ${key}`);
    },

    /**
     * Planning calendar: predicted due dates of plan levels not yet in a work order, and
     * scheduled work orders, within `days` from today (overdue levels are placed on today).
     */
    async calendar(q: CalendarQuery): Promise<CalendarResponse> {
      const now = deps.clock();
      const from = new Date(now).toISOString().slice(0, 10);
      const endMs = Date.parse(`${from}T00:00:00.000Z`) + q.days * DAY_MS;
      const [plans, scheduled, assignments, links] = await Promise.all([
        deps.maintenance.plans({ siteId: q.siteId }, null, { days: q.days, hours: 200 }),
        deps.workOrders.scheduled(endMs, { technicianId: q.technicianId, siteId: q.siteId }),
        deps.service.assignments(),
        deps.workOrders.linksByItem(),
      ]);
      const entries: CalendarEntry[] = [];
      for (const { device, plan } of plans) {
        // One entry per machine visit: the next service (B includes A, so one B visit, not an A and a B entry).
        const n = plan.nextService;
        if (!n) continue;
        const at = Date.parse(n.dueAt);
        if (at >= endMs) continue;
        const key = maintenanceItemKey(device.deviceId, n.level);
        // A live order made while the visit was a lower level is this visit's order too.
        const link = maintenanceLink(links, device.deviceId, n.level)?.link;
        // Scheduled ones appear below with their real date.
        if (link && (link.status === 'scheduled' || link.status === 'in_progress')) continue;
        const technician = assignments.get(key) ?? null;
        if (q.technicianId !== undefined && technician?.id !== q.technicianId) continue;
        const placed = Math.max(at, now);
        entries.push({
          kind: 'predicted',
          date: new Date(placed).toISOString().slice(0, 10),
          at: new Date(placed).toISOString(),
          deviceId: device.deviceId,
          deviceSerial: device.deviceSerial,
          siteId: device.siteId,
          siteName: device.siteName,
          customerId: device.customerId,
          level: n.level,
          title: `${levelTitle(n.level)} service ${n.overdue ? 'overdue' : 'due'}${n.includes.length > 0 ? ` (includes ${n.includes.join(', ')})` : ''}`,
          subject: maintenanceSubject(plan, n),
          overdue: n.overdue,
          technician,
          workOrderId: link && link.status === 'open' ? link.id : null,
          workOrderStatus: link && link.status === 'open' ? 'open' : null,
        });
      }
      for (const w of scheduled) {
        const at = Date.parse(w.scheduledFor!);
        entries.push({
          kind: 'scheduled',
          date: w.scheduledFor!.slice(0, 10),
          at: w.scheduledFor!,
          deviceId: w.deviceId,
          deviceSerial: w.deviceSerial,
          siteId: w.siteId,
          siteName: w.siteName,
          customerId: w.customerId,
          level: w.level,
          title: w.title,
          subject: w.titleGenerated ? w.subject : null,
          overdue: at < now && w.status === 'scheduled',
          technician: w.technician,
          workOrderId: w.id,
          workOrderStatus: w.status,
        });
      }
      entries.sort((a, b) => a.at.localeCompare(b.at) || a.deviceId.localeCompare(b.deviceId));
      return { from, to: new Date(endMs - DAY_MS).toISOString().slice(0, 10), entries };
    },
  };
}
export type ServiceService = ReturnType<typeof createServiceService>;
