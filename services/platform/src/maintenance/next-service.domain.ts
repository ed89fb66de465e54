import type { MaintenanceLevel, NextService } from '@airfleet/contracts';

const DAY_MS = 86_400_000;
/** Average month length, for turning a calendar interval into days. */
const DAYS_PER_MONTH = 30.44;

/**
 * How early a level may be done to join a visit that is happening anyway: a tenth of its own
 * interval, by hours or by calendar. Why a tenth of the level's own interval and not the
 * inbox's due-soon horizon: the horizon is a query parameter (the calendar asks for 90 days),
 * and the next service must be the same answer on every page and in the parts lookup. Why a
 * tenth: doing a level that early gives away at most 10 % of its kit's life (C: ≤ 800 h of a
 * valve kit), while a second trip costs a technician's day and a second stop of the machine;
 * the usual ±10 % tolerance on compressor service intervals says the same.
 */
export const VISIT_TOLERANCE_SHARE = 0.1;

const RANK = { first: 0, A: 1, B: 2, C: 3 } as const;

/** What the visit rule needs of a level: its interval, and how far it is from due by hours and by calendar. */
export interface VisitCandidate {
  level: NextService['level'];
  intervalHours: number;
  intervalMonths: number | null;
  dueInHours: number;
  /** Days until the calendar date (null: no calendar interval). */
  calendarDaysLeft: number | null;
  /** The earlier of the calendar and the date predicted from the usage rate. */
  dueInDays: number;
  overdue: boolean;
}

/**
 * The levels done at the next visit, lowest first (the performed level last), and the visit's
 * lead level (the earliest due; on a tie the higher). The visit is at the earliest due date; a
 * level joins when it is overdue or within the tolerance of its own interval at that visit.
 */
export function visitLevels<T extends VisitCandidate>(open: readonly T[], hoursPerDay: number): { due: T[]; earliest: T } | null {
  if (open.length === 0) return null;
  const earliest = [...open].sort((a, b) => a.dueInDays - b.dueInDays || RANK[b.level] - RANK[a.level])[0]!;
  const visitInDays = Math.max(0, earliest.dueInDays);
  const joins = (l: T): boolean => {
    if (l === earliest || l.overdue) return true;
    // Hours still left on this level when the machine is serviced at the visit.
    if (l.dueInHours - visitInDays * hoursPerDay <= VISIT_TOLERANCE_SHARE * l.intervalHours) return true;
    if (l.intervalMonths === null || l.calendarDaysLeft === null) return false;
    return l.calendarDaysLeft - visitInDays <= VISIT_TOLERANCE_SHARE * l.intervalMonths * DAYS_PER_MONTH;
  };
  return { due: open.filter(joins).sort((a, b) => RANK[a.level] - RANK[b.level]), earliest };
}

export interface NextServiceInput {
  levels: readonly MaintenanceLevel[];
  hoursPerDay: number;
  now: number;
}

/**
 * The next service of a machine: one visit (docs/domain.md §5, a level includes every lower one).
 * The visit is at the earliest due date among the open levels; at it the HIGHEST level that
 * is overdue or due within the tolerance is performed, with its kit, and it covers the rest.
 * Every reader of "the next service" (plan API, inbox, planning calendar, customer overview,
 * parts lookup by serial, the service rule's maintenance_due judgment) takes it from here.
 */
export function nextService({ levels, hoursPerDay, now }: NextServiceInput): NextService | null {
  const open = levels.flatMap((l) =>
    l.done || l.dueAt === null || l.dueInHours === null || l.dueInDays === null
      ? []
      : [{ ...l, dueInHours: l.dueInHours, dueInDays: l.dueInDays, calendarDaysLeft: l.nextDueByDate === null ? null : (Date.parse(l.nextDueByDate) - now) / DAY_MS }],
  );
  const visit = visitLevels(open, hoursPerDay);
  if (!visit) return null;
  const { due, earliest } = visit;
  const performed = due[due.length - 1]!;
  const overdue = due.some((l) => l.overdue);
  const visitInDays = Math.max(0, earliest.dueInDays);
  // The hours until the visit: the tightest hours deadline among its levels, brought forward when the calendar comes first.
  const dueInHours = Math.min(...due.map((l) => l.dueInHours), Math.round(visitInDays * hoursPerDay * 10) / 10);
  return {
    level: performed.level,
    includes: open.filter((l) => RANK[l.level] < RANK[performed.level]).map((l) => l.level),
    dueLevels: due.map((l) => l.level),
    description: performed.description,
    kit: [...performed.kit],
    dueAt: earliest.dueAt!,
    dueInDays: earliest.dueInDays,
    dueInHours,
    overdue,
    dueSoon: !overdue && due.some((l) => l.dueSoon),
  };
}

/** `maintenance:<device>:<level>`: the inbox, calendar and work-order key of a machine's next visit. */
export function maintenanceItemKey(deviceId: string, level: NextService['level']): string {
  return `maintenance:${deviceId}:${level}`;
}
