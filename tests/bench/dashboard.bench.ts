import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { DEMO_CUSTOMERS } from '@airfleet/platform';
import { ensureDashboardBuild } from '@airfleet/dashboard/ensure-build';
import { launchBrowser, publishLive } from '../browser/browser-harness.ts';
import { connectDevice } from '../support/mqtt-clients.ts';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';
import { startSystem, type System } from '../support/system-harness.ts';

/**
 * Dashboard figures, measured in the real built dashboard in Chromium:
 *   1. initial JS for sign-in + fleet, gzipped (from the build manifest);
 *   2. time from pressing "Sign in" to a filled fleet view (24 demo machines, and 10k);
 *   3. time to draw a 100k-point uPlot chart on the machine page (performance measure
 *      `airfleet:chart-draw`, recorded by the chart component itself).
 *   npm run bench -- dashboard [--runs 5]
 */
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(args.runs);
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

async function bundleFigures(distDir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(distDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gz = async (file: string) => gzipSync(await readFile(path.join(distDir, file)), { level: 9 }).length;
  // The entry and its static imports load before anything renders: that is sign-in + fleet.
  const initial = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)!;
  visit(entry[0]);
  let initialGz = 0;
  let initialRaw = 0;
  for (const file of initial) {
    initialGz += await gz(file);
    initialRaw += (await readFile(path.join(distDir, file))).length;
  }
  say(`initial JS (sign-in + fleet): ${(initialGz / 1024).toFixed(1)} KiB gzipped (${(initialRaw / 1024).toFixed(0)} KiB minified) in ${initial.size} file(s); budget 250 KB`);
  const lazy = Object.values(manifest).filter((c) => c.file.endsWith('.js') && !initial.has(c.file));
  for (const c of lazy) say(`  on demand: ${c.file} ${((await gz(c.file)) / 1024).toFixed(1)} KiB gzipped`);
  const css = [...new Set(Object.values(manifest).flatMap((c) => c.css ?? []))];
  for (const file of css) say(`  css: ${file} ${((await gz(file)) / 1024).toFixed(1)} KiB gzipped`);
}

async function signInTimed(browser: Browser, baseUrl: string, expectCount: string, prepare?: (page: Page) => Promise<unknown>): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await prepare?.(page);
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('textbox', { name: 'Email' }).fill('operator@airfleet.example');
  await page.getByRole('textbox', { name: 'Password' }).fill('airfleet-demo');
  const t0 = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('fleet-count').filter({ hasText: expectCount }).waitFor({ timeout: 60_000 });
  // Filled: rows with values on screen, not only the count.
  await page.locator('[data-testid="fleet-table"] [role="row"][data-device-id] [data-metric="pressure"]').first().waitFor();
  const ms = performance.now() - t0;
  await context.close();
  return ms;
}

function syntheticFleetJson(n: number): (offset: number, limit: number) => string {
  const sites = DEMO_CUSTOMERS.flatMap((c) => c.sites.map((s) => ({ siteId: s.id, customerId: c.id })));
  const now = new Date().toISOString();
  const devices = Array.from({ length: n }, (_, i) => ({
    id: `LOAD-${String(i).padStart(5, '0')}`,
    serial: `SN-${i}`,
    modelId: 'AF37',
    ...sites[i % sites.length]!,
    enabled: true,
    online: true,
    firmware: '1.0.0',
    statusAt: now,
    lastSeenAt: now,
    latest: { ts: now, seq: i, state: 'loaded', metrics: { pressureBar: 7, elementTempC: 80, powerKw: 40 } },
    createdAt: now,
  }));
  return (offset, limit) => JSON.stringify({ items: devices.slice(offset, offset + limit), total: n, limit, offset });
}

function hundredThousandPoints(deviceId: string): string {
  const n = 100_000;
  const to = Date.now();
  const bucketMs = 1000;
  const from = to - n * bucketMs;
  const t = new Array<number>(n);
  const avg = new Array<number>(n);
  const min = new Array<number>(n);
  const max = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    t[i] = from + i * bucketMs;
    const v = 7 + 0.5 * Math.sin(i / 500) + 0.1 * Math.sin(i / 7);
    avg[i] = Math.round(v * 1000) / 1000;
    min[i] = Math.round((v - 0.05) * 1000) / 1000;
    max[i] = Math.round((v + 0.05) * 1000) / 1000;
  }
  return JSON.stringify({ deviceId, from, to, bucketMs, t, count: t.map(() => 1), series: { pressureBar: { avg, min, max } } });
}

