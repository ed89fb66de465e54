import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { MqttClient } from 'mqtt';
import { statusTopic, telemetryTopic, type Telemetry } from '@airfleet/contracts';
import { publishAsync } from '../support/mqtt-clients.ts';
import { startSystem, type System, type SystemOptions } from '../support/system-harness.ts';

/** Debian's Chromium (.ci/run installs it); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Gateway + ingest + API + live channel on ephemeral ports, serving the dashboard built by the global setup. */
export function startDashboardSystem(options: SystemOptions = {}): Promise<System> {
  return startSystem({ dashboardDir: inject('dashboardDir'), ...options });
}

/**
 * For a describe block: the system and one browser, started before its tests and stopped after.
 * Read `sys` and `browser` inside the tests (they are set once beforeAll has run).
 */
export function useDashboardSystem(options: SystemOptions = {}): { readonly sys: System; readonly browser: Browser } {
  const started = {} as { sys: System; browser: Browser };
  beforeAll(async () => {
    [started.sys, started.browser] = await Promise.all([startDashboardSystem(options), launchBrowser()]);
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.sys?.close();
  });
  return started;
}

/** A tablet-sized landscape viewport: the compressor-room device the dashboard is made for. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  const page = await context.newPage();
  page.on('pageerror', (err) => process.stderr.write(`browser page error: ${err.message}\n`));
  return { context, page };
}

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string, password = 'airfleet-demo'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** The fleet row of one machine (a virtualised ARIA row). */
export const fleetRow = (page: Page, deviceId: string) => page.locator(`[data-testid="fleet-table"] [role="row"][data-device-id="${deviceId}"]`);

/** Announces the device online (retained birth message) and sends one sample. */
export async function publishLive(client: MqttClient, deviceId: string, seq: number, metrics: Telemetry['metrics'], state: Telemetry['state'] = 'loaded'): Promise<void> {
  await publishAsync(client, statusTopic(deviceId), JSON.stringify({ online: true, ts: Date.now(), firmware: 'browser-test/1.0.0', telemetryIntervalMs: 5000 }), 1, true);
  await publishAsync(client, telemetryTopic(deviceId), JSON.stringify({ ts: Date.now(), seq, state, metrics }));
}

/**
 * expect.poll with a timeout fit for a browser on a busy CI machine (vitest's default is 1 s).
 * Timeouts only bound a broken run; nothing here asserts how fast the UI is.
 */
export function poll<T>(probe: () => Promise<T> | T, timeout = 10_000) {
  return expect.poll(probe, { timeout });
}
