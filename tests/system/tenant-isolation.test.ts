import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicesResponseSchema, errorBodySchema, sitesResponseSchema } from '@airfleet/contracts';
import { startSystem, type System } from '../support/system-harness.ts';

/** OWASP API1: a customer user sees only its own machines; another customer's ids answer 404. */
describe('tenant isolation with the demo tenants', () => {
  let sys: System;
  let northwind: string;

  beforeAll(async () => {
    sys = await startSystem();
    northwind = await sys.login('buyer@northwind.example');
  });
  afterAll(async () => sys?.close());

  it('lists only the customer’s own devices and sites', async () => {
    const devices = devicesResponseSchema.parse(await (await sys.api('/api/devices?limit=1000', northwind)).json());
    const own = sys.devices.filter((d) => d.customerId === 'northwind').map((d) => d.id).sort();
    expect(devices.items.map((d) => d.id).sort()).toEqual(own);
    expect(devices.total).toBe(own.length);
    const sites = sitesResponseSchema.parse(await (await sys.api('/api/sites', northwind)).json());
    expect(new Set(sites.sites.map((s) => s.customerId))).toEqual(new Set(['northwind']));
  });

  it('answers 404 for another customer’s device, its telemetry and filters naming it', async () => {
    const other = sys.devices.find((d) => d.customerId === 'lakeside')!;
    for (const path of [`/api/devices/${other.id}`, `/api/devices/${other.id}/telemetry`]) {
      const res = await sys.api(path, northwind);
      expect(res.status).toBe(404);
      expect(errorBodySchema.parse(await res.json()).code).toBe('NOT_FOUND');
    }
    const filtered = devicesResponseSchema.parse(await (await sys.api(`/api/devices?customerId=lakeside`, northwind)).json());
    expect(filtered.items).toEqual([]);
  });

  it('refuses customer users the admin API', async () => {
    expect((await sys.api('/api/dead-letters', northwind)).status).toBe(403);
    const res = await sys.api('/api/devices', northwind, { method: 'POST', body: JSON.stringify({ id: 'X-1', modelId: 'AF22', siteId: 'northwind-leeds' }) });
    expect(res.status).toBe(403);
  });
});
