import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, findModel, partLookupResponseSchema, partsSearchResponseSchema, telemetryTopic, type PartsSearchResponse } from '@airfleet/contracts';
import { generatePartsCatalogue } from '@airfleet/platform';
import type { MqttClient } from 'mqtt';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The public lookup over the real API and PostgreSQL. Numbers typed every
 * way people type them, superseded numbers (one and two steps) resolving to the current
 * part with the chain, typo-tolerant descriptions in English and Chinese, by model, and by
 * machine serial → BOM and next due kit.
 */

// Expectations come from the generated catalogue (what syncParts stored), not from the API.
const catalogue = generatePartsCatalogue();
const bomPart = (modelId: string, position: number) => catalogue.bom.find((b) => b.modelId === modelId && b.position === position)!.partNumber;
const AF37_OIL_FILTER = bomPart('AF37', 50); // also fits AF22: interchangeable
const AF37_MPV = bomPart('AF37', 90); // a valve: its number starts with 0
const print = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;
const successor = new Map(catalogue.supersessions.map((s) => [s.oldNumber, s.newNumber]));
const predecessors = new Set(catalogue.supersessions.map((s) => s.newNumber));
function chainOf(n: string): string[] {
  const chain = [n];
  while (successor.has(chain[chain.length - 1]!)) chain.push(successor.get(chain[chain.length - 1]!)!);
  return chain;
}
const twoStepOld = catalogue.supersessions.map((s) => s.oldNumber).find((o) => chainOf(o)[2] === AF37_OIL_FILTER)!;
const twoStepMid = chainOf(twoStepOld)[1]!;
const oneStepOld = catalogue.supersessions.map((s) => s.oldNumber).find((o) => chainOf(o).length === 2 && !predecessors.has(o) && !o.startsWith('0'))!;
const zeroOld = catalogue.supersessions.map((s) => s.oldNumber).find((o) => o.startsWith('0') && !predecessors.has(o))!;

interface Case {
  name: string;
  query: string;
  /** First hit's number … */
  first?: string;
  /** … or a condition on the first hit. */
  check?: (r: PartsSearchResponse) => void;
  matchedBy: 'number' | 'superseded' | 'prefix' | 'text';
  chain?: string[];
}

