import type { Judgment, JudgmentKind, JudgmentStatus } from '@airfleet/contracts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * How long each kind of judgment stays valid. Urgent requests go stale fast (a shutdown
 * request from a quarter of an hour ago must not stop a machine that has since cooled);
 * advice keeps for a week, and is re-issued afterwards if it still holds.
 */
export const JUDGMENT_TTL_MS: Readonly<Record<JudgmentKind, number>> = {
  shutdown_request: 15 * MIN,
  derate: 4 * HOUR,
  maintenance_due: 7 * DAY,
  setpoint_advice: 7 * DAY,
  inspect: 7 * DAY,
  service_reset: 30 * DAY,
};

/** kind and params, still correlated (a plain Pick of the union would lose that). */
export type KindAndParams = { [K in JudgmentKind]: Pick<Extract<Judgment, { kind: K }>, 'kind' | 'params'> }[JudgmentKind];

/**
 * Two judgments of one kind with the same key are the same advice: while one stands
 * (pending, sent, applied or rejected, and not expired) it is not sent again. A different
 * key supersedes the open one (a later derate replaces the earlier one, protocol §9).
 */
export function judgmentDedupeKey(j: KindAndParams): string {
  switch (j.kind) {
    case 'maintenance_due':
      return `${j.params.level}:${j.params.dueInHours <= 0 ? 'now' : 'plan'}`;
    case 'setpoint_advice':
      return `${j.params.loadBar}-${j.params.unloadBar}`;
    case 'derate':
      return `${j.params.maxLoadedDutyPct ?? ''}/${j.params.maxPressureBar ?? ''}`;
    case 'inspect':
      return j.params.check;
    case 'shutdown_request':
      return j.params.code ?? '';
    case 'service_reset':
      return `${j.params.level}:${j.params.workOrderId ?? ''}`;
  }
}

/**
 * Kinds whose newer judgment replaces the older one's effect on the device (protocol §9: "a
 * later derate replaces the earlier one"): only the latest standing one counts when
 * deciding whether a draft is new advice. For the others, any standing one with the same key
 * means the advice was already given.
 */
const REPLACING_KINDS: ReadonlySet<JudgmentKind> = new Set(['derate', 'setpoint_advice']);

/** "Replace now" outranks a plan reminder: a routine reminder must not displace an urgent one. */
export function judgmentPriority(kind: JudgmentKind, dedupeKey: string): number {
  return kind === 'maintenance_due' && dedupeKey.endsWith(':now') ? 2 : 1;
}

/**
 * Whether a rule's draft is worth sending, given the judgments of the same device and kind
 * that still stand (newest first). Rules re-emit their drafts freely (every touch, every
 * service check); this is where "don't send the same advice every sample" is decided.
 */
export function shouldIssue(kind: JudgmentKind, dedupeKey: string, standingNewestFirst: readonly string[]): boolean {
  const priority = judgmentPriority(kind, dedupeKey);
  if (standingNewestFirst.some((k) => judgmentPriority(kind, k) > priority)) return false;
  if (REPLACING_KINDS.has(kind)) return standingNewestFirst[0] !== dedupeKey;
  return !standingNewestFirst.includes(dedupeKey);
}

/** Statuses in which a judgment still stands (blocks an equivalent one until it expires). */
export const STANDING_STATUSES: readonly JudgmentStatus[] = ['pending', 'sent', 'applied', 'rejected'];
/** Not answered yet: may be (re)sent. */
export const OPEN_STATUSES: readonly JudgmentStatus[] = ['pending', 'sent'];

export type AckResult = 'applied' | 'rejected' | 'ignored';

/**
 * Status after a device's ack (protocol §10). The first answer wins. An answer to a
 * judgment the platform already marked expired counts only if the device decided in time
 * (ack ts ≤ expiresAt: the ack was merely late); "ignored" never revives one.
 */
export function statusAfterAck(current: JudgmentStatus, hasAck: boolean, result: AckResult, ackTs: number, expiresAt: number): JudgmentStatus | null {
  if (current === 'pending' || current === 'sent') return result;
  if (current === 'expired' && !hasAck) return result !== 'ignored' && ackTs <= expiresAt ? result : 'expired';
  return null;
}
