import { describe, expect, it } from 'vitest';
import type { DeviceMaintenance, MaintenanceLevel } from '@airfleet/contracts';
import { nextService } from '../maintenance/next-service.domain.ts';
import { buildInbox, parseItemKey, type DeviceContext, type InboxSources, type WorkOrderLink } from './inbox.domain.ts';

const NOW = Date.UTC(2026, 5, 1, 12);
const HOUR = 3_600_000;

const ctx = (deviceId: string, customerId: string, region: string): DeviceContext => ({
  deviceId,
  deviceSerial: `S-${deviceId}`,
  modelId: 'AF37',
  siteId: `site-${customerId}`,
  siteName: `Site ${customerId}`,
  customerId,
  customerName: customerId,
  region,
});

function level(l: Partial<MaintenanceLevel> & Pick<MaintenanceLevel, 'level'>): MaintenanceLevel {
  return {
    description: 'kit',
    intervalHours: 2000,
    intervalMonths: 12,
    kit: [],
    lastServiceAt: null,
    lastServiceHours: null,
    lastSource: null,
    hoursSince: null,
    daysSince: null,
    nextDueHours: 2000,
    dueInHours: 100,
    nextDueByDate: null,
    predictedDueByHours: null,
    dueAt: new Date(NOW + 5 * 24 * HOUR).toISOString(),
    dueInDays: 5,
    overdue: false,
    dueSoon: false,
    done: false,
    ...l,
  };
}

function plan(deviceId: string, levels: MaintenanceLevel[], conditionTasks: DeviceMaintenance['conditionTasks'] = []): DeviceMaintenance {
  return {
    deviceId,
    modelId: 'AF37',
    siteId: 's',
    customerId: 'c',
    runningHours: 1900,
    hoursPerDay: 16,
    usageSource: 'default',
    usageWindowDays: 14,
    horizon: { days: 30, hours: 200 },
    computedAt: new Date(NOW).toISOString(),
    levels,
    conditionTasks,
    next: null,
    nextService: nextService({ levels, hoursPerDay: 16, now: NOW }),
  };
}

function sources(over: Partial<InboxSources> = {}): InboxSources {
  return {
    devices: new Map([
      ['d1', ctx('d1', 'north', 'EU')],
      ['d2', ctx('d2', 'lake', 'US')],
    ]),
    alarms: [
      { id: '1', deviceId: 'd1', type: 'element_temp_warning', severity: 'major', message: 'ADT high', startedAt: NOW - HOUR },
      { id: '2', deviceId: 'd2', type: 'trip:ADT', severity: 'critical', message: 'Tripped', startedAt: NOW - 2 * HOUR },
      { id: '3', deviceId: 'd2', type: 'service_overdue_A', severity: 'minor', message: 'Service A overdue', startedAt: NOW - HOUR },
    ],
    plans: [
      plan('d1', [level({ level: 'A', overdue: true, dueInHours: -10 }), level({ level: 'B', intervalHours: 4000, dueSoon: true }), level({ level: 'C', intervalHours: 8000, dueInHours: 5000, dueInDays: 300, dueAt: new Date(NOW + 300 * 24 * HOUR).toISOString() })], [
        { task: 'separator', value: 0.75, unit: 'bar', warnAt: 0.6, replaceAt: 0.7, replaceNow: true, warning: false, ts: new Date(NOW).toISOString(), title: 'Replace separator' },
        { task: 'air_filter', value: 45, unit: 'mbar', warnAt: 40, replaceAt: 50, replaceNow: false, warning: true, ts: new Date(NOW).toISOString(), title: 'Air filter rising' },
      ]),
    ],
    inspections: [{ judgmentId: 'jdg_1', deviceId: 'd2', reason: 'specific power above peers', check: 'specific_power', severity: 'minor', ts: NOW - 3 * HOUR, evidence: { value: 7.4, peerMedian: 6.1, percentile: 98, peers: 9, unit: 'kW/(m³/min)' } }],
    requests: [
      { id: '7', deviceId: 'd2', kind: 'parts_quote', status: 'open', message: 'kit B please', level: 'B', createdAt: NOW - 4 * HOUR },
      { id: '8', deviceId: 'd2', kind: 'service', status: 'closed', message: 'done', level: null, createdAt: NOW - 5 * HOUR },
    ],
    assignments: new Map([['alarm:1', { id: 'tech-1', name: 'Sam' }]]),
    workOrders: new Map(),
    ...over,
  };
}