const CASES: Case[] = [
  { name: 'plain digits', query: 'q=' + AF37_OIL_FILTER, first: AF37_OIL_FILTER, matchedBy: 'number' },
  { name: 'printed with spaces', query: `q=${print(AF37_OIL_FILTER)}`, first: AF37_OIL_FILTER, matchedBy: 'number' },
  { name: 'dashes', query: `q=${print(AF37_OIL_FILTER).replaceAll(' ', '-')}`, first: AF37_OIL_FILTER, matchedBy: 'number' },
  { name: 'dots', query: `q=${print(AF37_OIL_FILTER).replaceAll(' ', '.')}`, first: AF37_OIL_FILTER, matchedBy: 'number' },
  { name: 'label and slashes', query: `q=P/N ${print(AF37_OIL_FILTER).replaceAll(' ', '/')}`, first: AF37_OIL_FILTER, matchedBy: 'number' },
  {
    name: 'full-width digits (Chinese IME)',
    query: `q=${[...print(AF37_OIL_FILTER)].map((c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('')}`,
    first: AF37_OIL_FILTER,
    matchedBy: 'number',
  },
  { name: 'leading zero kept', query: `q=${print(AF37_MPV)}`, first: AF37_MPV, matchedBy: 'number' },
  { name: 'lost leading zero, printed', query: `q=${print(AF37_MPV).slice(1)}`, first: AF37_MPV, matchedBy: 'number' },
  { name: 'lost leading zero, dashes', query: `q=${print(AF37_MPV).slice(1).replaceAll(' ', '-')}`, first: AF37_MPV, matchedBy: 'number' },
  {
    name: 'prefix of eight digits',
    query: `q=${print(AF37_OIL_FILTER).slice(0, 9)}`,
    check: (r) => expect(r.results.every((h) => h.part.number.startsWith(AF37_OIL_FILTER.slice(0, 8)))).toBe(true),
    matchedBy: 'prefix',
  },
  { name: 'prefix finds the C kit', query: 'q=4837 3', first: '4837300001', matchedBy: 'prefix' },
  { name: 'superseded, one step', query: `q=${print(oneStepOld).replaceAll(' ', '-')}`, first: chainOf(oneStepOld)[1], matchedBy: 'superseded', chain: chainOf(oneStepOld) },
  { name: 'superseded, two steps', query: `q=${print(twoStepOld)}`, first: AF37_OIL_FILTER, matchedBy: 'superseded', chain: [twoStepOld, twoStepMid, AF37_OIL_FILTER] },
  { name: 'superseded, middle of a chain', query: `q=${twoStepMid}`, first: AF37_OIL_FILTER, matchedBy: 'superseded', chain: [twoStepMid, AF37_OIL_FILTER] },
  { name: 'superseded and a lost leading zero', query: `q=${zeroOld.slice(1)}`, first: chainOf(zeroOld).at(-1), matchedBy: 'superseded', chain: chainOf(zeroOld) },
  {
    name: 'English with a typo',
    query: 'q=oil fliter',
    check: (r) => expect(r.results.slice(0, 5).every((h) => h.part.category === 'oil_filter')).toBe(true),
    matchedBy: 'text',
  },
  { name: 'English, two typos', query: 'q=seperator elment', check: (r) => expect(r.results[0]!.part.category).toBe('separator'), matchedBy: 'text' },
  {
    name: 'English, typo in the middle word',
    query: 'q=minimum presure valve',
    check: (r) => expect(r.results[0]!.part.name).toMatch(/^Minimum pressure valve/),
    matchedBy: 'text',
  },
  {
    name: 'English, restricted to a model',
    query: 'q=oil filter&modelId=AF75',
    check: (r) => {
      expect(r.results[0]!.part.category).toBe('oil_filter');
      expect(r.results.every((h) => h.part.fits.includes('AF75'))).toBe(true);
    },
    matchedBy: 'text',
  },
  {
    name: 'Chinese',
    query: 'q=油过滤器&lang=zh-CN',
    check: (r) => {
      expect(r.results[0]!.part.category).toBe('oil_filter');
      expect(r.results[0]!.part.name).toMatch(/^油过滤器/);
    },
    matchedBy: 'text',
  },
  { name: 'Chinese, a character left out', query: 'q=油滤器&lang=zh-CN', check: (r) => expect(r.results[0]!.part.category).toBe('oil_filter'), matchedBy: 'text' },
  {
    name: 'Chinese, a wrong character (伐 for 阀)',
    query: 'q=最小压力伐&lang=zh-CN',
    check: (r) => expect(r.results[0]!.part.name).toMatch(/^最小压力阀/),
    matchedBy: 'text',
  },
  { name: 'Chinese workshop word', query: 'q=空滤&lang=zh-CN', check: (r) => expect(r.results[0]!.part.category).toBe('air_filter'), matchedBy: 'text' },
  {
    // One character, as people start typing on a phone: parts named with 油 (oil) first.
    name: 'Chinese, one character (油)',
    query: 'q=油&lang=zh-CN',
    check: (r) => {
      expect(r.results.length).toBeGreaterThanOrEqual(10);
      expect(r.results.slice(0, 10).every((h) => h.part.name.includes('油'))).toBe(true);
      expect(r.results[0]!.part.name.startsWith('油')).toBe(true);
    },
    matchedBy: 'text',
  },
  {
    name: 'Chinese, one character (阀), within a model',
    query: 'q=阀&modelId=AF37&lang=zh-CN',
    check: (r) => {
      expect(r.results.slice(0, 5).every((h) => h.part.name.includes('阀') && h.part.fits.includes('AF37'))).toBe(true);
    },
    matchedBy: 'text',
  },
  {
    name: 'Chinese, two characters (滤芯)',
    query: 'q=滤芯&lang=zh-CN&limit=100',
    check: (r) => {
      // 空气滤芯 (air filter) names start closer to the characters than 油气分离器滤芯 (separator element).
      expect(r.results[0]!.part.category).toBe('air_filter');
      expect(r.results.slice(0, 10).every((h) => h.part.name.includes('滤芯'))).toBe(true);
      expect(r.results.map((h) => h.part.category)).toEqual(expect.arrayContaining(['air_filter', 'separator']));
    },
    matchedBy: 'text',
  },
  { name: 'English words and a model', query: 'q=AF22 service kit', check: (r) => expect(r.results[0]!.part.kit?.modelId).toBe('AF22'), matchedBy: 'text' },
];

