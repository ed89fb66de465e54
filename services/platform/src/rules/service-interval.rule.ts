import { JUDGMENT_TTL_MS } from '../judgments/judgment-policy.domain.ts';
import { visitLevels } from '../maintenance/next-service.domain.ts';
import type { ServiceState } from './rule-state.ts';
import type { AlarmClear, AlarmRaise, JudgmentDraft, ServicePlanLevel, ServiceRecord, ServiceRule } from './rule-types.ts';

const DAY_MS = 86_400_000;
const RANK: Record<ServicePlanLevel['level'], number> = { first: 0, A: 1, B: 2, C: 3 };

/**
 * First sight of a machine: assume the plan was kept so far (each level last done at the
 * latest multiple of its interval; the first service done if the machine is past it) and
 * start the calendar now. So a brand-new install does not alarm on day one, and a machine
 * already in service is reminded at its next regular interval. docs/domain.md §5.
 */
export function seedServiceRecords(levels: readonly ServicePlanLevel[], runningHours: number, ts: number, existing: readonly ServiceRecord[] = []): ServiceRecord[] {
  const have = new Set(existing.map((r) => r.level));
  return levels
    .filter((p) => !have.has(p.level))
    .map((p) => {
      if (p.level === 'first') {
        const done = runningHours >= p.intervalHours;
        return { level: p.level, lastHours: done ? p.intervalHours : 0, lastAt: ts, done, source: 'seed' as const };
      }
      return { level: p.level, lastHours: Math.floor(runningHours / p.intervalHours) * p.intervalHours, lastAt: ts, done: false, source: 'seed' as const };
    });
}

/** A service of a level includes every lower level (B = A + separator + oil, docs/domain.md §5). */
export function levelsCoveredBy(level: ServicePlanLevel['level']): Array<ServicePlanLevel['level']> {
  return (Object.keys(RANK) as Array<ServicePlanLevel['level']>).filter((l) => RANK[l] <= RANK[level]);
}

export function addMonthsUtc(ts: number, months: number): number {
  const d = new Date(ts);
  const whole = Math.floor(months);
  d.setUTCMonth(d.getUTCMonth() + whole);
  return d.getTime() + (months - whole) * 30 * DAY_MS;
}

export interface LevelDue {
  level: ServicePlanLevel['level'];
  dueInHours: number;
  dueInDays: number;
  /** Days until the calendar date (null: the level has no calendar interval). */
  calendarDaysLeft: number | null;
  overdue: boolean;
}

/** Hours OR calendar, whichever comes first (docs/domain.md §5). */
export function serviceDue(levels: readonly ServicePlanLevel[], records: readonly ServiceRecord[], runningHours: number, ts: number, hoursPerDay: number): LevelDue[] {
  const out: LevelDue[] = [];
  for (const p of levels) {
    const r = records.find((x) => x.level === p.level);
    if (!r || (p.level === 'first' && r.done)) continue;
    const hoursLeft = r.lastHours + p.intervalHours - runningHours;
    const calendarDays = p.intervalMonths === null ? Number.POSITIVE_INFINITY : (addMonthsUtc(r.lastAt, p.intervalMonths) - ts) / DAY_MS;
    const dueInDays = Math.min(calendarDays, hoursLeft / hoursPerDay);
    out.push({ level: p.level, dueInHours: round1(hoursLeft), dueInDays: round1(dueInDays), calendarDaysLeft: p.intervalMonths === null ? null : round1(calendarDays), overdue: hoursLeft <= 0 || calendarDays <= 0 });
  }
  return out;
}

export function hoursPerDay(state: ServiceState, runningHours: number, ts: number, fallback: number): number {
  const days = (ts - state.baseTs) / DAY_MS;
  if (days < 1 || runningHours <= state.baseHours) return fallback;
  return Math.min(24, Math.max(0.5, (runningHours - state.baseHours) / days));
}

export interface ServiceOutcome {
  state: ServiceState;
  raise: AlarmRaise[];
  clear: AlarmClear[];
  judgment?: JudgmentDraft;
}

/**
 * Service-interval rule: ONE overdue alarm per machine visit, and a `maintenance_due` judgment
 * for the visit when it is due within the horizon (re-issued each evaluation; storage
 * deduplicates it while an equivalent one stands). Both follow the next visit
 * (maintenance/next-service.domain.ts): a machine with A and B overdue gets one B service,
 * which includes A, so it gets one `service_overdue_B` alarm (one notification, one inbox
 * line), and the alarm of a level the visit now covers ends. Completing that visit
 * (service_reset B) ends the B alarm in the judgments service.
 */
