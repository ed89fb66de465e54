import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { eventsTopic } from '@airfleet/contracts';
import { DEMO_CUSTOMERS, DEMO_USERS, type SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { newPage, poll, publishLive, screenshot, signIn, useDashboardSystem } from './browser-harness.ts';

/**
 * Words a Chinese page may still show in Latin letters: the brand, "Webhook" (the name of the
 * technique, kept in Chinese too), and proper names of the demo data (customers, sites, cities, people). Machine ids, serials, model ids and units are
 * shorter than four letters or carry digits, so they never count as words.
 */
const PROPER_NAMES = new Set(
  ['AirFleet', 'Webhook', ...DEMO_CUSTOMERS.flatMap((c) => [c.name, ...c.sites.flatMap((s) => [s.name, s.city])]), ...DEMO_USERS.map((u) => u.name)].flatMap((n) => n.match(/[A-Za-z]+/g) ?? []),
);

/**
 * Latin words of four or more letters in what the page shows or announces (text, aria-label,
 * title, placeholder), outside elements marked `translate="no"` (the platform's own wording,
 * such as a device's alarm message, shown as detail), e-mail addresses and URLs.
 */
async function englishLeftovers(page: Page): Promise<string[]> {
  // A script string: this project's Node typings have no DOM; the function runs in the page.
  const texts = (await page.evaluate(`(() => {
    const out = [];
    const skip = (el) => !el || el.closest('[translate="no"], script, style, noscript') !== null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (skip(el) || !el.checkVisibility()) continue;
      out.push(node.textContent ?? '');
    }
    // A label may quote data shown on the page (retry notification <subject>): the quote is not UI text.
    const data = [...document.body.querySelectorAll('[translate="no"]')].map((el) => el.textContent.trim()).filter((d) => d.length > 0);
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (skip(el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) out.push(data.reduce((text, d) => text.replaceAll(d, ' '), el.getAttribute(attr) ?? ''));
    }
    return out;
  })()`)) as string[];
  const words = texts
    .join(' ')
    .replace(/\S+@\S+|https?:\/\/\S+/g, ' ')
    .match(/\b[A-Za-z]{4,}\b/g);
  return [...new Set((words ?? []).filter((w) => !PROPER_NAMES.has(w)))];
}

/** Scenario 5: switching to 简体中文 changes the UI text (and the choice sticks). */
describe('browser: language', () => {
  const env = useDashboardSystem();
  let device: MqttClient;
  let dev: SeededDevice;

  beforeAll(async () => {
    const { sys } = env;
    dev = sys.devices.find((d) => d.customerId === 'lakeside')!;
    device = await connectDevice(sys.mqttPort, dev.id, dev.token);
    // Something to list on every page: an alarm (the device's message is English), a customer request and a work order.
    await publishLive(device, dev.id, 1, { pressureBar: 7.1, runningHours: 1200 });
    await publishAsync(device, eventsTopic(dev.id), JSON.stringify({ ts: Date.now(), type: 'trip', code: 'OVERLOAD_TRIP', message: 'Motor overload trip', values: { motorCurrentA: 79.5 } }));
    const buyer = await sys.login('buyer@lakeside.example');
    const request = await sys.api('/api/requests', buyer, {
      method: 'POST',
      body: JSON.stringify({ deviceId: dev.id, kind: 'parts_quote', message: '请报价 A 级保养包', attachment: { kit: { modelId: dev.modelId, level: 'A' } } }),
    });
    expect(request.status).toBe(201);
    const service = await sys.login('service@airfleet.example');
    const order = await sys.api('/api/work-orders', service, { method: 'POST', body: JSON.stringify({ deviceId: dev.id, title: '检查干燥机排水' }) });
    expect(order.status).toBe(201);
  });
  afterAll(async () => {
    await device?.endAsync();
  });

  it('switches the whole UI to Simplified Chinese and back', { timeout: 60_000 }, async () => {
    const { sys, browser } = env;
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    await page.getByRole('columnheader', { name: 'Pressure (bar)' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('heading', { name: '机队', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByRole('navigation').textContent()).toContain('报警');
    await page.getByRole('columnheader', { name: '压力 (bar)' }).waitFor();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await poll(() => page.getByTestId('fleet-count').textContent()).toBe('共 24 台，显示 24 台');
    // No English left in the chrome (headings, navigation, filters, column headers).
    const chrome = await page.locator('header, h1, [role="search"] label, [role="columnheader"]').allTextContents();
    expect(chrome.join(' ')).not.toMatch(/\b(Fleet|Alarms|Search|Customer|Site|State|Pressure|Power|Health|Last seen|Sign out)\b/);
    await screenshot(page, 'fleet-zh-CN');

    // Remembered on this browser.
    await page.reload();
    await page.getByRole('heading', { name: '机队', level: 1 }).waitFor();
    await page.getByRole('link', { name: '报警' }).click();
    await page.getByRole('heading', { name: '报警', level: 1 }).waitFor();
    await screenshot(page, 'alarms-zh-CN');

    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('heading', { name: 'Alarms', level: 1 }).waitFor();
  });

  it('a user whose profile is in Chinese gets Chinese without choosing', { timeout: 60_000 }, async () => {
    const { sys, browser } = env;
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'buyer@huadong.example');
    await page.getByRole('heading', { name: '概览', level: 1 }).waitFor();
  });

  /** Each page as the role that uses it, with what must be on it before it is read. */
  const PAGES = [
    { email: 'operator@airfleet.example', path: '/alarms', heading: '报警', ready: '[data-testid="alarms-table"] tr[data-alarm-type="motor_overload"]' },
    { email: 'service@airfleet.example', path: '/work-orders', heading: '工单', ready: '[data-testid="work-orders-table"] tr[data-work-order-id]' },
    { email: 'buyer@lakeside.example', path: '/requests', heading: '我的请求', ready: '[data-testid="requests-table"] tr[data-request-id]' },
    { email: 'buyer@lakeside.example', path: '/usage', heading: '用量与能耗', ready: '[data-testid="usage-periods-table"]' },
    { email: 'admin@airfleet.example', path: '/insights', heading: '使用洞察', ready: '[data-testid="wau-table"]' },
    { email: 'admin@airfleet.example', path: '/admin/notifications', heading: '通知日志', ready: '[data-testid="notification-log"], [role="status"]' },
  ] as const;

  for (const p of PAGES) {
    it(`${p.path} shows no English in Chinese (as ${p.email.split('@')[0]})`, { timeout: 60_000 }, async () => {
      const { sys, browser } = env;
      const { page } = await newPage(browser);
      await signIn(page, sys.baseUrl, p.email);
      await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
      await poll(() => page.getAttribute('html', 'lang')).toBe('zh-CN');
      await page.goto(`${sys.baseUrl}${p.path}`);
      await page.getByRole('heading', { name: p.heading, level: 1 }).waitFor();
      await page.locator(p.ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await englishLeftovers(page)).toEqual([]);
      await screenshot(page, `zh-CN${p.path.replaceAll('/', '-')}`);
    });
  }

  it('the alarms table names the type in Chinese and keeps the device’s message as detail', { timeout: 60_000 }, async () => {
    const { sys, browser } = env;
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'operator@airfleet.example');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.goto(`${sys.baseUrl}/alarms`);
    const row = page.locator('[data-testid="alarms-table"] tr[data-alarm-type="motor_overload"]').filter({ hasText: dev.id });
    await row.waitFor();
    expect(await row.getByTestId('alarm-name').textContent()).toBe('电机过载');
    expect(await row.getByTestId('alarm-message').textContent()).toContain('Motor overload trip');
    await row.getByRole('button', { name: `确认 ${dev.id} 的报警 电机过载` }).waitFor();
  });
});
