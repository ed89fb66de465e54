import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeeklyReporting, type WeeklyReportJob } from '@airfleet/platform';
import { createLogger } from '@airfleet/runtime';
import { insertTelemetry } from '../support/platform-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startSystem, type System } from '../support/system-harness.ts';

const MIN = 60_000;
/** Monday 2026-11-23 07:00 in Shanghai = Sunday 23:00 in London. */
const MONDAY_SHANGHAI_0700 = Date.UTC(2026, 10, 22, 23, 0);
/** Monday 2026-11-23 06:30 in London. */
const MONDAY_LONDON_0630 = Date.UTC(2026, 10, 23, 6, 30);

/**
 * The opt-in weekly email report, run once against a real SMTP server through the
 * notifications email path (as main.ts wires it). The schedule follows the customer's site time
 * zone (Monday 06:00 local); a Chinese-locale user gets Chinese text.
 */
/** PUBLIC_URL as an installation would set it (with a path prefix): the report links below it. */
const PUBLIC_URL = 'https://fleet.airfleet.example/huadong';

describe('weekly email report', () => {
  let sink: SmtpSink;
  let sys: System;
  let job: WeeklyReportJob;
  let failNext = false;

  beforeAll(async () => {
    sink = await startSmtpSink();
    sys = await startSystem({ smtpUrl: sink.url });
    // One Huadong machine ran Wednesday 2026-11-18 10:00–11:00 Shanghai time at 40 kW:
    // 40 kWh → 40 × 0.72 CNY = 28.80 CNY; 6 m³/min × 60 min = 360 m³.
    const machine = sys.devices.find((d) => d.customerId === 'huadong')!;
    const start = Date.UTC(2026, 10, 18, 2, 0);
    await insertTelemetry(
      sys.pool,
      machine.id,
      Array.from({ length: 61 }, (_, i) => ({ ts: start + i * MIN, seq: i, state: 'loaded' as const, metrics: { powerKw: 40, flowM3Min: 6, pressureBar: 7.3, runningHours: 3000 + i / 60, loadedHours: 2500 + i / 60 } })),
    );
    const huadong = await sys.login('buyer@huadong.example');
    const northwind = await sys.login('buyer@northwind.example');
    for (const [cookie, locale] of [[huadong, 'zh-CN'], [northwind, 'en']] as const) {
      const res = await sys.api('/api/customer/report-subscription', cookie, { method: 'PUT', body: JSON.stringify({ weeklyReport: true, locale }) });
      expect(res.status).toBe(200);
    }
    expect(await (await sys.api('/api/customer/report-subscription', huadong)).json()).toEqual({ weeklyReport: true, locale: 'zh-CN' });
    // Lakeside's buyer did not opt in: never mailed.
    job = createWeeklyReporting({
      pool: sys.pool,
      log: createLogger('weekly-report-test', { level: 'silent' }),
      intervalMs: 0,
      publicUrl: PUBLIC_URL,
      send: async ({ userId, subject, text, html, dedupeKey }) => {
        if (failNext) {
          failNext = false;
          throw new Error('mail relay refused');
        }
        const queued = await sys.notifications.sendEmail({ userId, kind: 'report', subject, text, html, dedupeKey, respectPreferences: false });
        if (!queued) throw new Error('not queued');
      },
    });
  });
  afterAll(async () => {
    await job?.stop();
    await sys?.close();
    await sink?.close();
  });

  async function deliver(): Promise<void> {
    await sys.notifications.tick();
  }

  it('Monday 07:00 in Shanghai: the Chinese user gets last week’s report in Chinese; London is not due yet', async () => {
    // 05:00 Shanghai (Sunday 21:00 London): last week's reports are not due before Monday 06:00
    // local, so a new subscriber gets the latest due week at once: 9–15 November.
    expect(await job.runOnce(Date.UTC(2026, 10, 22, 21, 0))).toMatchObject({ sent: 2 });
    await deliver();
    expect(sink.mails.map((m) => m.subject).sort()).toEqual(['AirFleet weekly report for Northwind Metalworks: week of 2026-11-09', 'AirFleet 周报（Huadong Textiles）：2026-11-09 当周']);
    const result = await job.runOnce(MONDAY_SHANGHAI_0700);
    expect(result).toMatchObject({ sent: 1, failed: 0 });
    await deliver();
    const huadongMails = sink.mails.filter((m) => m.to.includes('buyer@huadong.example'));
    expect(huadongMails).toHaveLength(2);
    const mail = huadongMails[1]!;
    expect(mail.to).toEqual(['buyer@huadong.example']);
    expect(mail.subject).toContain('AirFleet 周报');
    expect(mail.subject).toContain('2026-11-16');
    expect(mail.text).toContain('以下是 2026-11-16 至 2026-11-22 的压缩空气数据');
    expect(mail.text).toContain('电能: 40 kWh');
    expect(mail.text).toContain('电费: 28.80 CNY');
    expect(mail.text).toContain('节能机会（每年）');
    // The week of the machine's site on the portal's usage page, and as the printable report.
    const siteId = sys.devices.find((d) => d.customerId === 'huadong')!.siteId;
    const week = `site=${siteId}&from=2026-11-16&to=2026-11-23&g=day`;
    expect(mail.text).toContain(`在用量页面查看本周数据：${PUBLIC_URL}/usage?${week}`);
    expect(mail.text).toContain(`可打印报告：${PUBLIC_URL}/reports/print?${week}`);
    expect(mail.text).not.toMatch(/Energy|Hello/);
    // The HTML part is there too, escaped and in Chinese.
    expect(mail.raw).toMatch(/text\/html/);
  });

  it('is idempotent: a second run in the same week sends nothing', async () => {
    expect(await job.runOnce(MONDAY_SHANGHAI_0700 + 30 * MIN)).toMatchObject({ sent: 0 });
  });

  it('Monday 06:30 in London: the English user gets an English report; a failed send is retried on the next run', async () => {
    failNext = true;
    expect(await job.runOnce(MONDAY_LONDON_0630)).toMatchObject({ sent: 0, failed: 1 });
    expect(await job.runOnce(MONDAY_LONDON_0630 + 15 * MIN)).toMatchObject({ sent: 1, failed: 0 });
    await deliver();
    const mail = sink.mails.find((m) => m.to.includes('buyer@northwind.example') && m.subject.endsWith('2026-11-16'))!;
    expect(mail.subject).toBe('AirFleet weekly report for Northwind Metalworks: week of 2026-11-16');
    expect(mail.text).toContain('here are your compressed-air figures for 2026-11-16 – 2026-11-22.');
    expect(mail.text).toContain('No data from this site this week.');
    expect(sink.mails.filter((m) => m.to.includes('buyer@northwind.example'))).toHaveLength(2);
    expect(sink.mails.some((m) => m.to.includes('buyer@lakeside.example'))).toBe(false);
  });
});
