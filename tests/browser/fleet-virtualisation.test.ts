import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { DEMO_CUSTOMERS } from '@airfleet/platform';
import { MACHINE_STATES, type Device } from '@airfleet/contracts';
import type { System } from '../support/system-harness.ts';
import { launchBrowser, newPage, poll, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

const FLEET_SIZE = 10_000;

/** 10k synthetic machines on the demo sites (the API pages them 1000 at a time, as the real one does). */
function syntheticFleet(): Device[] {
  const sites = DEMO_CUSTOMERS.flatMap((c) => c.sites.map((s) => ({ siteId: s.id, customerId: c.id })));
  const now = Date.now();
  return Array.from({ length: FLEET_SIZE }, (_, i) => {
    const site = sites[i % sites.length]!;
    const id = `LOAD-${String(i).padStart(5, '0')}`;
    return {
      id,
      serial: `SN-${id}`,
      modelId: ['AF22', 'AF37', 'AF75', 'AF90V'][i % 4]!,
      ...site,
      enabled: true,
      online: i % 50 !== 0,
      firmware: '1.0.0',
      statusAt: new Date(now).toISOString(),
      lastSeenAt: new Date(now - (i % 120) * 1000).toISOString(),
      latest: { ts: new Date(now - (i % 120) * 1000).toISOString(), seq: i, state: MACHINE_STATES[i % MACHINE_STATES.length]!, metrics: { pressureBar: 6 + (i % 200) / 100, elementTempC: 70 + (i % 40), powerKw: i % 90 } },
      createdAt: new Date(now).toISOString(),
    };
  });
}

async function serveFleet(page: Page, fleet: Device[]): Promise<void> {
  await page.route(
    (url) => url.pathname === '/api/devices',
    (route: Route) => {
      const q = new URL(route.request().url()).searchParams;
      const limit = Number(q.get('limit') ?? 100);
      const offset = Number(q.get('offset') ?? 0);
      return route.fulfill({ json: { items: fleet.slice(offset, offset + limit), total: fleet.length, limit, offset } });
    },
  );
}

const renderedRows = (page: Page) => page.locator('[data-testid="fleet-table"] [role="row"][data-device-id]');

/** Component test in the real browser: the fleet list with 10k machines stays virtualised and usable. */
describe('browser: fleet list at 10k machines', () => {
  let sys: System;
  let browser: Browser;
  const fleet = syntheticFleet();

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('renders a window of rows, scrolls to the end, sorts and filters the whole set', { timeout: 90_000 }, async () => {
    const { page } = await newPage(browser);
    await serveFleet(page, fleet);
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    await poll(() => page.getByTestId('fleet-count').textContent(), 20_000).toBe('10,000 of 10,000 machines');
    expect(await page.getByRole('table', { name: 'Machines' }).getAttribute('aria-rowcount')).toBe(String(FLEET_SIZE + 1));
    // Only what fits the viewport (plus overscan) is in the DOM.
    expect(await renderedRows(page).count()).toBeLessThan(40);

    // Sort by machine id, descending: the last id comes first.
    await page.getByRole('button', { name: 'Machine', exact: true }).click();
    await page.getByRole('button', { name: 'Machine', exact: true }).click();
    await poll(() => page.getByRole('columnheader', { name: 'Machine' }).getAttribute('aria-sort')).toBe('descending');
    await poll(() => renderedRows(page).first().getAttribute('data-device-id')).toBe('LOAD-09999');

    // Scroll to the very end: the first id is now rendered at the bottom, and still only a window of rows.
    const table = page.getByTestId('fleet-table');
    await table.hover();
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 200_000);
    await poll(() => renderedRows(page).last().getAttribute('data-device-id')).toBe('LOAD-00000');
    expect(await renderedRows(page).last().getAttribute('aria-rowindex')).toBe(String(FLEET_SIZE + 1));
    expect(await renderedRows(page).count()).toBeLessThan(40);
    await screenshot(page, 'fleet-10k-scrolled');

    // Filters apply to all 10k, not to the rendered window.
    await page.getByLabel('Search').fill('LOAD-0999');
    await poll(() => page.getByTestId('fleet-count').textContent()).toBe('10 of 10,000 machines');
    await page.getByLabel('Search').fill('');
    await page.getByRole('combobox', { name: 'State' }).selectOption('offline');
    await poll(() => page.getByTestId('fleet-count').textContent()).toBe(`${FLEET_SIZE / 50} of 10,000 machines`);
  });
});
