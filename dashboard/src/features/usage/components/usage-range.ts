import type { UsageGranularity } from '@airfleet/contracts';

export const RANGE_PRESETS = ['7d', '30d', '90d', '365d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
const PRESET_DAYS: Record<RangePreset, number> = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone: usage periods are the site's local days. */
export function localDate(ms: number, timeZone: string): string {
  // en-CA writes ISO-ordered dates; the parts keep it independent of that locale's punctuation.
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export const isDate = (s: string | null | undefined): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

/** The last N days including today: `to` is tomorrow (exclusive end). */
export function presetRange(preset: RangePreset, nowMs: number, timeZone: string): { from: string; to: string } {
  const to = addDays(localDate(nowMs, timeZone), 1);
  return { from: addDays(to, -PRESET_DAYS[preset]), to };
}

/** A period length that gives a readable number of bars for the range. */
export function defaultGranularity(from: string, to: string): UsageGranularity {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  return days > 120 ? 'month' : days > 35 ? 'week' : 'day';
}

/** A period label as people read it: a day, "week of 3 Nov", or a month. */
export function formatPeriod(period: string, granularity: UsageGranularity, lng: string): string {
  if (granularity === 'month') {
    const [y, m] = period.split('-').map(Number) as [number, number];
    return new Intl.DateTimeFormat(lng, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
  }
  const [y, m, d] = period.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (granularity === 'week') {
    const end = new Date(Date.UTC(y, m - 1, d + 6));
    const f = new Intl.DateTimeFormat(lng, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    return `${f.format(date)} – ${f.format(end)}`;
  }
  return new Intl.DateTimeFormat(lng, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}
