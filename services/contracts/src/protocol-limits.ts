/** Protocol v1 limits. Devices and the platform both read them from here. */
export const PROTOCOL_LIMITS = {
  /** Largest accepted payload on any uplink topic. */
  maxPayloadBytes: 64 * 1024,
  /** Largest telemetry array (store-and-forward replay). */
  maxBatchSamples: 500,
  /** Store-and-forward horizon: older samples are dead-lettered. */
  maxPastMs: 7 * 24 * 60 * 60 * 1000,
  /** Allowed device clock skew into the future. */
  maxFutureMs: 5 * 60 * 1000,
  /** Unknown numeric metrics kept as extras, at most this many per sample. */
  maxExtraMetrics: 32,
} as const;

export type TimestampVerdict = 'ok' | 'too_old' | 'in_future';

/** Pure check of a sample timestamp against the receive time (both epoch ms). */
export function checkTimestampWindow(ts: number, receivedAtMs: number): TimestampVerdict {
  if (ts < receivedAtMs - PROTOCOL_LIMITS.maxPastMs) return 'too_old';
  if (ts > receivedAtMs + PROTOCOL_LIMITS.maxFutureMs) return 'in_future';
  return 'ok';
}
