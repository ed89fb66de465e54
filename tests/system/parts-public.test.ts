import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, partLookupResponseSchema, partsSearchResponseSchema, telemetryTopic } from '@airfleet/contracts';
import { DEMO_CUSTOMERS, DEMO_USERS, generatePartsCatalogue } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The public lookup needs no login, is rate-limited per client, and leaks
 * nothing internal: every answer (JSON walked recursively) is checked for cost prices,
 * prices not meant to be public, demo customers' and sites' names and ids, device ids,
 * user emails and internal-looking keys.
 */

const RATE_LIMIT = 45;
const catalogue = generatePartsCatalogue();
const byNumber = new Map(catalogue.parts.map((p) => [p.number, p]));
const bom = (modelId: string, position: number) => catalogue.bom.find((b) => b.modelId === modelId && b.position === position)!.partNumber;

const FORBIDDEN_KEYS = /cost|customer|site|city|country|owner|tenant|email|user|device|^id$|internal|token|address|ip$/i;

interface Finding {
  path: string;
  problem: string;
}

/** Walks any JSON value; part-shaped objects are checked against the catalogue's internal figures. */
function walk(value: unknown, forbidden: readonly string[], path = '$', out: Finding[] = []): Finding[] {
  if (typeof value === 'string') {
    for (const f of forbidden) if (value.toLowerCase().includes(f.toLowerCase())) out.push({ path, problem: `mentions ${f}` });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, forbidden, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (FORBIDDEN_KEYS.test(k)) out.push({ path: `${path}.${k}`, problem: 'internal-looking key' });
      walk(v, forbidden, `${path}.${k}`, out);
    }
    const part = typeof obj.number === 'string' ? byNumber.get(obj.number) : undefined;
    if (part) {
      const numbers = JSON.stringify(obj).match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
      if (numbers.includes(part.costPriceEur)) out.push({ path, problem: `cost price ${part.costPriceEur} of ${part.number}` });
      const listPrice = obj.listPrice as { amount: number } | null | undefined;
      if (listPrice && !part.listPricePublic) out.push({ path, problem: `non-public list price of ${part.number}` });
      if (listPrice && listPrice.amount !== part.listPriceEur) out.push({ path, problem: `list price of ${part.number} differs` });
    }
  }
  return out;
}

describe('public parts lookup: no login, rate-limited, nothing internal', () => {
  let sys: System;
  let forbidden: string[];

  beforeAll(async () => {
    sys = await startSystem({ partsRateLimitPerMin: RATE_LIMIT });
    forbidden = [
      ...DEMO_CUSTOMERS.flatMap((c) => [c.id, c.name, ...c.sites.flatMap((s) => [s.id, s.name, s.city])]),
      ...sys.devices.map((d) => d.id),
      ...DEMO_USERS.map((u) => u.email),
    ];
    // One machine per customer with service state, so serial answers carry a next kit.
    for (const customer of DEMO_CUSTOMERS) {
      const d = sys.devices.find((x) => x.customerId === customer.id)!;
      const client = await connectDevice(sys.mqttPort, d.id, d.token);
      await publishAsync(client, telemetryTopic(d.id), JSON.stringify({ ts: Date.now(), seq: 1, state: 'loaded', metrics: { runningHours: 7950 } }));
      await client.endAsync();
    }
    await waitFor(async () => (await sys.pool.query('SELECT count(DISTINCT device_id)::int AS n FROM device_service')).rows[0].n >= 3, 'service state of 3 machines');
  });
  afterAll(async () => sys?.close());

  it('answers without a session and leaks nothing internal', async () => {
    const motor = bom('AF75', 140);
    expect(byNumber.get(motor)!.listPricePublic).toBe(false); // motors are "price on request"
    const superseded = catalogue.supersessions[0]!.oldNumber;
    const serials = DEMO_CUSTOMERS.map((c) => sys.devices.find((d) => d.customerId === c.id)!.serial);
    const paths = [
      `/api/parts/search?q=${bom('AF22', 50)}`,
      `/api/parts/search?q=${superseded}`,
      `/api/parts/search?q=4711`,
      '/api/parts/search?q=oil%20fliter&limit=100',
      `/api/parts/search?q=${encodeURIComponent('油气分离器')}&lang=zh-CN&limit=100`,
      '/api/parts/search?q=motor&limit=100',
      '/api/parts/search?modelId=AF75&limit=100',
      '/api/parts/search?modelId=AF90V&lang=zh-CN&limit=100',
      ...serials.map((s) => `/api/parts/search?serial=${encodeURIComponent(s)}&limit=100`),
      ...serials.map((s) => `/api/parts/search?serial=${encodeURIComponent(s)}&q=kit&lang=zh-CN`),
      `/api/parts/${motor}`,
      `/api/parts/${superseded}?lang=zh-CN`,
      '/api/parts/4875300001',
    ];
    let partsSeen = 0;
    for (const path of paths) {
      const res = await sys.api(path); // no cookie
      expect(res.status, path).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      const body: unknown = await res.json();
      expect(walk(body, forbidden), path).toEqual([]);
      partsSeen += JSON.stringify(body).match(/"listPrice"/g)?.length ?? 0;
    }
    // The walk looked at real answers: hundreds of parts, the motor without a price, machines found.
    expect(partsSeen).toBeGreaterThan(200);
    const motorRes = partLookupResponseSchema.parse(await (await sys.api(`/api/parts/${motor}`)).json());
    expect(motorRes.part.listPrice).toBeNull();
    const machine = partsSearchResponseSchema.parse(await (await sys.api(`/api/parts/search?serial=${encodeURIComponent(serials[0]!)}`)).json()).machine!;
    expect(machine.nextService?.kits.length).toBeGreaterThan(0);
    expect(Object.keys(machine).sort()).toEqual(['modelId', 'nextService', 'serial']);
  });

  it('rate-limits per client: 429 RATE_LIMITED with Retry-After once the bucket is empty', async () => {
    let limited: Response | undefined;
    let allowed = 0;
    for (let i = 0; i < RATE_LIMIT + 20 && !limited; i++) {
      const res = await sys.api(`/api/parts/search?q=${1000 + i}`);
      if (res.status === 429) limited = res;
      else {
        expect(res.status).toBe(200);
        allowed++;
      }
    }
    expect(limited, 'a 429 within the limit plus refill').toBeDefined();
    expect(allowed).toBeLessThanOrEqual(RATE_LIMIT);
    const body = errorBodySchema.parse(await limited!.json());
    expect(body.code).toBe('RATE_LIMITED');
    expect(body.requestId).toBeTruthy();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The single-part path shares the bucket; signed-in pages elsewhere are not affected.
    expect((await sys.api('/api/parts/4711003000')).status).toBe(429);
    expect((await sys.api('/healthz')).status).toBe(200);
  });
});
