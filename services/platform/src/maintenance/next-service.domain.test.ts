import { describe, expect, it } from 'vitest';
import { findModel } from '@airfleet/contracts';
import type { ServiceRecord } from '../rules/rule-types.ts';
import { evaluateService } from '../rules/service-interval.rule.ts';
import { maintenancePlan, type MaintenancePlanInput } from './maintenance-plan.domain.ts';
import { nextService, VISIT_TOLERANCE_SHARE } from './next-service.domain.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);
// AF37: first 500 h; A 2000 h / 12 months; B 4000 h / 12 months; C 8000 h / 24 months. No telemetry: 16 h/day.
const model = findModel('AF37')!;

type Rec = [ServiceRecord['level'], number, number]; // level, last hours, last service (days ago)
function planOf(runningHours: number, recs: Rec[]) {
  const records: ServiceRecord[] = [
    { level: 'first', lastHours: 500, lastAt: NOW - 900 * DAY, done: true, source: 'service' },
    ...recs.map(([level, lastHours, daysAgo]): ServiceRecord => ({ level, lastHours, lastAt: NOW - daysAgo * DAY, done: false, source: 'service' })),
  ];
  const input: MaintenancePlanInput = {
    device: { deviceId: 'AF37-1', modelId: 'AF37', siteId: 's', customerId: 'c' },
    plan: model.servicePlan,
    limits: model.limits,
    records,
    runningHours,
    usage: { oldest: null, newest: null },
    condition: null,
    horizon: { days: 30, hours: 200 },
    now: NOW,
  };
  return maintenancePlan(input);
}

describe('the next service: the earliest due date, the highest level due at that visit', () => {
  it('tolerance is a tenth of the level’s own interval', () => expect(VISIT_TOLERANCE_SHARE).toBe(0.1));

  it.each<{ name: string; hours: number; recs: Rec[]; level: string; includes: string[]; dueLevels: string[]; overdue: boolean; dueInHours: number }>([
    // Seeded counters put A, B and C on the same reading (16 000 h): one C service does all three.
    { name: 'A, B and C due at the same reading', hours: 14047, recs: [['A', 14000, 10], ['B', 12000, 10], ['C', 8000, 10]], level: 'C', includes: ['A', 'B'], dueLevels: ['A', 'B', 'C'], overdue: false, dueInHours: 1953 },
    { name: 'A and B due at the same reading', hours: 3900, recs: [['A', 2000, 30], ['B', 0, 30], ['C', 0, 30]], level: 'B', includes: ['A'], dueLevels: ['A', 'B'], overdue: false, dueInHours: 100 },
    // B is 350 h away at the A visit: within 400 h (10 % of 4000) → do B.
    { name: 'B within 10 % of its hours after A', hours: 3550, recs: [['A', 1650, 30], ['B', 0, 30], ['C', 0, 30]], level: 'B', includes: ['A'], dueLevels: ['A', 'B'], overdue: false, dueInHours: 100 },
    { name: 'B exactly at the tolerance', hours: 3500, recs: [['A', 1600, 30], ['B', 0, 30], ['C', 0, 30]], level: 'B', includes: ['A'], dueLevels: ['A', 'B'], overdue: false, dueInHours: 100 },
    // B 401 h away at the A visit: beyond the tolerance → A alone; B is still included in nothing.
    { name: 'B just beyond the tolerance', hours: 3499, recs: [['A', 1599, 30], ['B', 0, 30], ['C', 0, 30]], level: 'A', includes: [], dueLevels: ['A'], overdue: false, dueInHours: 100 },
    { name: 'A overdue, B far: A alone, overdue', hours: 2150, recs: [['A', 0, 30], ['B', 0, 30], ['C', 0, 30]], level: 'A', includes: [], dueLevels: ['A'], overdue: true, dueInHours: -150 },
    { name: 'A overdue, B 150 h later: B, overdue', hours: 3850, recs: [['A', 0, 30], ['B', 0, 30], ['C', 0, 30]], level: 'B', includes: ['A'], dueLevels: ['A', 'B'], overdue: true, dueInHours: -1850 },
    { name: 'A and B overdue, C far', hours: 4100, recs: [['A', 0, 30], ['B', 0, 30], ['C', 0, 30]], level: 'B', includes: ['A'], dueLevels: ['A', 'B'], overdue: true, dueInHours: -2100 },
    // Calendar: A due in ~15 days by date, B ~20 days later (within 10 % of 12 months ≈ 36 days) → B.
    { name: 'B within 10 % of its calendar after A', hours: 1000, recs: [['A', 1000, 350], ['B', 0, 330], ['C', 0, 30]], level: 'B', includes: ['A'], dueLevels: ['A', 'B'], overdue: false, dueInHours: 240 },
    { name: 'B beyond its calendar tolerance', hours: 1000, recs: [['A', 1000, 350], ['B', 0, 300], ['C', 0, 30]], level: 'A', includes: [], dueLevels: ['A'], overdue: false, dueInHours: 240 },
  ])('$name → $level', ({ hours, recs, level, includes, dueLevels, overdue, dueInHours }) => {
    const plan = planOf(hours, recs);
    const n = plan.nextService!;
    expect({ level: n.level, includes: n.includes, dueLevels: n.dueLevels, overdue: n.overdue }).toEqual({ level, includes, dueLevels, overdue });
    expect(n.dueInHours).toBeCloseTo(dueInHours, 0);
    // The kit is the performed level's; the visit date is the earliest due date among the levels.
    expect(n.kit).toEqual(model.servicePlan.levels.find((l) => l.level === level)!.kit);
    expect(n.dueAt).toBe(plan.levels.filter((l) => l.dueAt).map((l) => l.dueAt!).sort()[0]);
    expect(plan.next).toEqual({ level, dueAt: n.dueAt, overdue });
  });

  it('the seeded AF22-like machine: C due in about 122 days (1953 h at 16 h/day), not "A in 122 days"', () => {
    const n = planOf(14047, [['A', 14000, 10], ['B', 12000, 10], ['C', 8000, 10]]).nextService!;
    expect(Math.round(n.dueInDays)).toBe(122);
    expect(n.dueSoon).toBe(false);
  });

  it('the first service, not yet done, is its own visit when A is far', () => {
    const plan = maintenancePlan({ ...planInputNew(450) });
    expect(plan.nextService).toMatchObject({ level: 'first', includes: [], dueLevels: ['first'], dueSoon: true });
  });

  it('no open level, no next service', () => {
    expect(nextService({ levels: [], hoursPerDay: 16, now: NOW })).toBeNull();
  });
});

