import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { deviceMaintenanceSchema, workOrderDetailSchema, type WorkOrderDetail } from '@airfleet/contracts';
import type { System } from '../support/system-harness.ts';
import { launchBrowser, newPage, poll, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';


/**
 * The work order page says when a live maintenance order's level is below what the machine's
 * next service now needs (`GET /api/devices/{id}/maintenance` → nextService), as the inbox does,
 * and raises it with one click (PATCH). The order is made over the real API one level below the
 * demo machine's real next service; the hint must go once the level matches.
 */
describe('browser: work order level hint', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('an order below the level due shows the hint; one click raises it and the hint goes', { timeout: 90_000 }, async () => {
    const service = await sys.login('service@airfleet.example');
    // A demo AF37 (A every 2000 h, B every 4000 h) past its first service, its levels last reset
    // at 0 h a month ago, now at 4050 h: its next visit is a B (as in inbox-visit-link.test.ts).
    const deviceId = sys.devices.find((d) => d.modelId === 'AF37' && d.customerId === 'northwind')!.id;
    const monthAgo = Date.now() - 30 * 86_400_000;
    await sys.pool.query(
      `INSERT INTO device_service (device_id, level, last_hours, last_at, source, done) VALUES
         ($1, 'first', 500, to_timestamp($2 / 1000.0), 'service', true), ($1, 'A', 0, to_timestamp($2 / 1000.0), 'service', false),
         ($1, 'B', 0, to_timestamp($2 / 1000.0), 'service', false), ($1, 'C', 0, to_timestamp($2 / 1000.0), 'service', false)
       ON CONFLICT (device_id, level) DO UPDATE SET last_hours = EXCLUDED.last_hours, last_at = EXCLUDED.last_at, done = EXCLUDED.done`,
      [deviceId, monthAgo],
    );
    await sys.pool.query(
      `INSERT INTO device_latest (device_id, ts, seq, state, metrics, received_at) VALUES ($1, now(), 99, 'loaded', $2::jsonb, now())
       ON CONFLICT (device_id) DO UPDATE SET ts = EXCLUDED.ts, metrics = EXCLUDED.metrics`,
      [deviceId, JSON.stringify({ runningHours: 4050 })],
    );
    const plan = deviceMaintenanceSchema.parse(await (await sys.api(`/api/devices/${encodeURIComponent(deviceId)}/maintenance`, service)).json());
    const due = plan.nextService!.level;
    expect(due).toBe('B');
    const below = 'A';
    const created = await sys.api('/api/work-orders', service, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId, title: 'Planned visit', level: below }),
    });
    expect(created.status).toBe(201);
    const order: WorkOrderDetail = workOrderDetailSchema.parse(await created.json());

    const { page } = await newPage(browser, { width: 1280, height: 900 });
    await signIn(page, sys.baseUrl, 'service@airfleet.example');
    await page.goto(`${sys.baseUrl}/work-orders/${order.id}`);
    const hint = page.getByTestId('work-order-level-below');
    await hint.waitFor();
    expect(await hint.textContent()).toContain('Order is for Level A, Level B is now due.');
    expect(await hint.getByRole('button', { name: 'Change to Level B' }).count()).toBe(1);
    await screenshot(page, 'work-order-level-below');

    // The same hint in Chinese; the one click from there.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await poll(() => hint.textContent()).toContain('工单为A 级保养，现应做B 级保养。');
    await screenshot(page, 'work-order-level-below-zh-CN');
    await hint.getByRole('button', { name: '改为B 级保养' }).click();
    await poll(() => hint.count()).toBe(0);
    const saved = workOrderDetailSchema.parse(await (await sys.api(`/api/work-orders/${order.id}`, service)).json());
    expect(saved).toMatchObject({ level: due, status: 'open' });
    await page.getByTestId('audit-trail').locator('[data-action="update"]').waitFor();
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    // Still none after a reload: the order now matches the visit.
    await page.reload();
    await page.getByTestId('work-order-status').waitFor();
    expect(await page.getByTestId('work-order-level-below').count()).toBe(0);
  });
});
