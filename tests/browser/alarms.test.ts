import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import { alarmsResponseSchema, eventsTopic } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import type { System } from '../support/system-harness.ts';
import { launchBrowser, newPage, poll, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

/**
 * Scenario 3: a device trips (a real event through gateway, ingest and the rules), the alarm
 * appears on the open alarms page without a reload, and the operator acknowledges it.
 */
describe('browser: alarms', () => {
  let sys: System;
  let browser: Browser;
  let device: MqttClient;
  let dev: SeededDevice;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
    dev = sys.devices.find((d) => d.customerId === 'lakeside' && d.modelId === 'AF37')!;
    device = await connectDevice(sys.mqttPort, dev.id, dev.token);
  });
  afterAll(async () => {
    await device?.endAsync();
    await browser?.close();
    await sys?.close();
  });

  it('shows a new alarm live and lets the operator acknowledge it', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    await page.getByRole('link', { name: 'Alarms' }).click();
    await page.getByText('No active alarms. All clear.').waitFor();

    const alarmRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/alarms') alarmRequests.push(r.url());
    });
    await publishAsync(device, eventsTopic(dev.id), JSON.stringify({ ts: Date.now(), type: 'trip', code: 'OVERLOAD_TRIP', message: 'Motor overload trip', values: { motorCurrentA: 79.5 } }));

    // Pushed over the live channel (a domain `alarm` notification), then fetched once.
    const row = page.locator(`[data-testid="alarms-table"] tr[data-alarm-id]`).filter({ hasText: dev.id });
    await row.waitFor({ timeout: 15_000 });
    expect(alarmRequests.length).toBeGreaterThanOrEqual(1);
    expect(await row.getByTestId('ack-status').textContent()).toBe('Not acknowledged');
    // The alarm type's name in the UI language first; the device's own wording as the detail.
    await poll(() => row.getByTestId('alarm-name').textContent()).toBe('Motor overload');
    expect(await row.getByTestId('alarm-message').textContent()).toContain('Motor overload trip');
    await screenshot(page, 'alarms-active');

    await row.getByRole('button', { name: `Acknowledge alarm Motor overload on ${dev.id}` }).click();
    await poll(() => row.getByTestId('ack-status').textContent()).toBe('Acknowledged');
    await poll(() => row.textContent()).toContain('Acknowledged by Otto Operator');
    // No acknowledge button once acknowledged; clearing is still offered.
    expect(await row.getByRole('button', { name: /^Acknowledge/ }).count()).toBe(0);
    await screenshot(page, 'alarms-acknowledged');

    // The platform agrees.
    const operator = await sys.login('operator@airfleet.example');
    const { items } = alarmsResponseSchema.parse(await (await sys.api(`/api/alarms?deviceId=${dev.id}&state=all`, operator)).json());
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ acknowledged: true, acknowledgedBy: { name: 'Otto Operator' }, state: 'active', severity: 'critical' });
  });

  it('the machine page lists the alarm; a customer sees it without acknowledge or clear', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'buyer@lakeside.example');
    await page.goto(`${sys.baseUrl}/machines/${dev.id}`);
    const row = page.locator('[data-testid="alarms-table"] tr[data-alarm-id]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await page.locator('[data-testid="alarms-table"]').getByRole('button').count()).toBe(0);
    expect(await row.getByTestId('ack-status').textContent()).toBe('Acknowledged');
    // A customer has no alarms page, so no link to it either.
    expect(await page.getByRole('link', { name: 'All alarms of this machine' }).count()).toBe(0);
  });

  it('opens one machine’s alarms from its page (/alarms?device=) and clears that filter', { timeout: 60_000 }, async () => {
    // A second machine with an alarm of its own, so the filter has something to leave out.
    const other = sys.devices.find((d) => d.id !== dev.id)!;
    const otherClient = await connectDevice(sys.mqttPort, other.id, other.token);
    try {
      await publishAsync(otherClient, eventsTopic(other.id), JSON.stringify({ ts: Date.now(), type: 'trip', code: 'OVERLOAD_TRIP', message: 'Motor overload trip', values: { motorCurrentA: 80 } }));
      const admin = await sys.login('admin@airfleet.example');
      await poll(async () => alarmsResponseSchema.parse(await (await sys.api(`/api/alarms?deviceId=${other.id}`, admin)).json()).items.length).toBe(1);

      const { page } = await newPage(browser);
      await signIn(page, sys.baseUrl, 'operator@airfleet.example');
      await page.goto(`${sys.baseUrl}/machines/${dev.id}`);
      await page.getByRole('link', { name: 'All alarms of this machine' }).click();
      await page.waitForURL((u) => u.pathname === '/alarms' && u.searchParams.get('device') === dev.id);
      await page.getByTestId('alarm-machine-filter').getByText(`Machine: ${dev.id}`).waitFor();
      const rows = page.locator('[data-testid="alarms-table"] tr[data-alarm-id]');
      await rows.first().waitFor();
      // Only this machine's alarms, although the other machine has an active one.
      await poll(async () => (await rows.allTextContents()).every((r) => r.includes(dev.id) && !r.includes(other.id))).toBe(true);
      expect(await rows.count()).toBe(1);
      await screenshot(page, 'alarms-one-machine');

      // The filter label and its way out in Chinese too; cleared from there.
      await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
      await page.getByTestId('alarm-machine-filter').getByText(`设备：${dev.id}`).waitFor();
      await page.getByRole('button', { name: '显示所有设备的报警' }).click();
      await rows.filter({ hasText: other.id }).waitFor();
      expect(new URL(page.url()).searchParams.has('device')).toBe(false);
      expect(await page.getByTestId('alarm-machine-filter').count()).toBe(0);
    } finally {
      await otherClient.endAsync();
    }
  });

  it('filters by severity and shows the history', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'service@airfleet.example');
    // Service teams start from their inbox; the alarms are one click away.
    expect(new URL(page.url()).pathname).toBe('/service/inbox');
    await page.getByRole('link', { name: 'Alarms', exact: true }).click();
    await page.getByRole('combobox', { name: 'Severity' }).selectOption('warning');
    await page.getByText('No active alarms. All clear.').waitFor();
    await page.getByRole('combobox', { name: 'Severity' }).selectOption('critical');
    await page.locator('[data-testid="alarms-table"] tr[data-alarm-id]').first().waitFor();
    expect(new URL(page.url()).searchParams.get('severity')).toBe('critical');
  });
});
