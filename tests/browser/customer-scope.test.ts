import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import { liveServerMessageSchema, type LiveServerMessage } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice } from '../support/mqtt-clients.ts';
import type { System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { fleetRow, launchBrowser, newPage, poll, publishLive, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

/** Scenario 4: a customer user sees only its own machines, in the fleet view and on the live channel. */
describe('browser: customer scope', () => {
  let sys: System;
  let browser: Browser;
  let own: SeededDevice;
  let other: SeededDevice;
  let ownClient: MqttClient;
  let otherClient: MqttClient;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
    own = sys.devices.find((d) => d.customerId === 'northwind')!;
    other = sys.devices.find((d) => d.customerId === 'lakeside')!;
    [ownClient, otherClient] = await Promise.all([connectDevice(sys.mqttPort, own.id, own.token), connectDevice(sys.mqttPort, other.id, other.token)]);
  });
  afterAll(async () => {
    await Promise.all([ownClient?.endAsync(), otherClient?.endAsync()]);
    await browser?.close();
    await sys?.close();
  });

  it('lists only Northwind machines and receives only their live data', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(browser, { width: 1280, height: 1000 });
    await signIn(page, sys.baseUrl, 'buyer@northwind.example');
    // Customers land on their portal overview; the fleet list is still theirs to open.
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.goto(`${sys.baseUrl}/fleet`);
    const northwind = sys.devices.filter((d) => d.customerId === 'northwind').map((d) => d.id).sort();
    await poll(() => page.getByTestId('fleet-count').textContent()).toBe(`${northwind.length} of ${northwind.length} machines`);
    const shown = await page.locator('[data-testid="fleet-table"] [role="row"][data-device-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-device-id')));
    expect(shown.sort()).toEqual(northwind);
    // No customer filter for a customer: there is only one.
    expect(await page.getByRole('combobox', { name: 'Customer' }).count()).toBe(0);
    await page.getByTestId('live-status').and(page.locator('[data-status="open"]')).waitFor();

    // A raw WebSocket with the same session cookie: the live channel as any client sees it.
    const cookie = (await context.cookies()).filter((c) => c.name === 'airfleet_session').map((c) => `${c.name}=${c.value}`).join('; ');
    expect(cookie).not.toBe('');
    const messages: LiveServerMessage[] = [];
    const ws = new WebSocket(`${sys.baseUrl.replace('http', 'ws')}/live`, { headers: { cookie } });
    ws.on('message', (data) => messages.push(liveServerMessageSchema.parse(JSON.parse(data.toString()))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });

    // Another customer's machine first, then our own: ours arrives, theirs never does.
    await publishLive(otherClient, other.id, 1, { pressureBar: 8.88 });
    await publishLive(ownClient, own.id, 1, { pressureBar: 6.66 });
    await waitFor(() => messages.some((m) => m.type === 'telemetry' && m.items.some((i) => i.deviceId === own.id)), 'own telemetry on the raw socket');
    await poll(() => fleetRow(page, own.id).locator('[data-metric="pressure"]').textContent()).toBe('6.66');
    await publishLive(ownClient, own.id, 2, { pressureBar: 6.67 });
    await waitFor(() => messages.some((m) => m.type === 'telemetry' && m.items.some((i) => i.seq === 2)), 'second own sample');
    ws.close();

    const raw = JSON.stringify(messages);
    expect(raw).not.toContain(other.id);
    expect(raw).not.toContain('8.88');
    expect(messages[0]).toMatchObject({ type: 'hello', role: 'customer', customerId: 'northwind' });
    expect(await page.content()).not.toContain(other.id);
    await screenshot(page, 'fleet-customer-northwind');
  });

  it('answers another customer’s machine page with "not found"', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'buyer@northwind.example');
    await page.goto(`${sys.baseUrl}/machines/${other.id}`);
    await page.getByText(`Machine ${other.id} was not found, or you may not see it.`).waitFor();
    // Back to where a customer starts (their portal overview), not to the operators' fleet.
    expect(await page.getByTestId('machine-back').getAttribute('href')).toBe('/portal');
    expect(await page.getByTestId('machine-back').textContent()).toBe('← Overview');
  });

  it('sends a customer back to the portal from their machine page and from a page that does not exist', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'buyer@northwind.example');
    await page.goto(`${sys.baseUrl}/machines/${own.id}`);
    await page.getByRole('heading', { name: own.id, level: 1 }).waitFor();
    await page.getByTestId('machine-back').click();
    await page.waitForURL(`${sys.baseUrl}/portal`);

    await page.goto(`${sys.baseUrl}/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    expect(await page.getByTestId('not-found-home').textContent()).toBe('Back to Overview');
    await page.getByTestId('not-found-home').click();
    await page.waitForURL(`${sys.baseUrl}/portal`);

    // Operators still go back to the fleet.
    const operator = await newPage(browser);
    await signIn(operator.page, sys.baseUrl, 'operator@airfleet.example');
    await operator.page.goto(`${sys.baseUrl}/no-such-page`);
    expect(await operator.page.getByTestId('not-found-home').getAttribute('href')).toBe('/fleet');
  });
});
