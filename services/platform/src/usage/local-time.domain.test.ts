import { describe, expect, it } from 'vitest';
import { localParts, startOfLocalDay, zonedToUtc } from './local-time.domain.ts';

/** What Intl says, field by field: the reference the cached offsets must reproduce. */
const referenceFormats = new Map<string, Intl.DateTimeFormat>();
function reference(ms: number, timeZone: string) {
  let f = referenceFormats.get(timeZone);
  if (!f) referenceFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' })));
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const weekday = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }[p.weekday as string];
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), weekday };
}

// Whole-hour and half-hour DST, a 45-minute offset, the southern hemisphere, no DST at all.
const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Sydney', 'Asia/Shanghai', 'UTC'];
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2027, 0, 1);

describe('local time from cached quarter-hour offsets', () => {
  it.each(ZONES)('%s: every 37 minutes 13 seconds over three years equals Intl', (zone) => {
    for (let ms = FROM; ms < TO; ms += 2_233_000) expect(localParts(ms, zone), new Date(ms).toISOString()).toEqual(reference(ms, zone));
  });

  it.each(ZONES)('%s: around every offset change, to the millisecond', (zone) => {
    let checked = 0;
    for (let hour = FROM; hour < TO; hour += 3_600_000) {
      if (reference(hour, zone).hour === reference(hour + 3_600_000, zone).hour - 1 || reference(hour, zone).hour === 23) continue;
      // The local hour did not advance by one: a transition lies in this hour. Walk it minute by minute.
      for (let ms = hour - 60_000; ms <= hour + 3_660_000; ms += 60_000) {
        for (const x of [ms - 1, ms, ms + 1]) expect(localParts(x, zone), new Date(x).toISOString()).toEqual(reference(x, zone));
        checked += 1;
      }
    }
    if (zone !== 'UTC' && zone !== 'Asia/Shanghai' && zone !== 'Asia/Kathmandu') expect(checked).toBeGreaterThan(0);
  });

  it('local midnight in London on both DST days is a real instant of that day', () => {
    expect(new Date(startOfLocalDay(Date.UTC(2026, 2, 29, 12), 'Europe/London')).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(new Date(startOfLocalDay(Date.UTC(2026, 9, 25, 12), 'Europe/London')).toISOString()).toBe('2026-10-24T23:00:00.000Z');
    // 01:30 does not exist on the spring day: just after the jump.
    expect(new Date(zonedToUtc(2026, 3, 29, 1, 'Europe/London')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });
});