describe('inbox priority', () => {
  it('orders critical alarms > overdue > condition > major alarms > requests > due-soon > inspections', () => {
    const items = buildInbox(sources(), NOW);
    expect(items.map((i) => i.key)).toEqual(['alarm:2', 'maintenance:d1:B', 'condition:d1:separator', 'alarm:1', 'request:7', 'inspect:jdg_1']);
    expect(items.map((i) => i.priority)).toEqual([0, 1, 2, 3, 4, 6]);
    // Minor alarms (service_overdue_*) are not items: the overdue plan level is; closed requests and warning-level conditions neither.
    expect(items.find((i) => i.key === 'alarm:3')).toBeUndefined();
  });

  it('within a class, the earliest due date comes first', () => {
    const plans = [
      plan('d1', [level({ level: 'A', dueSoon: true, dueAt: new Date(NOW + 9 * 24 * HOUR).toISOString() })]),
      plan('d2', [level({ level: 'A', dueSoon: true, dueAt: new Date(NOW + 2 * 24 * HOUR).toISOString() })]),
    ];
    const items = buildInbox(sources({ alarms: [], requests: [], inspections: [], plans }), NOW);
    expect(items.map((i) => i.key)).toEqual(['maintenance:d2:A', 'maintenance:d1:A']);
  });

  it('filters by region, customer, assignee and unassigned', () => {
    expect(buildInbox(sources(), NOW, { region: 'EU' }).every((i) => i.deviceId === 'd1')).toBe(true);
    expect(buildInbox(sources(), NOW, { customerId: 'lake' }).map((i) => i.key)).toEqual(['alarm:2', 'request:7', 'inspect:jdg_1']);
    expect(buildInbox(sources(), NOW, { assigneeId: 'tech-1' }).map((i) => i.key)).toEqual(['alarm:1']);
    expect(buildInbox(sources(), NOW, { unassigned: true }).map((i) => i.key)).not.toContain('alarm:1');
    expect(buildInbox(sources(), NOW, { kind: 'request' }).map((i) => i.key)).toEqual(['request:7']);
  });

  it('links work orders; a done one settles the item it answered, a scheduled one can be hidden', () => {
    const workOrders = new Map([
      ['alarm:2', { id: '10', status: 'done' as const, completedAt: NOW - HOUR, level: null }],
      ['request:7', { id: '11', status: 'scheduled' as const, completedAt: null, level: 'B' as const }],
    ]);
    const items = buildInbox(sources({ workOrders }), NOW);
    expect(items.find((i) => i.key === 'alarm:2')).toBeUndefined();
    expect(items.find((i) => i.key === 'request:7')?.workOrder).toEqual({ id: '11', status: 'scheduled', level: 'B', levelBelowDue: false });
    expect(buildInbox(sources({ workOrders }), NOW, { includeInWork: false }).find((i) => i.key === 'request:7')).toBeUndefined();
    // An alarm raised again after the order was done is a new need.
    const again = new Map([['alarm:2', { id: '10', status: 'done' as const, completedAt: NOW - 3 * HOUR, level: null }]]);
    expect(buildInbox(sources({ workOrders: again }), NOW).find((i) => i.key === 'alarm:2')).toBeDefined();
  });
});

