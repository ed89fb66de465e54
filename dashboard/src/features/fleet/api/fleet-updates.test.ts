import { describe, expect, it } from 'vitest';
import type { Device } from '@airfleet/contracts';
import { applyStatus, applyTelemetry } from './fleet-updates.ts';

const device = (id: string, ts: string | null): Device => ({
  id, serial: id, modelId: 'AF37', siteId: 's', customerId: 'c', enabled: true, online: false, firmware: 'fw-1',
  statusAt: null, lastSeenAt: ts, createdAt: '2026-01-01T00:00:00.000Z',
  latest: ts ? { ts, seq: 1, state: 'loaded', metrics: { pressureBar: 7 } } : null,
});

describe('live updates of the cached fleet', () => {
  it('replaces the latest values of the devices in the batch and marks them online', () => {
    const before = [device('A', '2026-01-01T00:00:00.000Z'), device('B', null)];
    const after = applyTelemetry(before, [{ deviceId: 'B', ts: Date.parse('2026-01-01T00:00:05Z'), seq: 9, state: 'unloaded', metrics: { pressureBar: 7.4 }, receivedAt: Date.parse('2026-01-01T00:00:05.02Z') }]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toMatchObject({ online: true, lastSeenAt: '2026-01-01T00:00:05.020Z', latest: { seq: 9, state: 'unloaded', metrics: { pressureBar: 7.4 } } });
  });

  it('never moves a device back to an older sample (a replay committed after a live one)', () => {
    const before = [device('A', '2026-01-01T00:10:00.000Z')];
    const after = applyTelemetry(before, [{ deviceId: 'A', ts: Date.parse('2026-01-01T00:05:00Z'), seq: 2, state: 'stopped', metrics: {}, receivedAt: Date.now() }]);
    expect(after).toBe(before);
  });

  it('keeps the firmware from the birth message when a last will (no firmware) arrives', () => {
    const online = applyStatus([device('A', null)], [{ deviceId: 'A', online: true, firmware: 'fw-2', at: 1 }]);
    expect(online[0]).toMatchObject({ online: true, firmware: 'fw-2' });
    const offline = applyStatus(online, [{ deviceId: 'A', online: false, firmware: null, at: 2 }]);
    expect(offline[0]).toMatchObject({ online: false, firmware: 'fw-2' });
  });
});
