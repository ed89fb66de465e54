/**
 * The one notion of a data gap (docs/domain.md §7): no telemetry for 3 reporting intervals. The
 * connectivity sweep raises an alarm on it; usage reports stop integrating energy across it.
 */
export const DATA_GAP_INTERVALS = 3;

/**
 * For a device whose birth message did not state telemetryIntervalMs. The live sweep assumes the
 * agents' default (prompt alarms); a report cannot know how a historic machine reported and must
 * not silently drop its energy, so it assumes a slow reporter (3 × 100 s = the former 5-minute cap).
 */
export const DEFAULT_TELEMETRY_INTERVAL_MS = 5000;
export const REPORT_FALLBACK_INTERVAL_MS = 100_000;

/** Silence longer than this is a gap. */
export function dataGapThresholdMs(intervalMs: number, intervals: number = DATA_GAP_INTERVALS): number {
  return intervals * intervalMs;
}
