import type { TFunction } from 'i18next';

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Locale-aware number with a fixed number of decimals; an em dash for "no value". */
export function formatNumber(value: number | null | undefined, lng: string, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const key = `${lng}:${decimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lng, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

export function formatDateTime(value: number | string | null | undefined, lng: string, timeZone?: string): string {
  if (value === null || value === undefined) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  // 24-hour clock in every language: no AM/PM misreading on a shift log.
  return date.toLocaleString(lng, { dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
}

export function formatTime(value: number | string, lng: string): string {
  return new Date(value).toLocaleTimeString(lng, { timeStyle: 'medium', hourCycle: 'h23' });
}

/** "12 s ago", "3 min ago" … from two epoch-ms instants. */
export function formatAgo(thenMs: number | null, nowMs: number, t: TFunction): string | null {
  if (thenMs === null) return null;
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 5) return t('time.justNow');
  if (s < 60) return t('time.secondsAgo', { count: s });
  const min = Math.floor(s / 60);
  if (min < 60) return t('time.minutesAgo', { count: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t('time.hoursAgo', { count: h });
  return t('time.daysAgo', { count: Math.floor(h / 24) });
}

/** A bucket width as people say it: 5 s, 2 min, 1 h, 1 d. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

/** A calendar day (due dates, plans): no time of day, which would suggest a precision the plan does not have. */
export function formatDate(value: number | string | null | undefined, lng: string, timeZone?: string): string {
  if (value === null || value === undefined) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleDateString(lng, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) });
}