export function evaluateService(rule: ServiceRule, prev: ServiceState, records: readonly ServiceRecord[], runningHours: number, ts: number): ServiceOutcome {
  const state: ServiceState = { ...prev, lastCheckTs: ts, lastHours: runningHours };
  const rate = hoursPerDay(prev, runningHours, ts, rule.defaultHoursPerDay);
  const due = serviceDue(rule.levels, records, runningHours, ts, rate);
  const visit = visitLevels(
    due.map((d) => ({ ...d, ...intervalOf(rule.levels, d.level) })),
    rate,
  );
  const raise: AlarmRaise[] = [];
  const clear: AlarmClear[] = [];
  const performed = visit ? visit.due[visit.due.length - 1]! : null;
  const overdueLevels = visit ? visit.due.filter((d) => d.overdue) : [];
  // The alarm's level is the one the visit performs: it may itself be just within the tolerance
  // while a level it covers is overdue (A overdue, B due in 300 h: one B visit, overdue now).
  const alarmLevel = performed && overdueLevels.length > 0 ? performed.level : null;
  const lower = performed ? due.filter((d) => RANK[d.level] < RANK[performed.level]).map((d) => d.level) : [];
  const includes = lower.length > 0 ? ` (includes ${lower.join(', ')})` : '';
  if (alarmLevel !== null && !prev.overdue.includes(alarmLevel)) {
    raise.push({
      type: `service_overdue_${alarmLevel}`,
      severity: rule.severity,
      source: 'service',
      message: `Service level ${alarmLevel}${includes} overdue (${overdueLevels.length === 1 && overdueLevels[0]!.level === alarmLevel ? pastDue(overdueLevels[0]!) : overdueLevels.map((d) => `${d.level} ${pastDue(d)}`).join('; ')})`,
      value: Math.min(...overdueLevels.map((d) => d.dueInHours)),
      threshold: 0,
      ts,
    });
  }
  // Ends the alarm of a level that was serviced, and of a lower level the visit now covers.
  for (const level of prev.overdue.filter((l) => l !== alarmLevel)) {
    const covered = alarmLevel !== null && RANK[level as ServicePlanLevel['level']] < RANK[alarmLevel];
    clear.push({ type: `service_overdue_${level}`, ts, reason: covered ? `covered by the level ${alarmLevel} service` : `service level ${level} done` });
  }
  state.overdue = alarmLevel === null ? [] : [alarmLevel];

  if (!visit || !performed) return { state, raise, clear };
  const lead = visit.earliest;
  if (!(lead.overdue || lead.dueInHours <= rule.horizonHours || lead.dueInDays <= rule.horizonDays)) return { state, raise, clear };
  const soon = { level: performed.level, overdue: overdueLevels.length > 0, dueInHours: Math.min(...visit.due.map((d) => d.dueInHours)), dueInDays: lead.dueInDays };
  const name = `Service level ${soon.level}${includes}`;
  const hours = Math.max(0, soon.dueInHours);
  const days = Math.max(0, soon.dueInDays);
  return {
    state,
    raise,
    clear,
    judgment: {
      kind: 'maintenance_due',
      severity: soon.overdue ? 'major' : 'minor',
      reason: soon.overdue
        ? `${name} is overdue: plan it now`
        : `${name} due in ${hours} running hours (about ${Math.round(days)} days at the current use)`,
      params: { level: soon.level, dueInHours: soon.overdue ? Math.min(0, soon.dueInHours) : hours, dueInDays: soon.overdue ? Math.min(0, soon.dueInDays) : days },
      ts,
      expiresAt: ts + JUDGMENT_TTL_MS.maintenance_due,
      source: 'rule',
    },
  };
}

function intervalOf(levels: readonly ServicePlanLevel[], level: ServicePlanLevel['level']): { intervalHours: number; intervalMonths: number | null } {
  const p = levels.find((l) => l.level === level)!;
  return { intervalHours: p.intervalHours, intervalMonths: p.intervalMonths };
}

function pastDue(d: LevelDue): string {
  return `${Math.abs(d.dueInHours)} running hours / ${Math.abs(d.dueInDays)} days past due`;
}

function round1(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10) / 10 : 1e6;
}