describe('item subjects', () => {
  it('carry what each item is about as data, for wording in the reader’s language', () => {
    const bySubject = new Map(buildInbox(sources(), NOW).map((i) => [i.key, i.subject]));
    expect(bySubject.get('alarm:1')).toEqual({ kind: 'alarm', alarmType: 'element_temp_warning', alarmSeverity: 'major' });
    expect(bySubject.get('alarm:2')).toEqual({ kind: 'alarm', alarmType: 'trip:ADT', alarmSeverity: 'critical' });
    // A overdue and B due 100 h later: one visit, the B service, which includes A (and is overdue because A is).
    expect(bySubject.get('maintenance:d1:B')).toMatchObject({ kind: 'maintenance', level: 'B', includes: ['A'], due: 'overdue', dueInHours: -10 });
    expect(bySubject.has('maintenance:d1:A')).toBe(false);
    expect(bySubject.get('condition:d1:separator')).toEqual({ kind: 'condition', task: 'separator', value: 0.75, unit: 'bar', replaceAt: 0.7 });
    expect(bySubject.get('request:7')).toEqual({ kind: 'request', requestKind: 'parts_quote', requestStatus: 'open', message: 'kit B please' });
    expect(bySubject.get('inspect:jdg_1')).toEqual({ kind: 'inspect', check: 'specific_power', value: 7.4, peerMedian: 6.1, percentile: 98, peers: 9, unit: 'kW/(m³/min)' });
  });
});