describe('the service rule names the same visit in its maintenance_due judgment', () => {
  const rule = { levels: model.servicePlan.levels, horizonHours: 200, horizonDays: 30, defaultHoursPerDay: 16, everyMs: 60_000, severity: 'minor' as const };
  const state = { baseTs: NOW, baseHours: 3900, lastCheckTs: null, lastHours: 3900, overdue: [] };
  const records = (a: number, b: number): ServiceRecord[] => [
    { level: 'first', lastHours: 500, lastAt: NOW - 30 * DAY, done: true, source: 'service' },
    { level: 'A', lastHours: a, lastAt: NOW - 30 * DAY, done: false, source: 'service' },
    { level: 'B', lastHours: b, lastAt: NOW - 30 * DAY, done: false, source: 'service' },
    { level: 'C', lastHours: 0, lastAt: NOW - 30 * DAY, done: false, source: 'service' },
  ];
  it.each([
    { name: 'A and B at the same reading → B (includes A)', a: 2000, b: 0, level: 'B', reason: /^Service level B \(includes A\) due in 100 running hours/ },
    { name: 'A due in 50 h, B 3100 h later → A alone', a: 1950, b: 3000, level: 'A', reason: /^Service level A due in 50 running hours/ },
  ])('$name', ({ a, b, level, reason }) => {
    const out = evaluateService(rule, state, records(a, b), 3900, NOW);
    expect(out.judgment?.kind === 'maintenance_due' && out.judgment.params.level).toBe(level);
    expect(out.judgment!.reason).toMatch(reason);
  });
});

function planInputNew(runningHours: number): MaintenancePlanInput {
  return {
    device: { deviceId: 'AF37-1', modelId: 'AF37', siteId: 's', customerId: 'c' },
    plan: model.servicePlan,
    limits: model.limits,
    records: [],
    runningHours,
    usage: { oldest: null, newest: null },
    condition: null,
    horizon: { days: 30, hours: 200 },
    now: NOW,
  };
}