async function chartFigure(browser: Browser, baseUrl: string, deviceId: string): Promise<number[]> {
  const body = hundredThousandPoints(deviceId);
  const durations: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.route(
      (url) => url.pathname === `/api/devices/${deviceId}/telemetry` && (url.searchParams.get('metrics') ?? '').includes('pressureBar'),
      (route) => route.fulfill({ status: 200, contentType: 'application/json', body }),
    );
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('textbox', { name: 'Email' }).fill('operator@airfleet.example');
    await page.getByRole('textbox', { name: 'Password' }).fill('airfleet-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/fleet/);
    await page.goto(`${baseUrl}/machines/${deviceId}`);
    await page.locator('[data-testid="history-chart"][data-points="100000"]').first().waitFor({ timeout: 60_000 });
    const measured = (await page.waitForFunction(
      `(() => { const e = performance.getEntriesByName('airfleet:chart-draw').find((m) => m.detail && m.detail.points === 100000); return e ? e.duration : null; })()`,
      undefined,
      { timeout: 30_000 },
    ).then((h) => h.jsonValue())) as number;
    durations.push(measured);
    await context.close();
  }
  return durations;
}

async function scrollSmoothness(browser: Browser, baseUrl: string): Promise<{ p50: number; p95: number; max: number; frames: number }> {
  const serve = syntheticFleetJson(10_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.route(
    (url) => url.pathname === '/api/devices',
    (route) => {
      const q = new URL(route.request().url()).searchParams;
      return route.fulfill({ status: 200, contentType: 'application/json', body: serve(Number(q.get('offset') ?? 0), Number(q.get('limit') ?? 100)) });
    },
  );
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('textbox', { name: 'Email' }).fill('operator@airfleet.example');
  await page.getByRole('textbox', { name: 'Password' }).fill('airfleet-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('fleet-count').filter({ hasText: '10,000 of 10,000' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('fleet-table').hover();
  await page.evaluate(`window.__frames = []; (function loop(t) { window.__frames.push(t); if (window.__frames.length < 100000) requestAnimationFrame(loop); })(performance.now());`);
  for (let i = 0; i < 60; i++) {
    await page.mouse.wheel(0, 900);
    await page.waitForTimeout(16);
  }
  const frames = (await page.evaluate('window.__frames.splice(0)')) as number[];
  await context.close();
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  return { p50: gaps[Math.floor(gaps.length * 0.5)]!, p95: gaps[Math.floor(gaps.length * 0.95)]!, max: gaps.at(-1)!, frames: gaps.length };
}

let scratch: ScratchPostgres | undefined;
let sys: System | undefined;
let browser: Browser | undefined;
const clients: MqttClient[] = [];

async function main(): Promise<void> {
  say('[1/5] building the dashboard (when stale)');
  const build = await ensureDashboardBuild();
  say(build.built ? `      built in ${(build.durationMs / 1000).toFixed(1)} s` : '      up to date');
  await bundleFigures(build.distDir);

  say('[2/5] embedded PostgreSQL, gateway, platform (demo: 24 machines), Chromium');
  scratch = await startScratchPostgres('bench-dashboard');
  sys = await startSystem({ databaseUrl: scratch.url, dashboardDir: build.distDir });
  browser = await launchBrowser();
  for (const d of sys.devices) {
    const c = await connectDevice(sys.mqttPort, d.id, d.token);
    clients.push(c);
    await publishLive(c, d.id, 1, { pressureBar: 7, elementTempC: 82, powerKw: 35 });
  }

  say(`[3/5] sign-in → filled fleet view, ${RUNS} runs each`);
  await signInTimed(browser, sys.baseUrl, '24 of 24'); // warm-up (Chromium caches, server JIT)
  const small: number[] = [];
  for (let i = 0; i < RUNS; i++) small.push(await signInTimed(browser, sys.baseUrl, '24 of 24'));
  say(`      24 machines: median ${fmt(median(small))} (min ${fmt(Math.min(...small))}, max ${fmt(Math.max(...small))})`);
  const serve = syntheticFleetJson(10_000);
  const big: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    big.push(
      await signInTimed(browser, sys.baseUrl, '10,000 of 10,000', (page) =>
        page.route(
          (url) => url.pathname === '/api/devices',
          (route) => {
            const q = new URL(route.request().url()).searchParams;
            return route.fulfill({ status: 200, contentType: 'application/json', body: serve(Number(q.get('offset') ?? 0), Number(q.get('limit') ?? 100)) });
          },
        ),
      ),
    );
  }
  say(`      10,000 machines (API answered by the browser harness, 10 pages): median ${fmt(median(big))} (min ${fmt(Math.min(...big))}, max ${fmt(Math.max(...big))})`);

  say('[4/5] scrolling the 10k list (frame intervals while wheel-scrolling)');
  const smooth = await scrollSmoothness(browser, sys.baseUrl);
  say(`      ${smooth.frames} frames: p50 ${fmt(smooth.p50)}, p95 ${fmt(smooth.p95)}, max ${fmt(smooth.max)} (16.7 ms = 60 fps)`);

  say(`[5/5] 100k-point chart on the machine page, ${RUNS} runs`);
  const chart = await chartFigure(browser, sys.baseUrl, sys.devices[0]!.id);
  say(`      uPlot draw of 100,000 points (setData → drawn): median ${fmt(median(chart))} (min ${fmt(Math.min(...chart))}, max ${fmt(Math.max(...chart))}); target < 100 ms`);
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`dashboard benchmark failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const c of clients) await c.endAsync().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await sys?.close().catch(() => undefined);
    await scratch?.dispose();
  });
