import type { ConditionTask, DeviceMaintenance, MaintenanceLevel, ModelLimits, ServicePlan } from '@airfleet/contracts';
import type { ServiceRecord } from '../rules/rule-types.ts';
import { addMonthsUtc, seedServiceRecords, serviceDue } from '../rules/service-interval.rule.ts';
import { nextService } from './next-service.domain.ts';

const DAY_MS = 86_400_000;

/** Usage is measured over this window (docs/domain.md §5, "Dates"). */
export const USAGE_WINDOW_DAYS = 14;
/** Until a machine has a day of history, assume two shifts (the service rule's default too). */
export const DEFAULT_HOURS_PER_DAY = 16;
/** The due-soon horizon when nobody asks for another (the maintenance API's defaults). */
export const DEFAULT_MAINTENANCE_HORIZON = { days: 30, hours: 200 } as const;

export interface UsagePoint {
  ts: number;
  runningHours: number;
}

/**
 * Running hours per day between the oldest and newest reading of the window. Less than a
 * day of history says nothing about weekly rhythm, so the default stands in.
 */
export function usageRate(oldest: UsagePoint | null, newest: UsagePoint | null): { hoursPerDay: number; source: 'telemetry' | 'default' } {
  if (!oldest || !newest) return { hoursPerDay: DEFAULT_HOURS_PER_DAY, source: 'default' };
  const days = (newest.ts - oldest.ts) / DAY_MS;
  if (days < 1) return { hoursPerDay: DEFAULT_HOURS_PER_DAY, source: 'default' };
  const rate = Math.max(0, newest.runningHours - oldest.runningHours) / days;
  // A counter cannot run more than 24 h a day; a stopped machine still gets a small rate so dates stay finite.
  return { hoursPerDay: round1(Math.min(24, Math.max(0.1, rate))), source: 'telemetry' };
}

export interface ConditionReading {
  separatorDpBar: number | null;
  airFilterDpMbar: number | null;
  ts: number;
}

/** Condition overrides the plan (docs/domain.md §5): at the replace limit the part is due now, whatever the hours say. */
export function conditionTasks(reading: ConditionReading | null, limits: ModelLimits): ConditionTask[] {
  if (!reading) return [];
  const out: ConditionTask[] = [];
  const ts = new Date(reading.ts).toISOString();
  if (reading.separatorDpBar !== null && reading.separatorDpBar >= limits.separatorDpWarnBar) {
    const replaceNow = reading.separatorDpBar >= limits.separatorDpReplaceBar;
    out.push({
      task: 'separator',
      value: reading.separatorDpBar,
      unit: 'bar',
      warnAt: limits.separatorDpWarnBar,
      replaceAt: limits.separatorDpReplaceBar,
      replaceNow,
      warning: !replaceNow,
      ts,
      title: replaceNow ? `Replace oil separator (ΔP ${reading.separatorDpBar} bar)` : `Oil separator ΔP rising (${reading.separatorDpBar} bar)`,
    });
  }
  if (reading.airFilterDpMbar !== null && reading.airFilterDpMbar >= limits.airFilterDpWarnMbar) {
    const replaceNow = reading.airFilterDpMbar >= limits.airFilterDpReplaceMbar;
    out.push({
      task: 'air_filter',
      value: reading.airFilterDpMbar,
      unit: 'mbar',
      warnAt: limits.airFilterDpWarnMbar,
      replaceAt: limits.airFilterDpReplaceMbar,
      replaceNow,
      warning: !replaceNow,
      ts,
      title: replaceNow ? `Replace air-filter element (ΔP ${reading.airFilterDpMbar} mbar)` : `Air-filter ΔP rising (${reading.airFilterDpMbar} mbar)`,
    });
  }
  return out;
}

