import { describe, expect, it } from 'vitest';
import { COMPRESSOR_MODELS, type Device, type Site } from '@airfleet/contracts';
import { countByState, displayState, filterRows, sortRows, toRow, type FleetRow } from './fleet-view.ts';

const site = (id: string, customerId: string, name: string, customerName: string): Site => ({
  id, customerId, name, customerName, city: 'x', country: 'GB', timezone: 'Europe/London', region: 'EMEA',
});
const SITES = new Map([
  ['s1', site('s1', 'c1', 'Sheffield Forge', 'Northwind')],
  ['s2', site('s2', 'c2', 'Madison Bakery', 'Lakeside')],
]);
const MODELS = new Map(COMPRESSOR_MODELS.map((m) => [m.id, m]));

function device(id: string, over: Partial<Device> = {}, metrics: Record<string, number> = {}, state: Device['latest'] extends infer L ? (L extends { state: infer S } ? S : never) : never = 'loaded'): Device {
  return {
    id, serial: `SN-${id}`, modelId: 'AF37', siteId: 's1', customerId: 'c1', enabled: true, online: true, firmware: '1',
    statusAt: null, lastSeenAt: '2026-01-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z',
    latest: { ts: '2026-01-01T00:00:00.000Z', seq: 1, state, metrics },
    ...over,
  };
}
const rowsOf = (devices: Device[], alarmCounts: FleetRow['alarms'] extends infer A ? Map<string, NonNullable<A>> | null : never = null) =>
  devices.map((d) => toRow(d, { sites: SITES, models: MODELS, alarmCounts }));

describe('fleet view', () => {
  it('shows offline before the machine state, and "no data" for a device that never reported', () => {
    expect(displayState({ online: false, latest: device('a').latest })).toBe('offline');
    expect(displayState({ online: true, latest: null })).toBe('unknown');
    expect(displayState({ online: true, latest: device('a', {}, {}, 'tripped').latest })).toBe('tripped');
  });

  it('filters by customer, site, state and free text across id, serial, site and customer names', () => {
    const rows = rowsOf([
      device('AF37-1'),
      device('AF37-2', { siteId: 's2', customerId: 'c2' }),
      device('AF37-3', { online: false }),
    ]);
    const base = { q: '', customerId: '', siteId: '', state: '' as const };
    expect(filterRows(rows, { ...base, customerId: 'c2' }).map((r) => r.id)).toEqual(['AF37-2']);
    expect(filterRows(rows, { ...base, siteId: 's1' }).map((r) => r.id)).toEqual(['AF37-1', 'AF37-3']);
    expect(filterRows(rows, { ...base, state: 'offline' }).map((r) => r.id)).toEqual(['AF37-3']);
    expect(filterRows(rows, { ...base, q: 'madison' }).map((r) => r.id)).toEqual(['AF37-2']);
    expect(filterRows(rows, { ...base, q: 'sn-af37-3' }).map((r) => r.id)).toEqual(['AF37-3']);
    expect(filterRows(rows, { ...base, q: 'northwind', state: 'loaded' }).map((r) => r.id)).toEqual(['AF37-1']);
  });

  it('sorts numbers with missing values last in both directions, ties by id', () => {
    const rows = rowsOf([
      device('B', {}, { pressureBar: 7.1 }),
      device('A', {}, { pressureBar: 7.1 }),
      device('C', { latest: null }),
      device('D', {}, { pressureBar: 6.5 }),
    ]);
    expect(sortRows(rows, 'pressure', 'asc').map((r) => r.id)).toEqual(['D', 'A', 'B', 'C']);
    expect(sortRows(rows, 'pressure', 'desc').map((r) => r.id)).toEqual(['A', 'B', 'D', 'C']);
  });

  it('puts tripped and offline machines first when sorting by state, and the worst alarms first when sorting by alarms', () => {
    const rows = rowsOf(
      [device('L'), device('T', {}, {}, 'tripped'), device('O', { online: false }), device('U', {}, {}, 'unloaded')],
      new Map([
        ['L', { total: 3, worst: 'warning' as const }],
        ['U', { total: 1, worst: 'critical' as const }],
      ]),
    );
    expect(sortRows(rows, 'state', 'asc').map((r) => r.id)).toEqual(['T', 'O', 'U', 'L']);
    expect(sortRows(rows, 'alarms', 'desc').map((r) => r.id)).toEqual(['U', 'L', 'O', 'T']);
    expect(countByState(rows)).toMatchObject({ tripped: 1, offline: 1, unloaded: 1, loaded: 1, stopped: 0 });
  });

  it('scores health from the model limits: an air filter over its warning limit fails one check', () => {
    const ok = rowsOf([device('A', {}, { elementTempC: 85, airFilterDpMbar: 20, vibrationMmS: 2 })])[0]!;
    expect(ok.health).toMatchObject({ score: 100, level: 'good' });
    const filter = rowsOf([device('A', {}, { elementTempC: 85, airFilterDpMbar: 45, vibrationMmS: 2 })])[0]!;
    expect(filter.health).toMatchObject({ passed: 3, total: 4, level: 'attention' });
    const hot = rowsOf([device('A', {}, { elementTempC: 121 })])[0]!;
    expect(hot.health?.level).toBe('critical');
    expect(hot.adtLevel).toBe('trip');
  });
});
