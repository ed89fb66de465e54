import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser, Page, Request } from 'playwright-core';
import { telemetrySeriesSchema, telemetryTopic } from '@airfleet/contracts';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import type { System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { launchBrowser, newPage, poll, publishLive, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The window a telemetry request asked for. */
function windowOf(request: Request): { from: number; to: number; span: number; maxPoints: number } {
  const q = new URL(request.url()).searchParams;
  const from = Number(q.get('from'));
  const to = Number(q.get('to'));
  return { from, to, span: to - from, maxPoints: Number(q.get('maxPoints')) };
}

const isHistoryRequest = (deviceId: string) => (r: Request) =>
  new URL(r.url()).pathname === `/api/devices/${deviceId}/telemetry` && (new URL(r.url()).searchParams.get('metrics') ?? '').includes('pressureBar');

async function chartPoints(page: Page): Promise<number> {
  return Number(await page.getByTestId('history-chart').first().getAttribute('data-points'));
}

/** Scenario 2: a chart draws real data, and changing the range (preset, then a drag-zoom) refetches it. */
describe('browser: machine page', () => {
  let sys: System;
  let browser: Browser;
  let device: MqttClient;
  let deviceId: string;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
    const d = sys.devices.find((x) => x.modelId === 'AF37')!;
    deviceId = d.id;
    device = await connectDevice(sys.mqttPort, d.id, d.token);
    // Three days of history every 5 minutes, through the real ingest path (replay batches under the 64 KiB limit).
    const now = Date.now();
    const samples = Array.from({ length: 864 }, (_, i) => {
      const loaded = i % 3 !== 0;
      return {
        ts: now - 3 * DAY + i * 5 * 60_000,
        seq: i,
        state: loaded ? 'loaded' : 'unloaded',
        metrics: {
          pressureBar: 6.8 + (i % 10) / 20,
          elementTempC: 80 + (i % 24) / 2,
          powerKw: loaded ? 40.5 : 10.1,
          flowM3Min: loaded ? 6.3 : 0,
          separatorDpBar: 0.2 + i / 100_000,
          airFilterDpMbar: 20 + i / 1000,
          vibrationMmS: 2 + (i % 7) / 10,
          runningHours: 1000 + (i * 5) / 60,
          loadedHours: 700 + ((i - Math.floor(i / 3)) * 5) / 60,
        },
      };
    });
    for (let i = 0; i < samples.length; i += 120) await publishAsync(device, telemetryTopic(d.id), JSON.stringify(samples.slice(i, i + 120)));
    await waitFor(async () => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [d.id])).rows[0].n === samples.length, 'history stored');
    await publishLive(device, d.id, 10_000, { pressureBar: 7.02, elementTempC: 84.4, powerKw: 40.1, flowM3Min: 6.3, runningHours: 1072.1, loadedHours: 748.3, motorStarts: 321, loadCycles: 4567 });
  });
  afterAll(async () => {
    await device?.endAsync();
    await browser?.close();
    await sys?.close();
  });

  it('draws the last 24 h from server buckets; 7 d and a drag-zoom each refetch at the right resolution', { timeout: 90_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');

    const first = page.waitForRequest(isHistoryRequest(deviceId));
    await page.goto(`${sys.baseUrl}/machines/${deviceId}`);
    const day = windowOf(await first);
    expect(day.span).toBe(DAY);
    // Real data on the canvas: 24 h of 5-minute samples is ~288 buckets (the server chose the width).
    await poll(() => chartPoints(page), 15_000).toBeGreaterThan(250);
    expect(await page.getByTestId('history-chart').count()).toBe(7);
    expect(await page.locator('[data-testid="history-chart"] canvas').count()).toBe(7);
    await poll(() => page.getByTestId('live-values').locator('[data-metric="pressureBar"]').textContent()).toContain('7.02');
    await poll(() => page.getByTestId('kpi-load-factor').textContent()).toMatch(/6[5-9]\s?%/);
    // Full-load specific power from the loaded buckets: 40.5 kW / 6.3 m³/min.
    await poll(() => page.getByTestId('kpi-specific-power').textContent()).toContain('6.43');
    await screenshot(page, 'machine-24h', true);

    // Live values follow the device over the WebSocket while the page is open.
    await publishLive(device, deviceId, 10_001, { pressureBar: 7.31, elementTempC: 118.2, powerKw: 40.3 });
    await poll(() => page.getByTestId('live-values').locator('[data-metric="pressureBar"]').textContent(), 10_000).toContain('7.31');
    // 118 °C is past the model's 110 °C warning limit (docs/domain.md §2): flagged.
    expect(await page.getByTestId('live-values').locator('[data-metric="elementTempC"]').getAttribute('data-level')).toBe('warning');

    const weekResponse = page.waitForResponse((r) => isHistoryRequest(deviceId)(r.request()) && windowOf(r.request()).span === 7 * DAY);
    await page.getByText('7 d', { exact: true }).click();
    const week = telemetrySeriesSchema.parse(await (await weekResponse).json());
    expect(new URL(page.url()).searchParams.get('range')).toBe('7d');
    expect(week.t.length).toBeGreaterThan(100);
    await poll(() => chartPoints(page)).toBeLessThan(week.t.length + 20);

    // Drag across the middle of the first chart: a narrower window, finer buckets from the server.
    const overlay = page.locator('[data-testid="history-chart"] .u-over').first();
    const box = (await overlay.boundingBox())!;
    const zoomResponse = page.waitForResponse((r) => isHistoryRequest(deviceId)(r.request()) && windowOf(r.request()).span < 7 * DAY);
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    const zoomed = telemetrySeriesSchema.parse(await (await zoomResponse).json());
    expect(zoomed.to - zoomed.from).toBeLessThan(2 * DAY);
    expect(zoomed.bucketMs).toBeLessThan(week.bucketMs);
    expect(new URL(page.url()).searchParams.get('from')).toBe(String(zoomed.from));
    await screenshot(page, 'machine-zoomed', true);

    // Back undoes the zoom (the window lives in the URL).
    await page.goBack();
    await poll(() => new URL(page.url()).searchParams.get('range')).toBe('7d');
  });

  it('answers an unknown machine with a clear message, not a blank page', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    await page.goto(`${sys.baseUrl}/machines/NOPE-000001`);
    await page.getByText('Machine NOPE-000001 was not found, or you may not see it.').waitFor();
  });
});
