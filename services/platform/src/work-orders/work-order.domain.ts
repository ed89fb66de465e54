import type { WorkOrderStatus } from '@airfleet/contracts';

/**
 * Work-order lifecycle (docs/architecture.md §5.1): open → scheduled (date, technician) → in progress →
 * done | cancelled. Rescheduling a scheduled order is allowed (plans change); starting needs a
 * schedule because the technician is who may start it; done and cancelled are final.
 */
export type WorkOrderAction = 'schedule' | 'start' | 'complete' | 'cancel' | 'update';

const TRANSITIONS: Record<Exclude<WorkOrderAction, 'update'>, { from: readonly WorkOrderStatus[]; to: WorkOrderStatus }> = {
  schedule: { from: ['open', 'scheduled'], to: 'scheduled' },
  start: { from: ['scheduled'], to: 'in_progress' },
  complete: { from: ['in_progress'], to: 'done' },
  cancel: { from: ['open', 'scheduled', 'in_progress'], to: 'cancelled' },
};

export const LIVE_STATUSES: readonly WorkOrderStatus[] = ['open', 'scheduled', 'in_progress'];

/** The status after `action`, or null when the lifecycle does not allow it from `current`. */
export function nextStatus(current: WorkOrderStatus, action: WorkOrderAction): WorkOrderStatus | null {
  if (action === 'update') return LIVE_STATUSES.includes(current) ? current : null;
  const t = TRANSITIONS[action];
  return t.from.includes(current) ? t.to : null;
}

export interface Actor {
  id: string;
  role: 'admin' | 'operator' | 'service' | 'customer';
}

/**
 * Who may act on a work order (rule table in work-orders.routes.ts). Admins act on any;
 * a service technician starts and completes only what is scheduled to them, so the
 * record of who did the work is true; planning (create, edit, schedule, cancel) is open
 * to the whole service team.
 */
export function mayAct(actor: Actor, action: WorkOrderAction, technicianId: string | null): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'service') return false;
  if (action === 'start' || action === 'complete') return technicianId === actor.id;
  return true;
}

/** Before/after of each changed field, for the audit trail. Values compared as JSON. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[key] ?? null;
    const a = after[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) out[key] = { before: b, after: a };
  }
  return out;
}
