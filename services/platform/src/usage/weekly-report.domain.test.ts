import { describe, expect, it } from 'vitest';
import { figuresOf, emptySums } from './usage.domain.ts';
import { buildWeeklyReport } from './weekly-report.domain.ts';
import { dueWeek } from './weekly-report.job.ts';

const tariff = { currency: 'CNY', tariffPerKwh: 0.72, gridCo2KgPerKwh: 0.58 };
const sums = { ...emptySums(), kwh: 1000, airM3: 9000, runningHours: 100, loadedHours: 80, unloadedKwh: 200, coveredHours: 100, ratedWeighted: 900 };
const savings = [{ kind: 'leaks' as const, deviceId: null, title: 'Repair leaks <now>', kwhPerYear: 1234, moneyPerYear: 888.5, co2KgPerYear: 700, assumptions: ['Half is recovered & more'] }];

describe('buildWeeklyReport', () => {
  const input = { recipientName: 'Li', customerName: 'Huadong', weekStart: '2026-11-16', weekEnd: '2026-11-22', sites: [{ siteName: '松江 <Mill>', currency: 'CNY', totals: figuresOf(sums, tariff), savings }] };
  it('English: key numbers and savings with figures', () => {
    const r = buildWeeklyReport({ ...input, locale: 'en' });
    expect(r.subject).toBe('AirFleet weekly report for Huadong: week of 2026-11-16');
    expect(r.text).toContain('Energy: 1,000 kWh');
    expect(r.text).toContain('Cost: 720.00 CNY'); // 1000 × 0.72
    expect(r.text).toContain('CO₂: 580 kg');
    expect(r.text).toContain('Load factor: 80 %');
    expect(r.text).toContain('Specific energy: 0.111 kWh/m³ (rated 0.100)');
    expect(r.text).toContain('Repair leaks <now>: 1,234 kWh, 889 CNY');
  });
  it('简体中文, and HTML escapes what it shows', () => {
    const r = buildWeeklyReport({ ...input, locale: 'zh-CN' });
    expect(r.subject).toBe('AirFleet 周报（Huadong）：2026-11-16 当周');
    expect(r.text).toContain('电能: 1,000 kWh');
    expect(r.text).toContain('节能机会（每年）');
    expect(r.html).toContain('<html lang="zh-CN">');
    expect(r.html).toContain('松江 &lt;Mill&gt;');
    expect(r.html).toContain('Half is recovered &amp; more');
    expect(r.html).not.toContain('<Mill>');
  });
});

describe('dueWeek: Monday 06:00 in the site zone', () => {
  it.each([
    [Date.UTC(2026, 10, 22, 21, 59), 'Asia/Shanghai', '2026-11-09'], // Monday 05:59 Shanghai: not yet last week
    [Date.UTC(2026, 10, 22, 22, 0), 'Asia/Shanghai', '2026-11-16'], // Monday 06:00
    [Date.UTC(2026, 10, 23, 5, 59), 'Europe/London', '2026-11-09'], // Monday 05:59 London: the week before is the latest due
    [Date.UTC(2026, 10, 23, 6, 0), 'Europe/London', '2026-11-16'],
    [Date.UTC(2026, 10, 25, 12, 0), 'America/Chicago', '2026-11-16'],
  ])('%s in %s → %s', (now, tz, label) => {
    expect(dueWeek(now, tz).label).toBe(label);
  });
});

describe('buildWeeklyReport: links (PUBLIC_URL)', () => {
  const site = { siteId: 's-1', from: '2026-11-16', to: '2026-11-23', siteName: 'Songjiang', currency: 'CNY', totals: figuresOf(sums, tariff), savings };
  const input = { locale: 'en' as const, recipientName: 'Li', customerName: 'Huadong', weekStart: '2026-11-16', weekEnd: '2026-11-22', sites: [site] };
  const q = 'site=s-1&from=2026-11-16&to=2026-11-23&g=day';

  it('links the site’s week on the usage page and the print page, the portal, and where to unsubscribe', () => {
    const r = buildWeeklyReport({ ...input, publicUrl: 'https://fleet.example.com' });
    expect(r.text).toContain(`This week on the usage page: https://fleet.example.com/usage?${q}`);
    expect(r.text).toContain(`Printable report: https://fleet.example.com/reports/print?${q}`);
    expect(r.text).toContain('Open the portal: https://fleet.example.com/portal');
    expect(r.text).toContain('Turn it off on the usage page: https://fleet.example.com/usage');
    expect(r.html).toContain(`<a href="https://fleet.example.com/usage?${q.replaceAll('&', '&amp;')}">This week on the usage page</a>`);
    expect(r.html).toContain(`<a href="https://fleet.example.com/reports/print?${q.replaceAll('&', '&amp;')}">Printable report</a>`);
  });

  it('without PUBLIC_URL: no links at all', () => {
    const r = buildWeeklyReport({ ...input, locale: 'zh-CN' });
    expect(r.text).not.toMatch(/https?:|\/usage|\/portal/);
    expect(r.html).not.toContain('href');
  });
});
