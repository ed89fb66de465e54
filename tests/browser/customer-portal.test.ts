import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { requestsResponseSchema, statusTopic, telemetryTopic, usageResponseSchema } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import type { System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { launchBrowser, newPage, poll, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const STEP = MINUTE;
const SAMPLES = (3 * DAY) / STEP;
const LOADED_KW = 40;
const UNLOADED_KW = 10;

/**
 * Three days of 1-minute history for one machine through the real path (MQTT → gateway →
 * ingest → rules), in store-and-forward batches under the 64 KiB limit: loaded three
 * intervals in four at 40 kW and 6.3 m³/min, unloaded at 10 kW the fourth. The birth message
 * makes it online; the last sample is its latest state.
 */
async function publishHistory(sys: System, device: SeededDevice, endMs: number): Promise<MqttClient> {
  const client = await connectDevice(sys.mqttPort, device.id, device.token);
  await publishAsync(client, statusTopic(device.id), JSON.stringify({ online: true, ts: endMs, firmware: 'browser-test/1.0.0', telemetryIntervalMs: STEP }), 1, true);
  let loadedHours = 700;
  const samples = Array.from({ length: SAMPLES }, (_, i) => {
    const isLoaded = i % 4 !== 3;
    const sample = {
      ts: endMs - (SAMPLES - 1 - i) * STEP,
      seq: i,
      state: isLoaded ? 'loaded' : 'unloaded',
      metrics: { pressureBar: 7, powerKw: isLoaded ? LOADED_KW : UNLOADED_KW, flowM3Min: isLoaded ? 6.3 : 0, runningHours: 1000 + i / 60, loadedHours },
    };
    if (isLoaded) loadedHours += 1 / 60;
    return sample;
  });
  for (let i = 0; i < samples.length; i += 120) await publishAsync(client, telemetryTopic(device.id), JSON.stringify(samples.slice(i, i + 120)));
  await waitFor(
    async () => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [device.id])).rows[0].n === SAMPLES,
    `history of ${device.id} stored`,
    60_000,
    200,
  );
  return client;
}

