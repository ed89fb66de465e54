import type { UsageGranularity } from '@airfleet/contracts';

/**
 * Calendar arithmetic in a site's IANA time zone, pure (Intl only, no clock). Periods are local
 * calendar periods, so a day in Shanghai starts at 16:00 UTC the day before, and a DST day in
 * London has 23 or 25 hours.
 */
export interface LocalParts {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in ms, from Intl (exact, and slow: ~10 µs a call). */
function exactOffsetAt(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - wholeSecond;
}

/**
 * Offsets per zone and quarter hour. Zones change their offset at most at a transition, and a
 * quarter hour whose first and last millisecond share an offset has it throughout; one holding a
 * transition is answered exactly every time. A year of daily usage for a fleet asks for millions
 * of local dates, which Intl alone made the platform's largest CPU cost.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const offsets = new Map<string, number>();
function offsetAt(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR_MS);
  const key = `${timeZone}|${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const first = exactOffsetAt(bucket * QUARTER_HOUR_MS, timeZone);
  if (first !== exactOffsetAt((bucket + 1) * QUARTER_HOUR_MS - 1, timeZone)) return exactOffsetAt(ms, timeZone);
  if (offsets.size >= 200_000) offsets.clear();
  offsets.set(key, first);
  return first;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const local = new Date(ms + offsetAt(ms, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
  };
}

/** The instant a local wall-clock time happens (for a time skipped by DST: just after the jump). */
export function zonedToUtc(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour);
  let guess = asUtc - offsetAt(asUtc, timeZone);
  // A second pass corrects guesses that landed on the other side of a DST change.
  guess = asUtc - offsetAt(guess, timeZone);
  return guess;
}

/** Local midnight that starts the local day holding `ms`. */
export function startOfLocalDay(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return zonedToUtc(p.year, p.month, p.day, 0, timeZone);
}

export function localDateLabel(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` as the start of that local day. */
export function localDateToUtc(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedToUtc(y, m, d, 0, timeZone);
}

export interface Period {
  label: string;
  startMs: number;
  endMs: number;
}

/** Start of the period (day, ISO week from Monday, month) holding `ms`, local. */
export function periodStart(ms: number, granularity: UsageGranularity, timeZone: string): { startMs: number; label: string } {
  const p = localParts(ms, timeZone);
  if (granularity === 'month') {
    return { startMs: zonedToUtc(p.year, p.month, 1, 0, timeZone), label: `${p.year}-${String(p.month).padStart(2, '0')}` };
  }
  // Calendar arithmetic on a UTC-noon proxy date avoids DST edges while stepping days back.
  const back = granularity === 'week' ? p.weekday - 1 : 0;
  const proxy = new Date(Date.UTC(p.year, p.month - 1, p.day - back, 12));
  const y = proxy.getUTCFullYear();
  const m = proxy.getUTCMonth() + 1;
  const d = proxy.getUTCDate();
  return { startMs: zonedToUtc(y, m, d, 0, timeZone), label: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

function nextPeriodStart(startMs: number, granularity: UsageGranularity, timeZone: string): number {
  const p = localParts(startMs, timeZone);
  if (granularity === 'month') return p.month === 12 ? zonedToUtc(p.year + 1, 1, 1, 0, timeZone) : zonedToUtc(p.year, p.month + 1, 1, 0, timeZone);
  const proxy = new Date(Date.UTC(p.year, p.month - 1, p.day + (granularity === 'week' ? 7 : 1), 12));
  return zonedToUtc(proxy.getUTCFullYear(), proxy.getUTCMonth() + 1, proxy.getUTCDate(), 0, timeZone);
}

/** Every period overlapping [fromMs, toMs), clipped to the range. Capped so a bad query cannot explode. */
export function periodsBetween(fromMs: number, toMs: number, granularity: UsageGranularity, timeZone: string, max = 2000): Period[] {
  const out: Period[] = [];
  let { startMs, label } = periodStart(fromMs, granularity, timeZone);
  while (startMs < toMs && out.length < max) {
    const endMs = nextPeriodStart(startMs, granularity, timeZone);
    out.push({ label, startMs: Math.max(startMs, fromMs), endMs: Math.min(endMs, toMs) });
    startMs = endMs;
    label = periodStart(endMs, granularity, timeZone).label;
  }
  return out;
}

const QUARTER_MS = 15 * 60_000;
const nonProductionCache = new Map<string, Map<number, boolean>>();

/**
 * Nights 22:00–05:00 and weekends, local: when a plant normally produces nothing (docs/domain.md §4).
 * Called once per telemetry interval, so answers are cached per UTC quarter hour (every zone's
 * offset is a whole number of quarter hours, so a quarter never straddles a local hour).
 */
export function isNonProduction(ms: number, timeZone: string): boolean {
  let cache = nonProductionCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    nonProductionCache.set(timeZone, cache);
  }
  const key = Math.floor(ms / QUARTER_MS);
  let hit = cache.get(key);
  if (hit === undefined) {
    const p = localParts(key * QUARTER_MS, timeZone);
    hit = p.weekday >= 6 || p.hour >= 22 || p.hour < 5;
    // Bounded: a year of quarters per zone is 35 k entries; start over beyond that.
    if (cache.size > 100_000) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}