describe('maintenance: one item per machine visit (a level includes every lower one)', () => {
  const day = (d: number) => new Date(NOW + d * 24 * HOUR).toISOString();
  it.each([
    // levels due → the one item: key, title, category
    { name: 'A and B due the same day', levels: [level({ level: 'A', dueSoon: true }), level({ level: 'B', intervalHours: 4000, dueSoon: true })], key: 'maintenance:d1:B', title: 'Level B service due (includes A)', category: 'due_soon' },
    {
      name: 'A, B and C due the same day',
      levels: [level({ level: 'A', dueSoon: true }), level({ level: 'B', intervalHours: 4000, dueSoon: true }), level({ level: 'C', intervalHours: 8000, dueSoon: true })],
      key: 'maintenance:d1:C',
      title: 'Level C service due (includes A, B)',
      category: 'due_soon',
    },
    {
      name: 'A overdue, B months away: A alone',
      levels: [level({ level: 'A', overdue: true, dueInHours: -50, dueInDays: -3, dueAt: day(-3) }), level({ level: 'B', intervalHours: 4000, dueInHours: 1950, dueInDays: 120, dueAt: day(120) })],
      key: 'maintenance:d1:A',
      title: 'Level A service overdue',
      category: 'overdue',
    },
    {
      name: 'A and B both overdue',
      levels: [level({ level: 'A', overdue: true, dueInHours: -50, dueInDays: -3, dueAt: day(-3) }), level({ level: 'B', intervalHours: 4000, overdue: true, dueInHours: -50, dueInDays: -3, dueAt: day(-3) })],
      key: 'maintenance:d1:B',
      title: 'Level B service overdue (includes A)',
      category: 'overdue',
    },
  ])('$name → $key', ({ levels, key, title, category }) => {
    const items = buildInbox(sources({ alarms: [], requests: [], inspections: [], plans: [plan('d1', levels)] }), NOW).filter((i) => i.kind === 'maintenance');
    expect(items.map((i) => [i.key, i.title, i.category])).toEqual([[key, title, category]]);
  });

  describe('an open work order of the machine stays on the visit when its level goes up', () => {
    // The order was made for the A item; since then B became due too, so the visit (and its key) is B.
    const levels = [level({ level: 'A', overdue: true, dueInHours: -50, dueInDays: -3, dueAt: day(-3) }), level({ level: 'B', intervalHours: 4000, overdue: true, dueInHours: -10, dueInDays: -1, dueAt: day(-1) })];
    const build = (workOrders: InboxSources['workOrders'], filter: Parameters<typeof buildInbox>[2] = {}) =>
      buildInbox(sources({ alarms: [], requests: [], inspections: [], plans: [plan('d1', levels)], workOrders, assignments: new Map([['maintenance:d1:A', { id: 'tech-2', name: 'Tech Two' }]]) }), NOW, filter).filter((i) => i.kind === 'maintenance');

    it.each([
      { status: 'open' as const, level: 'A' as const, below: true },
      { status: 'scheduled' as const, level: 'A' as const, below: true },
      { status: 'in_progress' as const, level: 'A' as const, below: true },
      // The technician raised the order's level with PATCH: the key stays A, the level is what counts.
      { status: 'scheduled' as const, level: 'B' as const, below: false },
    ])('$status order made for A, its level now $level: one B item, linked, level below due: $below', ({ status, level: woLevel, below }) => {
      const items = build(new Map([['maintenance:d1:A', { id: '20', status, completedAt: null, level: woLevel }]]));
      expect(items.map((i) => [i.key, i.workOrder])).toEqual([['maintenance:d1:B', { id: '20', status, level: woLevel, levelBelowDue: below }]]);
      // The assignment made on the A item goes with its order.
      expect(items[0]!.assignee).toEqual({ id: 'tech-2', name: 'Tech Two' });
    });

    it('a scheduled A order hides the B visit from "not in work" like its own item', () => {
      expect(build(new Map([['maintenance:d1:A', { id: '20', status: 'scheduled' as const, completedAt: null, level: 'A' as const }]]), { includeInWork: false })).toEqual([]);
    });

    it('done or cancelled A orders, and another machine\'s orders, do not link', () => {
      const stale: Array<[string, WorkOrderLink]> = [
        ['maintenance:d1:A', { id: '21', status: 'done', completedAt: NOW - 48 * HOUR, level: 'A' }],
        ['maintenance:d1:A', { id: '22', status: 'cancelled', completedAt: null, level: 'A' }],
        ['maintenance:d2:A', { id: '23', status: 'open', completedAt: null, level: 'A' }],
      ];
      for (const wo of stale) {
        expect(build(new Map([wo])).map((i) => [i.key, i.workOrder])).toEqual([['maintenance:d1:B', null]]);
      }
    });

    it("the visit's own order wins over an older one of another level", () => {
      const items = build(
        new Map([
          ['maintenance:d1:A', { id: '20', status: 'open' as const, completedAt: null, level: 'A' as const }],
          ['maintenance:d1:B', { id: '24', status: 'open' as const, completedAt: null, level: 'B' as const }],
        ]),
      );
      expect(items.map((i) => i.workOrder)).toEqual([{ id: '24', status: 'open', level: 'B', levelBelowDue: false }]);
    });
  });

  it('nothing overdue or due soon: no maintenance item', () => {
    const levels = [level({ level: 'A', dueInHours: 1900, dueInDays: 120, dueAt: day(120) }), level({ level: 'B', intervalHours: 4000, dueInHours: 3900, dueInDays: 240, dueAt: day(240) })];
    expect(buildInbox(sources({ alarms: [], requests: [], inspections: [], plans: [plan('d1', levels)] }), NOW)).toEqual([]);
  });
});

describe('item keys', () => {
  it('parse back to what they point at and refuse anything else', () => {
    expect(parseItemKey('alarm:12')).toEqual({ kind: 'alarm', alarmId: '12' });
    expect(parseItemKey('maintenance:AF37-0001:B')).toEqual({ kind: 'maintenance', deviceId: 'AF37-0001', level: 'B' });
    expect(parseItemKey('condition:AF37-0001:air_filter')).toEqual({ kind: 'condition', deviceId: 'AF37-0001', task: 'air_filter' });
    expect(parseItemKey('inspect:jdg_ABC')).toEqual({ kind: 'inspect', judgmentId: 'jdg_ABC' });
    expect(parseItemKey('request:3')).toEqual({ kind: 'request', requestId: '3' });
    for (const bad of ['alarm:x', 'maintenance:d1:D', 'condition:d1:oil', 'request:1:2', 'other:1', '']) expect(parseItemKey(bad)).toBeNull();
  });
});