/** What Intl prints for a whole number in English: the figure the page must show. */
const whole = (n: number) => new Intl.NumberFormat('en', { minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(n);

async function headings(page: Page): Promise<string> {
  return (await page.locator('h1, h2').allTextContents()).join(' | ');
}

/** A customer's week with AirFleet, in a real browser against the real system. */
describe('browser: customer portal', () => {
  let sys: System;
  let browser: Browser;
  let sheffield: SeededDevice[];
  let clients: MqttClient[] = [];
  let part: { number: string; printed: string; messy: string };

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
    sheffield = sys.devices.filter((d) => d.siteId === 'northwind-sheffield').slice(0, 2);
    const end = Date.now() - MINUTE;
    clients = await Promise.all(sheffield.map((d) => publishHistory(sys, d, end)));
    // A current catalogue part whose number starts with a zero: typed with dashes and without that zero.
    const { rows } = await sys.pool.query<{ number: string }>(
      `SELECT number FROM parts WHERE number LIKE '0%' AND NOT superseded AND category <> 'service_kit' ORDER BY number LIMIT 1`,
    );
    const number = rows[0]!.number;
    const digits = number.slice(1);
    part = { number, printed: `${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}`, messy: `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}` };
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await browser?.close();
    await sys?.close();
  });

  it('sees usage, exports a CSV, looks up a part, requests a kit quote and reads it all in 简体中文', { timeout: 120_000 }, async () => {
    const { page } = await newPage(browser, { width: 1280, height: 900 });

    // 1. Sign in: a customer lands on their own overview.
    await signIn(page, sys.baseUrl, 'buyer@northwind.example');
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    expect((await nav.getByRole('link').allTextContents()).join(',')).toBe('Overview,Usage,Parts,Requests');
    const northwind = sys.devices.filter((d) => d.customerId === 'northwind');
    await poll(() => page.locator('[data-testid="overview-machines"] [data-device-id]').count()).toBe(northwind.length);
    expect(await page.content()).not.toContain('lakeside');
    await screenshot(page, 'portal-overview', true);

    // 2. Usage of the Sheffield site: the figures on screen are the platform's, from the inserted history.
    const usageAnswers: Array<Promise<unknown>> = [];
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/customer/usage' && url.searchParams.get('siteId') === 'northwind-sheffield' && !url.searchParams.has('format')) usageAnswers.push(r.json());
    });
    await nav.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage and energy', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Show' }).selectOption('site:northwind-sheffield');
    await poll(() => usageAnswers.length).toBeGreaterThan(0);
    const apiUsage = usageResponseSchema.parse(await usageAnswers.at(-1));
    expect(apiUsage.scope).toMatchObject({ kind: 'site', id: 'northwind-sheffield' });
    // Hand figure: 4319 one-minute trapezoids per machine averaging 32.5 kW (pairs 40+40, 40+40, 40+10, 10+40 over 2).
    const handKwh = sheffield.length * (SAMPLES - 1) * (STEP / 3_600_000) * (0.75 * LOADED_KW + 0.25 * UNLOADED_KW);
    expect(apiUsage.totals.kwh).toBeGreaterThan(handKwh * 0.97);
    expect(apiUsage.totals.kwh).toBeLessThan(handKwh * 1.03);
    await poll(() => page.getByTestId('usage-kwh').textContent()).toContain(whole(apiUsage.totals.kwh));
    expect(await page.getByTestId('usage-cost').textContent()).toContain(`£${whole(apiUsage.totals.cost)}`);
    await page.getByTestId('usage-chart').waitFor();
    expect(await page.locator('[data-testid="usage-periods-table"] tbody tr').count()).toBe(apiUsage.rows.length);
    await screenshot(page, 'portal-usage', true);

    // The weekly email is opt-in: off until the customer turns it on here.
    const cookie = await sys.login('buyer@northwind.example');
    const subscription = async () => ((await (await sys.api('/api/customer/report-subscription', cookie)).json()) as { weeklyReport: boolean }).weeklyReport;
    expect(await subscription()).toBe(false);
    await page.getByLabel('Send me the weekly report').check();
    await poll(subscription).toBe(true);

    // 3. CSV export of the period table: a real download with a header row and one row per period.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-periods').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^Period,Energy \(kWh\),/);
    expect(lines.length).toBeGreaterThanOrEqual(apiUsage.rows.length + 1);
    expect(lines.slice(1).some((l) => Number(l.split(',')[1]) > 0)).toBe(true);

    // 4. The print report: the same figures, without the app's navigation, laid out for A4.
    await page.getByTestId('print-report').click();
    await page.getByRole('heading', { name: 'Energy and usage report', level: 1 }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    await poll(() => page.getByTestId('usage-kwh').textContent()).toContain(whole(apiUsage.totals.kwh));
    // Paper: print media on an A4-wide viewport (210 mm at 96 dpi).
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    // Nothing wider than the paper.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(794);
    await screenshot(page, 'portal-report-print', true);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // 5. Parts for my machines → the lookup, with a messy number (dashes, the leading zero dropped).
    await page.goto(`${sys.baseUrl}/my-parts`);
    await page.getByRole('heading', { name: 'Parts for my machines', level: 1 }).waitFor();
    await page.getByTestId('request-kit-quote').first().waitFor();
    await screenshot(page, 'portal-my-parts', true);
    await page.getByTestId('parts-lookup-link').click();
    await page.waitForURL((url) => url.pathname === '/parts');
    const search = page.getByRole('textbox', { name: 'Part number or description' });
    await search.fill(part.messy);
    await search.press('Enter');
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe(part.messy);
    await page.getByTestId('parts-results').getByText(part.printed).first().waitFor();
    await screenshot(page, 'portal-parts-lookup');

    // 6. A kit quote for the first machine's next service, from "parts for my machines".
    await page.goto(`${sys.baseUrl}/my-parts`);
    const firstCard = page.locator('section[data-device-id]').filter({ has: page.getByTestId('request-kit-quote') }).first();
    const deviceId = (await firstCard.getAttribute('data-device-id'))!;
    await firstCard.getByTestId('request-kit-quote').click();
    await page.getByRole('heading', { name: 'New request', level: 1 }).waitFor();
    // The kit arrives pre-attached.
    await poll(() => page.getByTestId('request-kit').inputValue()).not.toBe('');
    const level = await page.getByTestId('request-kit').inputValue();
    // Plus the looked-up part, typed the messy way: the form shows what the number is before sending.
    await page.getByRole('button', { name: 'Add part' }).click();
    await page.getByRole('textbox', { name: 'Part number' }).fill(part.messy);
    await page.getByRole('textbox', { name: 'Part number' }).blur();
    await poll(() => page.getByTestId('part-found').textContent()).toContain(part.printed);
    await screenshot(page, 'portal-request-form');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL((url) => url.pathname === '/requests' && url.searchParams.has('sent'));
    const requestId = new URL(page.url()).searchParams.get('sent')!;
    const row = page.locator(`[data-testid="requests-table"] tr[data-request-id="${requestId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('open');
    expect(await row.textContent()).toContain('Open');
    expect(await row.textContent()).toContain(deviceId);
    const mine = requestsResponseSchema.parse(await (await sys.api('/api/requests', cookie)).json());
    expect(mine.items.find((r) => r.id === requestId)).toMatchObject({
      deviceId,
      kind: 'parts_quote',
      status: 'open',
      attachment: { kit: { level }, parts: [{ partNumber: part.number, quantity: 1 }] },
    });
    await screenshot(page, 'portal-requests');
    await row.getByRole('link', { name: `#${requestId}` }).click();
    await page.getByRole('heading', { name: `Parts quote #${requestId}`, level: 1 }).waitFor();
    expect(await page.getByTestId('request-detail-kit').getAttribute('data-level')).toBe(level);
    await page.getByText('Open', { exact: true }).first().waitFor();
    await page.getByRole('link', { name: 'All requests' }).click();
    await row.waitFor();

    // 7. 简体中文: headings, navigation and statuses switch; the choice sticks across pages.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('heading', { name: '我的请求', level: 1 }).waitFor();
    expect(await row.textContent()).toContain('待处理');
    await page.getByRole('navigation').getByRole('link', { name: '用量' }).click();
    await page.getByRole('heading', { name: '用量与能耗', level: 1 }).waitFor();
    await page.getByRole('heading', { name: '按周期' }).waitFor();
    expect(await headings(page)).not.toMatch(/Usage|Period|Savings/);
    await screenshot(page, 'portal-usage-zh-CN', true);
    await page.getByRole('navigation').getByRole('link', { name: '概览' }).click();
    await page.getByRole('heading', { name: '概览', level: 1 }).waitFor();
    await page.getByRole('heading', { name: '您的设备' }).waitFor();
    await screenshot(page, 'portal-overview-zh-CN', true);
  });

  it('shows the admin what customers did: weekly active users and the most used features', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'admin@airfleet.example');
    await page.getByRole('navigation').getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { name: 'Engagement', level: 1 }).waitFor();
    // The customer's visit above: at least one active customer user this week, sign-ins among the features.
    const thisWeek = page.locator('[data-testid="wau-table"] tbody tr').last();
    expect(Number(await thisWeek.locator('td').nth(2).textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('top-features').textContent()).toContain('Sign-in');
    await screenshot(page, 'portal-insights', true);
  });
});
