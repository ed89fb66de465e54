/**
 * Retry schedule of failed deliveries: exponential (base × 2^(attempt−1), capped) with
 * "equal jitter" — half the delay fixed, half random — so endpoints that failed together
 * do not all retry in the same second, yet no retry comes sooner than half the schedule.
 * After `maxAttempts` failures the notification is dead-lettered with its last error.
 */
export interface BackoffPolicy {
  maxAttempts: number;
  baseMs?: number;
  capMs?: number;
}

export const DEFAULT_BACKOFF_BASE_MS = 30_000;
export const DEFAULT_BACKOFF_CAP_MS = 60 * 60_000;

/** Delay before attempt `attempt + 1`, after `attempt` (≥ 1) failed attempts. `random` ∈ [0, 1). */
export function backoffDelayMs(attempt: number, random: () => number, policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'> = {}): number {
  const base = policy.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = policy.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const full = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + random() * (full / 2));
}

export type FailureOutcome = { status: 'dead' } | { status: 'failed'; nextAttemptAtMs: number };

/** After a failed attempt: retry later, or give up when `attempts` reached the maximum. */
export function afterFailure(attempts: number, nowMs: number, random: () => number, policy: BackoffPolicy): FailureOutcome {
  if (attempts >= policy.maxAttempts) return { status: 'dead' };
  return { status: 'failed', nextAttemptAtMs: nowMs + backoffDelayMs(attempts, random, policy) };
}
