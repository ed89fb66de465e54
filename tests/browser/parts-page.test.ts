import { describe, expect, it } from 'vitest';
import { generatePartsCatalogue } from '@airfleet/platform';
import { newPage, poll, screenshot, signIn, useDashboardSystem } from './browser-harness.ts';

/**
 * The public /parts page works without signing in. A messy number finds
 * the part, a superseded number shows the chain, a model shows its BOM and kits, and
 * switching to 简体中文 shows Chinese descriptions.
 */
const catalogue = generatePartsCatalogue();
const bomPart = (position: number) => catalogue.bom.find((b) => b.modelId === 'AF37' && b.position === position)!.partNumber;
const OIL_FILTER = bomPart(50);
const MPV = bomPart(90);
const successor = new Map(catalogue.supersessions.map((s) => [s.oldNumber, s.newNumber]));
const TWO_STEP_OLD = catalogue.supersessions.map((s) => s.oldNumber).find((o) => successor.get(successor.get(o) ?? '') === OIL_FILTER)!;
const print = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;

describe('browser: public parts lookup', () => {
  const env = useDashboardSystem();

  it('finds parts without signing in, shows supersession and BOM, and speaks Chinese', { timeout: 90_000 }, async () => {
    const { page } = await newPage(env.browser, { width: 1024, height: 900 });
    await page.goto(`${env.sys.baseUrl}/parts`);
    await page.getByRole('heading', { name: 'Parts lookup', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/parts'); // not sent to /login
    await page.getByTestId('sign-in-link').waitFor();

    // A valve number typed with dashes and without its leading zero.
    const messy = print(MPV).slice(1).replaceAll(' ', '-');
    await page.getByTestId('parts-query').fill(messy);
    await page.getByTestId('parts-submit').click();
    const mpvCard = page.locator(`[data-testid="part-hit"][data-number="${MPV}"]`);
    await mpvCard.waitFor();
    expect(await mpvCard.getByTestId('part-number').first().textContent()).toBe(print(MPV));
    expect(await mpvCard.getByTestId('part-name').textContent()).toMatch(/^Minimum pressure valve/);
    expect(new URL(page.url()).searchParams.get('q')).toBe(messy); // shareable
    await screenshot(page, 'parts-messy-number');

    // A number superseded twice: the current part, with the chain from the old number.
    await page.getByTestId('parts-query').fill(TWO_STEP_OLD);
    await page.getByTestId('parts-submit').click();
    const current = page.locator(`[data-testid="part-hit"][data-number="${OIL_FILTER}"]`);
    await current.waitFor();
    const chain = await current.getByTestId('supersession').textContent();
    expect(chain).toContain(print(TWO_STEP_OLD));
    expect(chain).toContain(print(OIL_FILTER));
    expect(chain!.split('→').length).toBe(3);
    await screenshot(page, 'parts-superseded');

    // By model: kits per level and the BOM.
    await page.getByTestId('parts-query').fill('');
    await page.getByTestId('parts-model').selectOption('AF37');
    await page.getByTestId('parts-submit').click();
    await page.getByTestId('bom-table').waitFor();
    await poll(() => page.getByTestId('bom-table').locator('tbody tr').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('model-parts').textContent()).toContain('4837 3000 01');
    await screenshot(page, 'parts-model', true);
    // A kit number opens the kit with its contents (docs/domain.md §5: C = B + valve kits, drain kit, grease).
    await page.getByTestId('kit-link').filter({ hasText: '4837 3000 01' }).click();
    const kit = page.locator('[data-testid="part-hit"][data-number="4837300001"]');
    await kit.waitFor();
    await poll(() => kit.getByTestId('kit-contents').locator('tr').count()).toBe(8);
    expect(await kit.getByTestId('kit-contents').textContent()).toContain(print(OIL_FILTER));
    await screenshot(page, 'parts-kit');

    // Words in English, then the page in Chinese: the same results with Chinese descriptions.
    await page.getByTestId('parts-model').selectOption('');
    await page.getByTestId('parts-query').fill('oil fliter');
    await page.getByTestId('parts-submit').click();
    await poll(async () => (await page.getByTestId('part-name').first().textContent()) ?? '').toMatch(/^Oil filter/);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('heading', { name: '备件查询', level: 1 }).waitFor();
    await poll(async () => (await page.getByTestId('part-name').first().textContent()) ?? '').toMatch(/^油过滤器/);
    expect(await page.getByRole('button', { name: '查询' }).count()).toBe(1);
    const card = (await page.locator('[data-testid="part-hit"]').first().textContent()) ?? '';
    expect(card).toContain('目录价'); // labels …
    expect(card).toContain('喷油'); // … and the description are Chinese too
    await screenshot(page, 'parts-zh-CN');

    // Chinese words find the same kind of part.
    await page.getByTestId('parts-query').fill('最小压力伐');
    await page.getByTestId('parts-submit').click();
    await poll(async () => (await page.getByTestId('part-name').first().textContent()) ?? '').toMatch(/^最小压力阀/);

    // By machine serial (typed in lower case): the machine's model and its parts, nothing about its owner.
    const machine = env.sys.devices.find((d) => d.modelId === 'AF75')!;
    await page.getByTestId('parts-query').fill('');
    await page.getByTestId('parts-serial').fill(machine.serial.toLowerCase());
    await page.getByTestId('parts-submit').click();
    await page.getByTestId('machine').waitFor();
    const machineText = (await page.getByTestId('machine').textContent()) ?? '';
    expect(machineText).toContain(machine.serial);
    expect(machineText).toContain('AF75');
    await page.getByTestId('bom-table').waitFor();
    // The model's name is Chinese too, composed from its catalogue fields.
    expect(await page.getByTestId('model-parts').textContent()).toContain('AirFleet AF75（75 kW，定速）');
    const pageText = (await page.locator('main').textContent()) ?? '';
    for (const secret of [machine.id, machine.siteId, machine.customerId]) expect(pageText).not.toContain(secret);
    await screenshot(page, 'parts-serial-zh-CN');
    await page.getByTestId('parts-serial').fill('');
    await page.getByTestId('parts-query').fill('最小压力伐');
    await page.getByTestId('parts-submit').click();
    await page.locator('[data-testid="part-hit"]').first().waitFor();

    // One Chinese character, as typed on a phone: 油 (oil) finds parts named with it.
    await page.getByTestId('parts-query').fill('油');
    await page.getByTestId('parts-submit').click();
    await poll(async () => (await page.getByTestId('part-name').first().textContent()) ?? '').toMatch(/^油/);

    // A narrow phone screen still shows the number whole.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('part-number').first().waitFor();
    await screenshot(page, 'parts-phone-zh-CN');
  });

  it('a signed-in visitor gets a link back to their own start page; an anonymous one asks who they are once', { timeout: 60_000 }, async () => {
    // Anonymous: /api/auth/me answers 401 once, and the page stays (no loop through the sign-in page).
    const anon = await newPage(env.browser);
    const meCalls: number[] = [];
    anon.page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/auth/me') meCalls.push(r.status());
    });
    await anon.page.goto(`${env.sys.baseUrl}/parts`);
    await anon.page.getByTestId('sign-in-link').waitFor();
    await anon.page.getByTestId('parts-query').fill('oil filter');
    await anon.page.getByTestId('parts-submit').click();
    await anon.page.locator('[data-testid="part-hit"]').first().waitFor();
    expect(new URL(anon.page.url()).pathname).toBe('/parts');
    expect(meCalls).toEqual([401]);
    expect(await anon.page.getByTestId('home-link').count()).toBe(0);

    // A customer: back to the portal, instead of "Sign in".
    const { page } = await newPage(env.browser);
    await signIn(page, env.sys.baseUrl, 'buyer@northwind.example');
    await page.goto(`${env.sys.baseUrl}/parts`);
    const home = page.getByTestId('home-link');
    await home.waitFor();
    expect(await home.textContent()).toBe('Back to Overview');
    expect(await page.getByTestId('sign-in-link').count()).toBe(0);
    await home.click();
    await page.waitForURL(`${env.sys.baseUrl}/portal`);

    // A service technician: back to the inbox.
    const service = await newPage(env.browser);
    await signIn(service.page, env.sys.baseUrl, 'service@airfleet.example');
    await service.page.goto(`${env.sys.baseUrl}/parts`);
    expect(await service.page.getByTestId('home-link').getAttribute('href')).toBe('/service/inbox');
  });
});
