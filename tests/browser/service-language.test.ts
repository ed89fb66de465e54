import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import { eventsTopic, inboxResponseSchema, serviceRequestSchema, workOrderDetailSchema, type InboxItem } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import type { System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { launchBrowser, newPage, poll, publishLive, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

/**
 * The service pages in 简体中文: every machine-generated inbox item (an alarm, a condition task,
 * a plan level, a fleet inspection, a customer request) and a work order made from one are worded in Chinese from
 * what they are about, while the API keeps its English `title`; a title a person typed stays
 * as typed.
 */
const LATIN_WORD = /[A-Za-z]{2,}/;

describe('browser: service pages in Chinese', () => {
  let sys: System;
  let browser: Browser;
  let device: MqttClient;
  let dev: SeededDevice;
  let serviceCookie: string;

  const inbox = async (): Promise<InboxItem[]> => inboxResponseSchema.parse(await (await sys.api('/api/service/inbox', serviceCookie)).json()).items;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
    dev = sys.devices.find((d) => d.customerId === 'huadong') ?? sys.devices[0]!;
    device = await connectDevice(sys.mqttPort, dev.id, dev.token);
    serviceCookie = await sys.login('service@airfleet.example');
    // A condition task (separator ΔP over 0.7 bar), level A due soon (2000 h, 50 h to go), then a critical alarm (a motor overload trip).
    await publishLive(device, dev.id, 1, { pressureBar: 7.1, separatorDpBar: 0.78, airFilterDpMbar: 20, runningHours: 1950 });
    await publishAsync(device, eventsTopic(dev.id), JSON.stringify({ ts: Date.now(), type: 'trip', code: 'OVERLOAD_TRIP', message: 'Motor overload trip', values: { motorCurrentA: 79.5 } }));
    // A fleet inspection (as the daily peer comparison makes them; here through the API).
    const inspect = await sys.api(`/api/devices/${dev.id}/judgments`, serviceCookie, {
      method: 'POST',
      body: JSON.stringify({
        kind: 'inspect',
        severity: 'minor',
        reason: 'Specific power 7.4 kW/(m³/min) vs 6.1 for 9 machines of the same model (98th percentile): inspect',
        params: { check: 'specific_power', value: 7.4, peerMedian: 6.1, percentile: 98, peers: 9, unit: 'kW/(m³/min)' },
      }),
    });
    expect(inspect.status).toBe(201);
    // A customer request.
    const buyer = await sys.login(`buyer@${dev.customerId}.example`);
    const filed = await sys.api('/api/requests', buyer, { method: 'POST', body: JSON.stringify({ deviceId: dev.id, kind: 'parts_quote', message: '请报价 A 级保养包', attachment: { kit: { modelId: dev.modelId, level: 'A' } } }) });
    expect(filed.status).toBe(201);
    serviceRequestSchema.parse(await filed.json());
    await waitFor(async () => {
      const kinds = new Set((await inbox()).filter((i) => i.deviceId === dev.id).map((i) => i.kind));
      return ['alarm', 'condition', 'request', 'maintenance', 'inspect'].every((k) => kinds.has(k as InboxItem['kind']));
    }, 'an item of every kind in the inbox');
  });
  afterAll(async () => {
    await device?.endAsync();
    await browser?.close();
    await sys?.close();
  });

  it('the inbox and a work order made from an alarm read in Chinese; the API keeps English; typed titles stay', { timeout: 90_000 }, async () => {
    const items = await inbox();
    const alarm = items.find((i) => i.deviceId === dev.id && i.kind === 'alarm')!;
    expect(alarm.subject).toEqual({ kind: 'alarm', alarmType: 'motor_overload', alarmSeverity: 'critical' });
    expect(alarm.title).toBe('Motor overload trip');

    const { page } = await newPage(browser, { width: 1280, height: 900 });
    await signIn(page, sys.baseUrl, 'service@airfleet.example');
    await page.getByRole('heading', { name: 'Service inbox', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('heading', { name: '服务待办', level: 1 }).waitFor();

    // Every item on the page, machine-generated all: no English title, and none is the API's wording.
    const rows = page.locator('[data-testid="inbox-table"] tr[data-item-key]');
    await rows.first().waitFor();
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({ key: tr.getAttribute('data-item-key')!, title: tr.querySelector('[data-testid="inbox-item-title"]')?.textContent ?? '' })),
    );
    expect(shown.length).toBeGreaterThanOrEqual(5);
    const english = new Map(items.map((i) => [i.key, i.title]));
    for (const { key, title } of shown) {
      expect(title, key).not.toBe('');
      expect(title, `${key}: “${title}”`).not.toMatch(LATIN_WORD);
      expect(title, key).not.toBe(english.get(key));
    }
    const titleOf = (key: string) => shown.find((s) => s.key === key)?.title;
    expect(titleOf(alarm.key)).toBe('电机过载');
    expect(titleOf(`condition:${dev.id}:separator`)).toBe('更换油气分离器滤芯');
    expect(titleOf(items.find((i) => i.deviceId === dev.id && i.kind === 'request')!.key)).toBe('客户请求配件报价');
    expect(titleOf(`maintenance:${dev.id}:A`)).toBe('A 级保养即将到期');
    const inspection = items.find((i) => i.deviceId === dev.id && i.kind === 'inspect')!;
    expect(titleOf(inspection.key)).toBe('检查：比功率');
    expect(await page.locator(`[data-testid="inbox-table"] tr[data-item-key="${inspection.key}"]`).textContent()).toContain('第 98 百分位');
    const alarmRow = page.locator(`[data-testid="inbox-table"] tr[data-item-key="${alarm.key}"]`);
    expect(await alarmRow.textContent()).toContain('严重报警');
    await screenshot(page, 'service-inbox-items-zh-CN');

    // A work order from the alarm: Chinese on the page, English in the API.
    await alarmRow.getByRole('button').click();
    await page.waitForURL(/\/work-orders\/\d+$/);
    const workOrderId = new URL(page.url()).pathname.split('/').pop()!;
    await poll(() => page.getByTestId('work-order-title').textContent()).toBe('电机过载');
    const saved = workOrderDetailSchema.parse(await (await sys.api(`/api/work-orders/${workOrderId}`, serviceCookie)).json());
    expect(saved).toMatchObject({ title: 'Motor overload trip', titleGenerated: true, subject: { kind: 'alarm', alarmType: 'motor_overload' } });
    // Saving the stored wording back unchanged keeps it generated; a typed title is the person's own.
    const patch = async (body: object) =>
      workOrderDetailSchema.parse(await (await sys.api(`/api/work-orders/${workOrderId}`, serviceCookie, { method: 'PATCH', body: JSON.stringify(body) })).json());
    expect(await patch({ title: 'Motor overload trip', level: null })).toMatchObject({ titleGenerated: true, descriptionGenerated: true });
    expect(await patch({ description: 'Overload twice this week: check the motor bearings' })).toMatchObject({ titleGenerated: true, descriptionGenerated: false });
    await page.reload();
    await poll(() => page.getByTestId('work-order-title').textContent()).toBe('电机过载');
    await page.getByText('Overload twice this week: check the motor bearings', { exact: true }).first().waitFor();

    // A work order typed by hand keeps its words in the Chinese list.
    const typed = await sys.api('/api/work-orders', serviceCookie, { method: 'POST', body: JSON.stringify({ deviceId: dev.id, title: 'Check the dryer drain' }) });
    expect(typed.status).toBe(201);
    expect(workOrderDetailSchema.parse(await typed.json())).toMatchObject({ titleGenerated: false, subject: null });
    await page.getByRole('link', { name: '工单', exact: true }).click();
    await page.getByRole('heading', { name: '工单', level: 1 }).waitFor();
    const list = page.locator('[data-testid="work-orders-table"]');
    await list.getByText('Check the dryer drain').waitFor();
    expect(await list.locator(`tr[data-work-order-id="${workOrderId}"]`).textContent()).toContain('电机过载');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  });
});