describe('public parts lookup: messy input → the right current part', () => {
  let sys: System;
  let device: MqttClient | undefined;

  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await device?.endAsync();
    await sys?.close();
  });

  it('the catalogue holds the numbers this table relies on', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    expect(catalogue.parts.filter((p) => !p.superseded).length).toBeGreaterThanOrEqual(2000);
    expect([twoStepOld, twoStepMid, oneStepOld, zeroOld].every(Boolean)).toBe(true);
    expect(AF37_MPV.startsWith('0')).toBe(true);
  });

  it.each(CASES)('$name', async (c) => {
    const res = await sys.api(`/api/parts/search?${encodeURI(c.query)}`);
    expect(res.status).toBe(200);
    const body = partsSearchResponseSchema.parse(await res.json());
    expect(body.results.length).toBeGreaterThan(0);
    const hit = body.results[0]!;
    if (c.first) expect(hit.part.number).toBe(c.first);
    c.check?.(body);
    expect(hit.matchedBy).toBe(c.matchedBy);
    if (c.chain) {
      expect(hit.chain.map((r) => r.number)).toEqual(c.chain);
      expect(hit.part.replaces.map((r) => r.number)).toEqual(expect.arrayContaining(c.chain.slice(0, -1)));
    } else {
      expect(hit.chain).toEqual([]);
    }
    expect(hit.part.printed).toBe(print(hit.part.number));
  });

  it('GET /api/parts/{number}: any spelling, superseded → current with the chain, Chinese on request, 404 otherwise', async () => {
    const direct = partLookupResponseSchema.parse(await (await sys.api(`/api/parts/${print(AF37_MPV).slice(1).replaceAll(' ', '-')}`)).json());
    expect(direct.part.number).toBe(AF37_MPV);
    expect(direct.part.name).toMatch(/^Minimum pressure valve/);

    const old = partLookupResponseSchema.parse(await (await sys.api(`/api/parts/${encodeURIComponent(print(twoStepOld))}?lang=zh-CN`)).json());
    expect(old.matchedBy).toBe('superseded');
    expect(old.chain.map((r) => r.number)).toEqual([twoStepOld, twoStepMid, AF37_OIL_FILTER]);
    expect(old.part.name).toMatch(/^油过滤器/);
    expect(old.part.fits).toEqual(expect.arrayContaining(['AF22', 'AF37'])); // interchangeable

    for (const missing of ['9999999999', 'oil', '12']) {
      const res = await sys.api(`/api/parts/${missing}`);
      expect(res.status).toBe(404);
      expect(errorBodySchema.parse(await res.json()).code).toBe('NOT_FOUND');
    }
  });

  it('by model: the BOM with positions and quantities, and a kit per plan level with the contents of that service level', async () => {
    const body = partsSearchResponseSchema.parse(await (await sys.api('/api/parts/search?modelId=AF37')).json());
    const model = body.model!;
    expect(model.modelId).toBe('AF37');
    expect(model.bom.find((l) => l.position === 50)!.part.number).toBe(AF37_OIL_FILTER);
    expect(model.bom.find((l) => l.part.category === 'sensor' && l.quantity === 2)).toBeDefined();
    const plan = findModel('AF37')!.servicePlan.levels;
    expect(model.kits.map((k) => k.kits.map((p) => p.number))).toEqual(plan.map((l) => l.kit));
    const contents = (level: string) => model.kits.find((k) => k.level === level)!.kits[0]!.kit!.contents.map((c) => c.category).sort();
    expect(contents('A')).toEqual(['air_filter', 'oil_filter']);
    expect(contents('B')).toEqual(['air_filter', 'oil', 'oil_filter', 'separator']);
    expect(contents('C')).toEqual(['air_filter', 'drain', 'grease', 'oil', 'oil_filter', 'separator', 'valve_kit', 'valve_kit']);
    // The kit's oil filter is the BOM's oil filter.
    expect(model.kits.find((k) => k.level === 'A')!.kits[0]!.kit!.contents.map((c) => c.number)).toContain(AF37_OIL_FILTER);
    // Without q, the hits are the model's kits first, then its BOM parts.
    expect(body.results[0]!.matchedBy).toBe('model');
    expect(body.results[0]!.part.category).toBe('service_kit');
  });

  it('by machine serial: its model, BOM and next due kit from the service state the rules keep', async () => {
    const d = sys.devices.find((x) => x.modelId === 'AF37')!;
    device = await connectDevice(sys.mqttPort, d.id, d.token);
    // 3900 running hours: A (every 2000 h) and B (every 4000 h) both fall due at 4000 h; B includes A.
    await publishAsync(device, telemetryTopic(d.id), JSON.stringify({ ts: Date.now(), seq: 1, state: 'loaded', metrics: { runningHours: 3900, pressureBar: 7 } }));
    await waitFor(async () => (await sys.pool.query('SELECT count(*)::int AS n FROM device_service WHERE device_id = $1', [d.id])).rows[0].n > 0, 'service state seeded');

    const res = await sys.api(`/api/parts/search?serial=${encodeURIComponent(d.serial.toLowerCase())}`);
    expect(res.status).toBe(200);
    const body = partsSearchResponseSchema.parse(await res.json());
    expect(Object.keys(body.machine!).sort()).toEqual(['modelId', 'nextService', 'serial']);
    expect(body.machine!.modelId).toBe('AF37');
    expect(body.machine!.nextService!.level).toBe('B');
    expect(body.machine!.nextService!.dueInHours).toBeCloseTo(100, 0);
    expect(body.machine!.nextService!.kits.map((k) => k.number)).toEqual(['4837200001']);
    expect(body.model!.bom.length).toBeGreaterThan(10);

    // As read off a nameplate: spaces instead of dashes, lower case.
    const spaced = partsSearchResponseSchema.parse(await (await sys.api(`/api/parts/search?serial=${encodeURIComponent(d.serial.toLowerCase().replaceAll('-', ' '))}`)).json());
    expect(spaced.machine?.modelId).toBe('AF37');

    const unknown = partsSearchResponseSchema.parse(await (await sys.api('/api/parts/search?serial=NO-SUCH-SERIAL')).json());
    expect(unknown.machine).toBeNull();
  });
});
