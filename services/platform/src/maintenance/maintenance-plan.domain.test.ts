import { describe, expect, it } from 'vitest';
import { findModel } from '@airfleet/contracts';
import type { ServiceRecord } from '../rules/rule-types.ts';
import { conditionTasks, DEFAULT_HOURS_PER_DAY, kitLines, maintenancePlan, usageRate, type MaintenancePlanInput } from './maintenance-plan.domain.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);
const model = findModel('AF37')!;
const device = { deviceId: 'AF37-1', modelId: 'AF37', siteId: 's1', customerId: 'c1' };

function input(over: Partial<MaintenancePlanInput>): MaintenancePlanInput {
  return {
    device,
    plan: model.servicePlan,
    limits: model.limits,
    records: [],
    runningHours: 1000,
    usage: { oldest: null, newest: null },
    condition: null,
    horizon: { days: 30, hours: 200 },
    now: NOW,
    ...over,
  };
}
const rec = (level: ServiceRecord['level'], lastHours: number, lastAt: number, done = false): ServiceRecord => ({ level, lastHours, lastAt, done, source: 'service' });

describe('usage rate over the window', () => {
  it('is the running-hours slope between the oldest and newest reading', () => {
    expect(usageRate({ ts: NOW - 14 * DAY, runningHours: 1000 }, { ts: NOW, runningHours: 1140 })).toEqual({ hoursPerDay: 10, source: 'telemetry' });
  });
  it('falls back to the default below a day of history and never exceeds 24 h/day', () => {
    expect(usageRate({ ts: NOW - 3_600_000, runningHours: 10 }, { ts: NOW, runningHours: 11 })).toEqual({ hoursPerDay: DEFAULT_HOURS_PER_DAY, source: 'default' });
    expect(usageRate({ ts: NOW - 2 * DAY, runningHours: 0 }, { ts: NOW, runningHours: 500 }).hoursPerDay).toBe(24);
  });
});

describe('maintenance plan per level', () => {
  it('predicts the due date from the usage rate when hours come before the calendar', () => {
    // A last done at 1000 h two months ago; 1900 h now; 10 h/day → 100 h left = 10 days.
    const plan = maintenancePlan(
      input({
        records: [rec('first', 500, NOW - 200 * DAY, true), rec('A', 1000, NOW - 60 * DAY), rec('B', 0, NOW - 60 * DAY), rec('C', 0, NOW - 60 * DAY)],
        runningHours: 1900,
        usage: { oldest: { ts: NOW - 14 * DAY, runningHours: 1760 }, newest: { ts: NOW, runningHours: 1900 } },
      }),
    );
    const a = plan.levels.find((l) => l.level === 'A')!;
    expect(a).toMatchObject({ hoursSince: 900, nextDueHours: 3000, dueInHours: 1100, overdue: false, dueSoon: false, kit: model.servicePlan.levels[1]!.kit });
    expect(plan.hoursPerDay).toBe(10);
    expect(Date.parse(a.predictedDueByHours!)).toBe(NOW + 110 * DAY);
    // Calendar: 12 months after the last A, later than the prediction → the prediction wins.
    expect(a.dueAt).toBe(a.predictedDueByHours);
    const first = plan.levels.find((l) => l.level === 'first')!;
    expect(first).toMatchObject({ done: true, overdue: false, dueAt: null });
  });

  it('the calendar wins for a machine that hardly runs (hours OR calendar, whichever first)', () => {
    const lastAt = NOW - 350 * DAY;
    const plan = maintenancePlan(
      input({
        records: [rec('first', 500, lastAt, true), rec('A', 600, lastAt), rec('B', 600, lastAt), rec('C', 600, lastAt)],
        runningHours: 700,
        usage: { oldest: { ts: NOW - 14 * DAY, runningHours: 686 }, newest: { ts: NOW, runningHours: 700 } },
      }),
    );
    const a = plan.levels.find((l) => l.level === 'A')!;
    expect(a.dueAt).toBe(a.nextDueByDate);
    expect(a.dueInDays!).toBeLessThan(30);
    expect(a).toMatchObject({ dueSoon: true, overdue: false });
    expect(plan.next).toMatchObject({ level: 'B', overdue: false }); // same date: B covers A
  });

  it('flags overdue by hours and due-soon within the hour horizon', () => {
    const t = NOW - 30 * DAY;
    const plan = maintenancePlan(input({ records: [rec('first', 500, t, true), rec('A', 0, t), rec('B', 0, t), rec('C', 0, t)], runningHours: 3850 }));
    const byLevel = Object.fromEntries(plan.levels.map((l) => [l.level, l]));
    expect(byLevel.A).toMatchObject({ overdue: true, dueSoon: false, dueInHours: -1850 });
    expect(byLevel.B).toMatchObject({ overdue: false, dueSoon: true, dueInHours: 150 });
    expect(byLevel.C).toMatchObject({ overdue: false, dueSoon: false });
    // A is overdue and B falls due 150 h later: one B visit (it includes A), overdue.
    expect(plan.next).toMatchObject({ level: 'B', overdue: true });
    expect(plan.nextService).toMatchObject({ level: 'B', includes: ['A'], overdue: true });
    expect(plan.usageSource).toBe('default');
  });

  it('assumes the rules\' first-sight seed for levels without a record, so a new install is not overdue', () => {
    const plan = maintenancePlan(input({ records: [], runningHours: 4100 }));
    expect(plan.levels.every((l) => !l.overdue)).toBe(true);
    expect(plan.levels.find((l) => l.level === 'A')).toMatchObject({ lastServiceHours: 4000, lastSource: 'seed' });
  });

  it('a wider horizon turns more levels due-soon', () => {
    const t = NOW;
    const records = [rec('first', 500, t, true), rec('A', 1000, t), rec('B', 0, t), rec('C', 0, t)];
    const narrow = maintenancePlan(input({ records, runningHours: 2650, horizon: { days: 10, hours: 200 } }));
    const wide = maintenancePlan(input({ records, runningHours: 2650, horizon: { days: 10, hours: 400 } }));
    expect(narrow.levels.find((l) => l.level === 'A')!.dueSoon).toBe(false);
    expect(wide.levels.find((l) => l.level === 'A')!.dueSoon).toBe(true);
  });
});

describe('condition tasks (condition overrides the plan)', () => {
  it('separator ΔP ≥ 0.7 bar and air-filter ΔP ≥ 50 mbar mean replace now; warning limits warn', () => {
    const tasks = conditionTasks({ separatorDpBar: 0.72, airFilterDpMbar: 45, ts: NOW }, model.limits);
    expect(tasks.map((t) => [t.task, t.replaceNow, t.warning])).toEqual([
      ['separator', true, false],
      ['air_filter', false, true],
    ]);
    expect(conditionTasks({ separatorDpBar: 0.2, airFilterDpMbar: 50, ts: NOW }, model.limits).map((t) => [t.task, t.replaceNow])).toEqual([['air_filter', true]]);
    expect(conditionTasks({ separatorDpBar: 0.59, airFilterDpMbar: 39, ts: NOW }, model.limits)).toEqual([]);
  });
});

describe('kits', () => {
  it('a level\'s kit as part lines', () => {
    expect(kitLines(model.servicePlan, 'B')).toEqual(model.servicePlan.levels[2]!.kit.map((partNumber) => ({ partNumber, quantity: 1 })));
  });
});
