import { describe, expect, it } from 'vitest';
import { addDays, defaultGranularity, formatPeriod, localDate, presetRange } from './usage-range.ts';

describe('usage ranges in the site’s calendar', () => {
  it('takes the local date of the site, not of the browser', () => {
    const ms = Date.parse('2026-11-22T23:30:00Z');
    expect(localDate(ms, 'Europe/London')).toBe('2026-11-22');
    expect(localDate(ms, 'Asia/Shanghai')).toBe('2026-11-23');
    expect(localDate(ms, 'America/Chicago')).toBe('2026-11-22');
  });

  it('the last 7 days include today and end, exclusive, at tomorrow', () => {
    const ms = Date.parse('2026-11-22T10:00:00Z');
    expect(presetRange('7d', ms, 'Europe/London')).toEqual({ from: '2026-11-16', to: '2026-11-23' });
    expect(presetRange('30d', ms, 'Asia/Shanghai')).toEqual({ from: '2026-10-24', to: '2026-11-23' });
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('picks a period length that gives readable bars', () => {
    expect(defaultGranularity('2026-11-16', '2026-11-23')).toBe('day');
    expect(defaultGranularity('2026-08-25', '2026-11-23')).toBe('week');
    expect(defaultGranularity('2025-11-23', '2026-11-23')).toBe('month');
  });

  it('labels periods in the reader’s language', () => {
    expect(formatPeriod('2026-11', 'month', 'en')).toBe('November 2026');
    expect(formatPeriod('2026-11', 'month', 'zh-CN')).toBe('2026年11月');
    expect(formatPeriod('2026-11-02', 'week', 'en')).toBe('Nov 2 – Nov 8');
  });
});
