import type { DeadLetterDraft } from '../ingest/uplink-parse.domain.ts';

/**
 * Dead-letter throttling, pure. A device that publishes bad payloads at wire speed must not turn
 * each one into a stored row: per source (the device, or the topic when no device is known) and
 * reason, the first `keepPerWindow` dead letters of each window are stored in full, the rest are
 * only counted. Every dead letter is counted, kept or not, so the operator still sees how many a
 * device sent.
 *
 * Windows are aligned to the epoch (`floor(now / windowMs)`): every key's window turns over at
 * the same instant, and the state holds only the current window's keys.
 */
export interface SamplingPolicy {
  /** Dead letters stored in full per source, reason and window. */
  keepPerWindow: number;
  windowMs: number;
  /**
   * Keys (source × reason) remembered per window. A flood of distinct topics must not grow the
   * state without bound: past this, a new key's dead letters are counted, not stored.
   */
  maxKeys: number;
}

export const DEFAULT_SAMPLING: SamplingPolicy = { keepPerWindow: 10, windowMs: 60_000, maxKeys: 10_000 };

/** Dead letters stored so far in the current window, per key. Immutable: a batch that does not commit leaves it as it was. */
export interface SamplerState {
  windowStartMs: number;
  kept: ReadonlyMap<string, number>;
}

export const EMPTY_SAMPLER: SamplerState = { windowStartMs: -1, kept: new Map() };

/** One row of dead_letter_counts' upsert: what a batch adds to a source's window. */
export interface DeadLetterTally {
  source: string;
  deviceId: string | null;
  reason: string;
  windowStartMs: number;
  /** The batch's time: the newest dead letter of the window so far. */
  atMs: number;
  kept: number;
  dropped: number;
}

export interface SampleOutcome {
  /** The dead letters to store, in batch order. */
  keep: DeadLetterDraft[];
  /** One per source and reason of the batch (an upsert may touch each row once per statement). */
  tallies: DeadLetterTally[];
  /** The state once the batch is committed. */
  next: SamplerState;
}

export function sourceOf(d: Pick<DeadLetterDraft, 'deviceId' | 'topic'>): string {
  return d.deviceId ?? d.topic;
}

/** Decides which of a batch's dead letters are stored and what is counted. */
export function sampleDeadLetters(state: SamplerState, drafts: readonly DeadLetterDraft[], nowMs: number, policy: SamplingPolicy): SampleOutcome {
  const windowStartMs = Math.floor(nowMs / policy.windowMs) * policy.windowMs;
  const kept = new Map(state.windowStartMs === windowStartMs ? state.kept : []);
  const keep: DeadLetterDraft[] = [];
  const tallies = new Map<string, DeadLetterTally>();
  for (const d of drafts) {
    const source = sourceOf(d);
    // NUL cannot occur in a topic or device id that reached this point (text columns refuse it).
    const key = `${source}\u0000${d.reason}`;
    let tally = tallies.get(key);
    if (!tally) {
      tally = { source, deviceId: d.deviceId, reason: d.reason, windowStartMs, atMs: nowMs, kept: 0, dropped: 0 };
      tallies.set(key, tally);
    }
    const so = kept.get(key);
    const room = so === undefined ? kept.size < policy.maxKeys : so < policy.keepPerWindow;
    if (room && policy.keepPerWindow > 0) {
      kept.set(key, (so ?? 0) + 1);
      keep.push(d);
      tally.kept += 1;
    } else {
      tally.dropped += 1;
    }
  }
  return { keep, tallies: [...tallies.values()], next: { windowStartMs, kept } };
}
