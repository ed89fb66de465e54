import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import {
  acksTopic,
  COMPRESSOR_MODELS,
  judgmentSchema,
  judgmentsTopic,
  serviceRequestSchema,
  workOrderDetailSchema,
  type Judgment,
  type ServiceRequest,
} from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import type { System } from '../support/system-harness.ts';
import { launchBrowser, newPage, poll, publishLive, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

/** Printed `NNNN NNNN NN`, as the dashboard shows part numbers. */
const printed = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;
const RUNNING_HOURS = 2051.4;

/**
 * A service technician takes an inbox item (a customer's service request, filed
 * over the real API) to a work order, schedules it to themself, starts it and completes it with
 * the kit's parts pre-filled. Completion sends `service_reset` to the machine — a real MQTT
 * device client that acknowledges it — and the acknowledgement appears on the open work order
 * without a reload; the audit trail and the machine's service history show the work.
 */
describe('browser: service workflow', () => {
  let sys: System;
  let browser: Browser;
  let device: MqttClient;
  let dev: SeededDevice;
  let request: ServiceRequest;
  const resets: Judgment[] = [];

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
    dev = sys.devices.find((d) => d.customerId === 'lakeside' && d.modelId === 'AF37')!;
    device = await connectDevice(sys.mqttPort, dev.id, dev.token);
    // The machine as firmware behaves: it resets its service counters on service_reset and says so.
    await device.subscribeAsync(judgmentsTopic(dev.id), { qos: 1 });
    device.on('message', (_topic, payload) => {
      const judgment = judgmentSchema.parse(JSON.parse(payload.toString()));
      if (judgment.kind !== 'service_reset' || resets.some((j) => j.id === judgment.id)) return;
      resets.push(judgment);
      void publishAsync(device, acksTopic(dev.id), JSON.stringify({ judgmentId: judgment.id, ts: Date.now(), result: 'applied', reason: `level ${judgment.params.level} counters reset` }));
    });
    await publishLive(device, dev.id, 1, { pressureBar: 7.1, elementTempC: 82, powerKw: 36.5, runningHours: RUNNING_HOURS, loadedHours: 1502.2 });

    // A certain inbox item: the customer asks for the yearly A service, over the real API.
    const buyer = await sys.login('buyer@lakeside.example');
    const res = await sys.api('/api/requests', buyer, {
      method: 'POST',
      body: JSON.stringify({ deviceId: dev.id, kind: 'service', message: 'Yearly service please, before the summer shutdown', attachment: { kit: { modelId: dev.modelId, level: 'A' } } }),
    });
    expect(res.status).toBe(201);
    request = serviceRequestSchema.parse(await res.json());
  });
  afterAll(async () => {
    await device?.endAsync();
    await browser?.close();
    await sys?.close();
  });

  const status = (page: Page) => page.getByTestId('work-order-status');

  it('inbox item → work order → scheduled → in progress → done, with the machine’s acknowledgement and the audit trail', { timeout: 120_000 }, async () => {
    const levels = COMPRESSOR_MODELS.find((m) => m.id === dev.modelId)!.servicePlan.levels;
    const kitA = levels.find((l) => l.level === 'A')!.kit;
    // An extra part the technician adds by hand: the B kit's separator element.
    const extra = levels.find((l) => l.level === 'B')!.kit[0]!;
    const { page } = await newPage(browser, { width: 1280, height: 900 });
    await signIn(page, sys.baseUrl, 'service@airfleet.example');

    // Service technicians start in their inbox; the customer's request is in it.
    expect(new URL(page.url()).pathname).toBe('/service/inbox');
    await page.getByRole('heading', { name: 'Service inbox', level: 1 }).waitFor();
    const row = page.locator(`[data-testid="inbox-table"] tr[data-item-key="request:${request.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('Customer request');
    expect(await row.textContent()).toContain(dev.id);

    // Assign it to myself; the server keeps the assignment.
    await row.getByTestId('assignee').selectOption({ label: 'Sam Service' });
    const service = await sys.login('service@airfleet.example');
    await poll(async () => {
      const inbox = (await (await sys.api('/api/service/inbox?kind=request', service)).json()) as { items: Array<{ key: string; assignee: { name: string } | null }> };
      return inbox.items.find((i) => i.key === `request:${request.id}`)?.assignee?.name;
    }).toBe('Sam Service');
    // The assignee filter asks the server: mine keeps the item, unassigned does not.
    const assignee = page.getByRole('combobox', { name: 'Assigned to' });
    await assignee.selectOption({ label: 'Me (Sam Service)' });
    await poll(() => new URL(page.url()).searchParams.get('assignee')).toMatch(/^[0-9a-f-]{36}$/);
    await row.waitFor();
    await assignee.selectOption({ label: 'Unassigned' });
    await page.getByText('No item matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row.waitFor();
    await screenshot(page, 'service-inbox');

    // Create the work order from the item: it opens, open, with the level's kit planned.
    await row.getByRole('button', { name: /^Create a work order for/ }).click();
    await page.waitForURL(/\/work-orders\/\d+$/);
    const workOrderId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { name: `Work order #${workOrderId}`, level: 1 }).waitFor();
    await poll(() => status(page).textContent()).toBe('Open');
    await screenshot(page, 'service-work-order-open');

    // Schedule: a date and a technician (myself, the default for a technician).
    const form = page.getByRole('form', { name: 'Schedule' });
    await form.getByLabel('Date and time').fill('2031-03-14T09:30');
    expect(await form.getByRole('combobox', { name: 'Technician' }).inputValue()).not.toBe('');
    await form.getByRole('button', { name: 'Schedule' }).click();
    await poll(() => status(page).textContent()).toBe('Scheduled');
    await page.getByText('Start the work order when the technician is on site.').waitFor();
    await screenshot(page, 'service-work-order-scheduled');

    // Start on site.
    await page.getByRole('button', { name: 'Start work' }).click();
    await poll(() => status(page).textContent()).toBe('In progress');

    // The completion form is pre-filled: the machine's running hours, the level, the kit.
    const complete = page.getByRole('form', { name: 'Complete' });
    await complete.waitFor();
    await poll(() => complete.getByRole('textbox', { name: /Running hours at service/ }).inputValue()).toBe(String(RUNNING_HOURS));
    expect(await complete.getByRole('combobox', { name: 'Level performed' }).inputValue()).toBe('A');
    const partNumbers = await complete.getByTestId('part-line').getByRole('textbox', { name: /^Part number/ }).evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(partNumbers).toEqual(kitA.map(printed));
    // Editable: one more part, typed the way people type it (dashes).
    await complete.getByRole('button', { name: '+ Add part' }).click();
    await complete.getByRole('textbox', { name: `Part number ${kitA.length + 1}` }).fill(`${extra.slice(0, 4)}-${extra.slice(4, 8)}-${extra.slice(8)}`);
    await complete.getByRole('textbox', { name: 'Notes' }).fill('Oil filter and air-filter element replaced; spare filter left on site.');
    await screenshot(page, 'service-work-order-in-progress', true);
    await complete.getByRole('button', { name: 'Complete' }).click();
    await poll(() => status(page).textContent()).toBe('Done');

    // The machine got service_reset for this order and acknowledged: shown live on the open page.
    await poll(() => resets.length, 15_000).toBe(1);
    expect(resets[0]!.params).toMatchObject({ level: 'A', workOrderId });
    await poll(() => page.getByTestId('service-reset').first().getAttribute('data-status'), 15_000).toBe('applied');
    expect(await page.getByTestId('service-reset').first().textContent()).toContain('The machine acknowledged and reset its service counters');

    // Audit: who did what, from creation to the machine's answer.
    const audit = page.getByTestId('audit-trail');
    await poll(() => audit.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))), 15_000).toEqual([
      'device_ack',
      'complete',
      'start',
      'schedule',
      'create',
    ]);
    expect(await audit.textContent()).toContain('Sam Service');
    await screenshot(page, 'service-work-order-done', true);

    // The platform agrees.
    const saved = workOrderDetailSchema.parse(await (await sys.api(`/api/work-orders/${workOrderId}`, service)).json());
    expect(saved).toMatchObject({ status: 'done', level: 'A', technician: { name: 'Sam Service' }, serviceReset: { status: 'applied' } });
    expect(saved.completion).toMatchObject({ runningHours: RUNNING_HOURS, level: 'A', technician: { name: 'Sam Service' } });
    expect(saved.completion!.partsUsed).toEqual([...saved.partsPlanned, { partNumber: extra, quantity: 1 }]);
    expect(saved.partsPlanned.map((p) => p.partNumber)).toEqual(kitA);

    // The machine page shows the service in its history.
    await page.getByRole('link', { name: dev.id }).first().click();
    await page.waitForURL(`**/machines/${dev.id}`);
    const entry = page.locator(`[data-testid="service-history"] li[data-work-order-id="${workOrderId}"]`);
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.textContent()).toContain('Level A');
    expect(await entry.textContent()).toContain('Sam Service');
    await entry.scrollIntoViewIfNeeded();
    await screenshot(page, 'service-machine-history');
  });

  it('the planning calendar lists what falls due, by day, switchable to 90 days; in Chinese, a new request appears in the open inbox live', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser, { width: 1280, height: 900 });
    await signIn(page, sys.baseUrl, 'service@airfleet.example');
    await page.getByRole('link', { name: 'Planning' }).click();
    await page.getByRole('heading', { name: 'Service planning', level: 1 }).waitFor();
    await page.getByTestId('planning-summary').waitFor();
    const calendarRequest = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/service/calendar' && new URL(r.url()).searchParams.get('days') === '90');
    await page.getByText('Next 90 days').click();
    await calendarRequest;
    expect(new URL(page.url()).searchParams.get('days')).toBe('90');
    await screenshot(page, 'service-planning');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('heading', { name: '服务计划', level: 1 }).waitFor();
    await screenshot(page, 'service-planning-zh-CN');
    await page.getByRole('link', { name: '服务待办' }).click();
    await page.getByRole('heading', { name: '服务待办', level: 1 }).waitFor();
    await page.getByTestId('inbox-count').waitFor();

    // A Huadong buyer asks for a parts quote while the inbox is open: it appears without a reload
    // (the live channel's service_request notification makes the page refetch).
    const huadong = sys.devices.find((d) => d.customerId === 'huadong')!;
    const buyer = await sys.login('buyer@huadong.example');
    const filed = await sys.api('/api/requests', buyer, {
      method: 'POST',
      body: JSON.stringify({ deviceId: huadong.id, kind: 'parts_quote', message: '请报价 B 级保养包', attachment: { kit: { modelId: huadong.modelId, level: 'B' } } }),
    });
    expect(filed.status).toBe(201);
    const { id: requestId } = serviceRequestSchema.parse(await filed.json());
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const live = page.locator(`[data-testid="inbox-table"] tr[data-item-key="request:${requestId}"]`);
    await live.waitFor({ timeout: 15_000 });
    expect(navigations).toEqual([]);
    expect(await live.textContent()).toContain('客户请求');
    await screenshot(page, 'service-inbox-zh-CN');
    await page.getByRole('link', { name: '工单' }).click();
    await page.getByRole('heading', { name: '工单', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: '状态' }).selectOption('all');
    await page.locator('[data-testid="work-orders-table"] tr[data-work-order-id]').first().waitFor();
    await screenshot(page, 'service-work-orders-zh-CN');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  });

  it('a work order made by hand is edited, then cancelled with a reason; both are audited', { timeout: 60_000 }, async () => {
    const target = sys.devices.find((d) => d.customerId === 'northwind')!;
    const { page } = await newPage(browser, { width: 1280, height: 900 });
    await signIn(page, sys.baseUrl, 'service@airfleet.example');
    await page.getByRole('link', { name: 'Work orders' }).click();
    await page.getByRole('button', { name: 'New work order' }).click();
    const dialog = page.getByRole('dialog', { name: 'New work order' });
    await dialog.getByRole('combobox', { name: 'Machine' }).selectOption(target.id);
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Check for an air leak at the dryer');
    await dialog.getByRole('combobox', { name: 'Service level' }).selectOption('');
    await screenshot(page, 'service-work-order-new');
    await dialog.getByRole('button', { name: 'Create work order' }).click();
    await page.waitForURL(/\/work-orders\/\d+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await poll(() => status(page).textContent()).toBe('Open');

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit' });
    await edit.getByRole('textbox', { name: 'Title' }).fill('Air leak at the dryer inlet');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Air leak at the dryer inlet', { exact: true }).first().waitFor();

    await page.getByRole('button', { name: 'Cancel work order' }).click();
    const cancel = page.getByRole('form', { name: 'Cancel work order' });
    // No reason, no cancellation.
    await cancel.getByRole('button', { name: 'Cancel the work order' }).click();
    await cancel.getByText('Say why.').waitFor();
    await cancel.getByRole('textbox', { name: 'Reason' }).fill('Customer fixed the leak themselves');
    await cancel.getByRole('button', { name: 'Cancel the work order' }).click();
    await poll(() => status(page).textContent()).toBe('Cancelled');
    await page.getByText(/Customer fixed the leak themselves/).first().waitFor();
    const actions = await page.getByTestId('audit-trail').locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual(['cancel', 'update', 'create']);
    expect(await page.getByTestId('audit-trail').textContent()).toContain('Title: Check for an air leak at the dryer → Air leak at the dryer inlet');
    await screenshot(page, 'service-work-order-cancelled', true);

    const service = await sys.login('service@airfleet.example');
    const saved = workOrderDetailSchema.parse(await (await sys.api(`/api/work-orders/${id}`, service)).json());
    expect(saved).toMatchObject({ status: 'cancelled', title: 'Air leak at the dryer inlet', cancelReason: 'Customer fixed the leak themselves', level: null, deviceId: target.id });
  });

  it('everyone keeps their own notification settings; the admin sees the delivery log and the webhooks', { timeout: 60_000 }, async () => {
    const { page } = await newPage(browser, { width: 1280, height: 900 });
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Notification settings', level: 1 }).waitFor();
    await page.getByRole('radio', { name: 'Daily digest' }).check();
    await page.getByRole('combobox', { name: 'Digest time (UTC)' }).selectOption('6');
    await page.getByRole('checkbox', { name: 'Reports' }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your settings were saved.').waitFor();
    await screenshot(page, 'service-notification-settings');
    const operator = await sys.login('operator@airfleet.example');
    const saved = (await (await sys.api('/api/notifications/preferences', operator)).json()) as { preferences: { delivery: string; digestHourUtc: number; kinds: string[] }; isDefault: boolean };
    expect(saved).toMatchObject({ isDefault: false, preferences: { delivery: 'digest', digestHourUtc: 6 } });
    expect(saved.preferences.kinds).not.toContain('report');
    // No service desk and no delivery log for an operator.
    expect(await page.getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    await page.goto(`${sys.baseUrl}/admin/notifications`);
    await page.waitForURL(`${sys.baseUrl}/fleet`);

    // A webhook endpoint nobody listens on: its test delivery fails and can be retried from the log.
    const adminCookie = await sys.login('admin@airfleet.example');
    const hook = 'http://127.0.0.1:9/airfleet-hook';
    const created = await sys.api('/api/webhooks', adminCookie, { method: 'POST', body: JSON.stringify({ url: hook, description: 'Nobody listens here' }) });
    expect(created.status).toBe(201);

    const admin = await newPage(browser, { width: 1280, height: 900 });
    await signIn(admin.page, sys.baseUrl, 'admin@airfleet.example');
    await admin.page.getByRole('link', { name: 'Notifications' }).click();
    await admin.page.getByRole('heading', { name: 'Notification log', level: 1 }).waitFor();
    await admin.page.getByRole('heading', { name: 'Webhooks', level: 2 }).waitFor();
    await admin.page.getByRole('button', { name: `Send a test delivery to ${hook}` }).click();
    await admin.page.getByText(/^Test delivery: (Failed, will retry|Gave up)$/).waitFor();
    const failed = admin.page.locator('[data-testid="notification-log"] tr[data-notification-id]').filter({ hasText: hook });
    await failed.first().waitFor();
    await screenshot(admin.page, 'service-notification-log', true);
    const retried = admin.page.waitForResponse((r) => /\/api\/notifications\/\d+\/retry$/.test(new URL(r.url()).pathname));
    await failed.first().getByRole('button', { name: /^Retry notification/ }).click();
    expect((await retried).status()).toBe(200);
    expect(await admin.page.getByRole('alert').count()).toBe(0);
  });
});
