/** Time windows of the history charts: presets, custom ranges, zoom and pan. Pure, epoch ms. */

export const PRESETS = ['1h', '24h', '7d', '30d'] as const;
export type Preset = (typeof PRESETS)[number];

const HOUR = 3_600_000;
export const PRESET_MS: Record<Preset, number> = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

/** Narrower than this, buckets would be finer than the telemetry itself. */
export const MIN_SPAN_MS = 60_000;
/** The server keeps 30 days of history in the demo, more in production; zooming out stops at a year. */
export const MAX_SPAN_MS = 366 * 24 * HOUR;

export interface TimeWindow {
  from: number;
  to: number;
  /** The preset it came from, or null for a custom/zoomed window. */
  preset: Preset | null;
}

export function presetWindow(preset: Preset, now: number): TimeWindow {
  // Whole seconds keep the query key (and the browser cache) stable within a second.
  const to = Math.ceil(now / 1000) * 1000;
  return { from: to - PRESET_MS[preset], to, preset };
}

function clampSpan(from: number, to: number, now: number): TimeWindow {
  let span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, to - from));
  let end = Math.min(to, now);
  if (end - span < 0) span = end;
  end = Math.round(end);
  span = Math.round(span);
  return { from: end - span, to: end, preset: null };
}

/** A drag-selection on a chart: the selected interval, at least MIN_SPAN_MS wide (centred). */
export function zoomTo(from: number, to: number, now: number): TimeWindow {
  const span = to - from;
  if (span >= MIN_SPAN_MS) return clampSpan(from, to, now);
  const centre = (from + to) / 2;
  return clampSpan(centre - MIN_SPAN_MS / 2, centre + MIN_SPAN_MS / 2, now);
}

/** Twice as wide around the same centre; the end never passes now. */
export function zoomOut(w: TimeWindow, now: number): TimeWindow {
  const span = w.to - w.from;
  const centre = (w.from + w.to) / 2;
  let to = Math.min(now, centre + span);
  const from = to - 2 * span;
  to = from + 2 * span;
  return clampSpan(from, to, now);
}

/** Half a window earlier (-1) or later (+1); later stops at now. */
export function pan(w: TimeWindow, direction: -1 | 1, now: number): TimeWindow {
  const span = w.to - w.from;
  const shift = (span / 2) * direction;
  const to = Math.min(now, w.to + shift);
  return clampSpan(to - span, to, now);
}

/** One bucket per ~1.5 px of chart width: finer than the eye can use is wasted bandwidth. */
export function maxPointsFor(widthPx: number): number {
  const points = Math.round(widthPx / 1.5 / 50) * 50;
  return Math.min(2000, Math.max(100, points));
}

/** `<input type="datetime-local">` value (local time, minutes) ⇄ epoch ms. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** Midnight of `now`'s calendar day in an IANA time zone (the site's), as epoch ms. */
export function startOfDayInZone(now: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(now))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wallAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = wallAsUtc - Math.floor(now / 1000) * 1000;
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!) - offset;
}
