import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { System } from '../support/system-harness.ts';
import { launchBrowser, newPage, poll, screenshot, signIn, startDashboardSystem } from './browser-harness.ts';

/** Scenario 5: switching to 简体中文 changes the UI text (and the choice sticks). */
describe('browser: language', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startDashboardSystem(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('switches the whole UI to Simplified Chinese and back', { timeout: 60_000 }, async () => {
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
    const { page } = await newPage(browser);
    await signIn(page, sys.baseUrl, 'buyer@huadong.example');
    await page.getByRole('heading', { name: '概览', level: 1 }).waitFor();
  });
});
