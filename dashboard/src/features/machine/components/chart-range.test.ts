import { describe, expect, it } from 'vitest';
import { MIN_SPAN_MS, maxPointsFor, pan, presetWindow, startOfDayInZone, zoomOut, zoomTo } from './chart-range.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const H = 3_600_000;

describe('chart time windows', () => {
  it('presets end now and span their length', () => {
    expect(presetWindow('7d', NOW)).toEqual({ from: NOW - 7 * 24 * H, to: NOW, preset: '7d' });
  });

  it('a drag zooms to the selection, but never narrower than a minute', () => {
    expect(zoomTo(NOW - 2 * H, NOW - H, NOW)).toEqual({ from: NOW - 2 * H, to: NOW - H, preset: null });
    const tiny = zoomTo(NOW - 10 * H, NOW - 10 * H + 1000, NOW);
    expect(tiny.to - tiny.from).toBe(MIN_SPAN_MS);
  });

  it('zooming out doubles the span around the centre; the end stops at now', () => {
    expect(zoomOut({ from: NOW - 4 * H, to: NOW - 2 * H, preset: null }, NOW)).toEqual({ from: NOW - 5 * H, to: NOW - H, preset: null });
    expect(zoomOut({ from: NOW - H, to: NOW, preset: '1h' }, NOW)).toEqual({ from: NOW - 2 * H, to: NOW, preset: null });
  });

  it('pans by half a window; later stops at now', () => {
    const w = { from: NOW - 4 * H, to: NOW - 2 * H, preset: null };
    expect(pan(w, -1, NOW)).toEqual({ from: NOW - 5 * H, to: NOW - 3 * H, preset: null });
    expect(pan({ from: NOW - 2 * H, to: NOW - H, preset: null }, 1, NOW)).toEqual({ from: NOW - 1.5 * H, to: NOW - 0.5 * H, preset: null });
    expect(pan({ from: NOW - H, to: NOW, preset: null }, 1, NOW).to).toBe(NOW);
  });

  it('asks for about one bucket per 1.5 px, within the server limits', () => {
    expect(maxPointsFor(600)).toBe(400);
    expect(maxPointsFor(50)).toBe(100);
    expect(maxPointsFor(10_000)).toBe(2000);
  });

  it('finds midnight in the site time zone, not the browser one', () => {
    expect(startOfDayInZone(NOW, 'Asia/Shanghai')).toBe(Date.parse('2026-03-10T00:00:00+08:00'));
    expect(startOfDayInZone(NOW, 'America/Chicago')).toBe(Date.parse('2026-03-10T00:00:00-05:00'));
    expect(startOfDayInZone(Date.parse('2026-03-10T03:00:00Z'), 'America/Chicago')).toBe(Date.parse('2026-03-09T00:00:00-05:00'));
  });
});