export interface MaintenancePlanInput {
  device: { deviceId: string; modelId: string; siteId: string; customerId: string };
  plan: ServicePlan;
  limits: ModelLimits;
  /** device_service rows; levels the rules have not seeded yet are assumed as the rules will seed them. */
  records: readonly ServiceRecord[];
  runningHours: number | null;
  usage: { oldest: UsagePoint | null; newest: UsagePoint | null };
  condition: ConditionReading | null;
  horizon: { days: number; hours: number };
  now: number;
}

/**
 * The maintenance plan of one machine (docs/architecture.md §5.1). Due arithmetic is the service rule's own
 * (`serviceDue`: hours OR calendar, whichever first), so the page and the alarms never disagree;
 * this adds the dates, the prediction from the recent usage rate, due-soon and the kits.
 */
export function maintenancePlan(input: MaintenancePlanInput): DeviceMaintenance {
  const { now, plan } = input;
  const usage = usageRate(input.usage.oldest, input.usage.newest);
  const hours = input.runningHours ?? 0;
  const records = [...input.records, ...seedServiceRecords(plan.levels, hours, now, input.records)];
  const due = serviceDue(plan.levels, records, hours, now, usage.hoursPerDay);

  const levels: MaintenanceLevel[] = plan.levels.map((p) => {
    const r = records.find((x) => x.level === p.level)!;
    const base = {
      level: p.level,
      description: p.description,
      intervalHours: p.intervalHours,
      intervalMonths: p.intervalMonths,
      kit: [...p.kit],
      lastServiceAt: new Date(r.lastAt).toISOString(),
      lastServiceHours: r.lastHours,
      lastSource: r.source,
      hoursSince: input.runningHours === null ? null : round1(hours - r.lastHours),
      daysSince: round1((now - r.lastAt) / DAY_MS),
    };
    const d = due.find((x) => x.level === p.level);
    if (!d) {
      // Only a done first service has no due entry: it never comes due again.
      return { ...base, nextDueHours: null, dueInHours: null, nextDueByDate: null, predictedDueByHours: null, dueAt: null, dueInDays: null, overdue: false, dueSoon: false, done: true };
    }
    const dueInHours = r.lastHours + p.intervalHours - hours;
    const byDate = p.intervalMonths === null ? null : addMonthsUtc(r.lastAt, p.intervalMonths);
    const predicted = now + (dueInHours / usage.hoursPerDay) * DAY_MS;
    const dueAt = byDate === null ? predicted : Math.min(byDate, predicted);
    const dueInDays = round1((dueAt - now) / DAY_MS);
    const dueSoon = !d.overdue && (dueInHours <= input.horizon.hours || dueInDays <= input.horizon.days);
    return {
      ...base,
      nextDueHours: r.lastHours + p.intervalHours,
      dueInHours: round1(dueInHours),
      nextDueByDate: byDate === null ? null : new Date(byDate).toISOString(),
      predictedDueByHours: new Date(predicted).toISOString(),
      dueAt: new Date(dueAt).toISOString(),
      dueInDays,
      overdue: d.overdue,
      dueSoon,
      done: false,
    };
  });

  const next = nextService({ levels, hoursPerDay: usage.hoursPerDay, now });

  return {
    deviceId: input.device.deviceId,
    modelId: input.device.modelId,
    siteId: input.device.siteId,
    customerId: input.device.customerId,
    runningHours: input.runningHours,
    hoursPerDay: usage.hoursPerDay,
    usageSource: usage.source,
    usageWindowDays: USAGE_WINDOW_DAYS,
    horizon: { ...input.horizon },
    computedAt: new Date(now).toISOString(),
    levels,
    conditionTasks: conditionTasks(input.condition, input.limits),
    next: next ? { level: next.level, dueAt: next.dueAt, overdue: next.overdue } : null,
    nextService: next,
  };
}

/** The kit of a level as part lines (one of each part), the default for parts planned and used. */
export function kitLines(plan: ServicePlan, level: ServicePlan['levels'][number]['level']): Array<{ partNumber: string; quantity: number }> {
  return (plan.levels.find((l) => l.level === level)?.kit ?? []).map((partNumber) => ({ partNumber, quantity: 1 }));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
