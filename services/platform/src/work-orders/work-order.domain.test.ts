import { describe, expect, it } from 'vitest';
import { WORK_ORDER_STATUSES } from '@airfleet/contracts';
import { canMoveRequest } from '../requests/request.domain.ts';
import { diff, mayAct, nextStatus, type WorkOrderAction } from './work-order.domain.ts';

describe('work-order lifecycle', () => {
  it('allows exactly open → scheduled → in_progress → done, cancel before done, and re-scheduling', () => {
    const table: Record<string, Record<WorkOrderAction, string | null>> = {};
    for (const s of WORK_ORDER_STATUSES) {
      table[s] = {
        schedule: nextStatus(s, 'schedule'),
        start: nextStatus(s, 'start'),
        complete: nextStatus(s, 'complete'),
        cancel: nextStatus(s, 'cancel'),
        update: nextStatus(s, 'update'),
      };
    }
    expect(table).toEqual({
      open: { schedule: 'scheduled', start: null, complete: null, cancel: 'cancelled', update: 'open' },
      scheduled: { schedule: 'scheduled', start: 'in_progress', complete: null, cancel: 'cancelled', update: 'scheduled' },
      in_progress: { schedule: null, start: null, complete: 'done', cancel: 'cancelled', update: 'in_progress' },
      done: { schedule: null, start: null, complete: null, cancel: null, update: null },
      cancelled: { schedule: null, start: null, complete: null, cancel: null, update: null },
    });
  });
});

describe('who may act', () => {
  const tech = { id: 'u-tech', role: 'service' as const };
  it('a technician starts and completes only what is scheduled to them; admins anything', () => {
    expect(mayAct(tech, 'start', 'u-tech')).toBe(true);
    expect(mayAct(tech, 'complete', 'u-other')).toBe(false);
    expect(mayAct(tech, 'start', null)).toBe(false);
    expect(mayAct(tech, 'schedule', null)).toBe(true);
    expect(mayAct({ id: 'a', role: 'admin' }, 'complete', 'u-other')).toBe(true);
  });
  it('operators and customers change nothing', () => {
    for (const role of ['operator', 'customer'] as const) {
      for (const action of ['update', 'schedule', 'start', 'complete', 'cancel'] as const) expect(mayAct({ id: 'x', role }, action, 'x')).toBe(false);
    }
  });
});

describe('audit diff', () => {
  it('keeps only changed fields with before and after', () => {
    expect(diff({ status: 'open', title: 'a', partsPlanned: [{ partNumber: '1', quantity: 1 }] }, { status: 'scheduled', title: 'a', partsPlanned: [{ partNumber: '1', quantity: 1 }], technicianId: 'u' })).toEqual({
      status: { before: 'open', after: 'scheduled' },
      technicianId: { before: null, after: 'u' },
    });
  });
});

describe('request lifecycle', () => {
  it('open → in_review → quoted → closed; nothing leaves closed or rejected', () => {
    expect(canMoveRequest('open', 'in_review')).toBe(true);
    expect(canMoveRequest('in_review', 'quoted')).toBe(true);
    expect(canMoveRequest('quoted', 'closed')).toBe(true);
    expect(canMoveRequest('quoted', 'in_review')).toBe(false);
    expect(canMoveRequest('closed', 'in_review')).toBe(false);
    expect(canMoveRequest('rejected', 'closed')).toBe(false);
  });
});
