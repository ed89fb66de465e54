import type { CompressorModel, SERVICE_LEVELS } from '@airfleet/contracts';

/**
 * Service-interval counters (docs/domain.md §5): for each plan level, the running-hours reading at
 * which it was last performed. "Hours since service" is then the counter minus the mark, so the
 * integration loop pays nothing for it and the figure can never drift from runningHours.
 */
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];
export type ServiceMarks = Record<ServiceLevel, number>;

/** Device-side view of pending maintenance (the status `maintenanceDue` field). */
export interface MaintenanceDue {
  level: ServiceLevel;
  dueInHours?: number;
  dueInDays?: number;
}

/**
 * What a service at each level includes (docs/domain.md §5: "level B = level A + …", C = B + …).
 * The first service (oil and oil filter at 500 h) is its own, once-only job.
 */
export const SERVICE_LEVEL_INCLUDES: Readonly<Record<ServiceLevel, readonly ServiceLevel[]>> = {
  first: ['first'],
  A: ['A'],
  B: ['B', 'A'],
  C: ['C', 'B', 'A'],
};

function intervalHours(spec: CompressorModel, level: ServiceLevel): number {
  return spec.servicePlan.levels.find((l) => l.level === level)?.intervalHours ?? 0;
}

/**
 * Marks for a machine with `runningHours` on the clock whose plan was followed: each level last
 * done at the most recent multiple of its interval. The first service is marked done once the
 * machine is past it (it never falls due again).
 */
export function initialServiceMarks(spec: CompressorModel, runningHours: number): ServiceMarks {
  const mark = (level: ServiceLevel): number => {
    const every = intervalHours(spec, level);
    return every > 0 ? runningHours - (runningHours % every) : 0;
  };
  const first = intervalHours(spec, 'first');
  return { first: runningHours >= first ? first : 0, A: mark('A'), B: mark('B'), C: mark('C') };
}

/** Hours run since each level was last performed. */
export function serviceHoursSince(marks: ServiceMarks, runningHours: number): ServiceMarks {
  return {
    first: Math.max(0, runningHours - marks.first),
    A: Math.max(0, runningHours - marks.A),
    B: Math.max(0, runningHours - marks.B),
    C: Math.max(0, runningHours - marks.C),
  };
}

/** Marks after a service of `level` at `runningHours`: that level and the ones it includes restart. */
export function markService(marks: ServiceMarks, level: ServiceLevel, runningHours: number): ServiceMarks {
  const next = { ...marks };
  for (const l of SERVICE_LEVEL_INCLUDES[level]) next[l] = runningHours;
  return next;
}

/** Whether a service of `performed` satisfies a due notice for `due` (a C service clears a due B). */
export function serviceCovers(performed: ServiceLevel, due: ServiceLevel): boolean {
  return SERVICE_LEVEL_INCLUDES[performed].includes(due);
}
