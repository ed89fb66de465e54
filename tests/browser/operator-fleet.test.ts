import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import { connectDevice } from '../support/mqtt-clients.ts';
import type { System } from '../support/system-harness.ts';
import { fleetRow, launchBrowser, newPage, poll, publishLive, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

/** Scenario 1: the operator signs in, sees the demo fleet, and a value changes live. */
describe('browser: operator fleet view', () => {
  let sys: System;
  let browser: Browser;
  let device: MqttClient;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
    device = await connectDevice(sys.mqttPort, sys.devices[0]!.id, sys.devices[0]!.token);
  });
  afterAll(async () => {
    await device?.endAsync();
    await browser?.close();
    await sys?.close();
  });

  it('signs in, lands on /fleet with all 24 demo machines, and a published sample updates its row without reloading', { timeout: 60_000 }, async () => {
    // Tall enough for all 24 rows: the virtualiser renders only what fits.
    const { page } = await newPage(browser, { width: 1280, height: 1700 });
    const target = sys.devices[0]!;
    await publishLive(device, target.id, 1, { pressureBar: 6.42, elementTempC: 81.5, powerKw: 30.1 });

    const deviceListRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/devices') deviceListRequests.push(r.url());
    });

    await page.goto(`${sys.baseUrl}/fleet`);
    // Not signed in: the app sends the visitor to /login and remembers where they wanted to go.
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/fleet');
    await screenshot(page, 'login');
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    expect(new URL(page.url()).pathname).toBe('/fleet');
    await poll(() => page.getByTestId('fleet-count').textContent()).toBe('24 of 24 machines');
    // Every demo machine is listed.
    for (const d of sys.devices) await fleetRow(page, d.id).waitFor();
    await poll(() => fleetRow(page, target.id).locator('[data-metric="pressure"]').textContent()).toBe('6.42');
    await page.getByTestId('live-status').and(page.locator('[data-status="open"]')).waitFor();
    await screenshot(page, 'fleet-operator');

    // The device sends a new value: the row changes in place, over the WebSocket.
    await publishLive(device, target.id, 2, { pressureBar: 9.87, elementTempC: 82.1, powerKw: 31.4 }, 'unloaded');
    await poll(() => fleetRow(page, target.id).locator('[data-metric="pressure"]').textContent(), 10_000).toBe('9.87');
    await poll(() => fleetRow(page, target.id).locator('[data-state]').first().getAttribute('data-state')).toBe('unloaded');
    // No polling: the device list was fetched once, at page load.
    expect(deviceListRequests).toHaveLength(1);
    await screenshot(page, 'fleet-operator-live-update');
  });

  it('filters by free text and state, keeping the filter in the URL', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    await page.getByLabel('Search').fill('Madison');
    await poll(() => page.getByTestId('fleet-count').textContent()).toBe('4 of 24 machines');
    expect(new URL(page.url()).searchParams.get('q')).toBe('Madison');
    const madison = sys.devices.filter((d) => d.siteId === 'lakeside-madison').map((d) => d.id).sort();
    const shown = await page.locator('[data-testid="fleet-table"] [role="row"][data-device-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-device-id')));
    expect(shown.sort()).toEqual(madison);
    await page.getByRole('combobox', { name: 'State' }).selectOption('loaded');
    await poll(() => page.getByTestId('fleet-count').textContent()).toMatch(/ of 24 machines$/);
    expect(new URL(page.url()).searchParams.get('state')).toBe('loaded');
  });
});
