import { describe, expect, it } from 'vitest';
import { resolveSimConfig, simEnvSchema, SimConfigError } from '../sim.config.ts';
import { faultScenarioSchema, FaultSpecError, parseFaultFlag, resolveFaults } from './fault-scenario.schema.ts';

const START = Date.UTC(2025, 10, 17, 6);
const HOUR = 3_600_000;
const devices = [{ id: 'AF37-000001' }, { id: 'AF22-000002' }, { id: '12' }];

describe('scenario file schema', () => {
  it.each([
    ['a bare list', [{ device: 'AF37-000001', kind: 'cooler_fouling', onset: '+2h', severity: 1 }]],
    ['an object with a description', { description: 'hot summer', faults: [{ device: 0, kind: 'bearing_wear', onset: '2025-11-20T06:00:00Z', severity: 0.8, developHours: 120 }] }],
    ['a sensor fault with its metric', [{ device: 1, kind: 'stuck_sensor', onset: '+30m', severity: 1, metric: 'pressureBar', durationHours: 4 }]],
    ['an outage with a duration, onset in epoch ms', [{ device: 2, kind: 'network_outage', onset: START + HOUR, severity: 1, durationHours: 6 }]],
    ['an empty scenario', { faults: [] }],
  ])('accepts %s', (_name, json) => {
    expect(faultScenarioSchema.safeParse(json).success).toBe(true);
  });

  it.each([
    ['an unknown kind', [{ device: 0, kind: 'meteor_strike', onset: '+1h', severity: 1 }], /kind/],
    ['severity above 1', [{ device: 0, kind: 'air_leak', onset: '+1h', severity: 1.5 }], /severity/],
    ['a bad onset', [{ device: 0, kind: 'air_leak', onset: 'tomorrow', severity: 1 }], /onset must be an ISO time/],
    ['a negative relative onset', [{ device: 0, kind: 'air_leak', onset: '-2h', severity: 1 }], /onset/],
    ['a sensor fault without metric', [{ device: 0, kind: 'sensor_dropout', onset: '+1h', severity: 1 }], /needs a metric/],
    ['a metric on a physical fault', [{ device: 0, kind: 'air_leak', onset: '+1h', severity: 1, metric: 'pressureBar' }], /takes no metric/],
    ['an unknown metric', [{ device: 0, kind: 'stuck_sensor', onset: '+1h', severity: 1, metric: 'oilLevel' }], /known telemetry metric/],
    ['a stuck counter', [{ device: 0, kind: 'stuck_sensor', onset: '+1h', severity: 1, metric: 'runningHours' }], /counters cannot be stuck/],
    ['an unknown field', [{ device: 0, kind: 'air_leak', onset: '+1h', severity: 1, size: 3 }], /size/],
    ['a device id with a slash', [{ device: 'a/b', kind: 'air_leak', onset: '+1h', severity: 1 }], /device/],
    ['not a list', { faults: { device: 0 } }, /faults/],
  ])('rejects %s', (_name, json, message) => {
    const r = faultScenarioSchema.safeParse(json);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  it('resolves devices by id or index and onsets against the start', () => {
    const entries = faultScenarioSchema.parse([
      { device: 'AF22-000002', kind: 'cooler_fouling', onset: '+3d', severity: 1 },
      { device: 0, kind: 'air_leak', onset: '2025-11-18T00:00:00Z', severity: 0.5, developHours: 12 },
      { device: 0, kind: 'sensor_dropout', onset: '+90m', severity: 1, metric: 'vibrationMmS' },
    ]);
    const faults = resolveFaults(entries, devices, START);
    expect(faults.get('AF22-000002')).toEqual([{ kind: 'cooler_fouling', onsetMs: START + 72 * HOUR, severity: 1 }]);
    expect(faults.get('AF37-000001')).toEqual([
      { kind: 'air_leak', onsetMs: Date.UTC(2025, 10, 18), severity: 0.5, developHours: 12 },
      { kind: 'sensor_dropout', onsetMs: START + 1.5 * HOUR, severity: 1, metric: 'vibrationMmS' },
    ]);
    expect(() => resolveFaults(faultScenarioSchema.parse([{ device: 7, kind: 'air_leak', onset: '+1h', severity: 1 }]), devices, START)).toThrow(
      /no device 7 among the 3 devices/,
    );
  });
});

describe('--fault flags', () => {
  it.each([
    ['0:cooler_fouling:+2h:1', { device: '0', kind: 'cooler_fouling', onset: '+2h', severity: 1 }],
    ['AF37-000001:bearing_wear:2025-11-20T06:00:00Z:0.8/96', { device: 'AF37-000001', kind: 'bearing_wear', onset: '2025-11-20T06:00:00Z', severity: 0.8, developHours: 96 }],
    ['1:stuck_sensor/pressureBar:+1d:1', { device: '1', kind: 'stuck_sensor', onset: '+1d', severity: 1, metric: 'pressureBar' }],
    ['2:network_outage:+6h:1/0/3', { device: '2', kind: 'network_outage', onset: '+6h', severity: 1, developHours: 0, durationHours: 3 }],
  ])('parses %s', (flag, entry) => {
    expect(parseFaultFlag(flag)).toEqual(entry);
  });

  it.each([
    ['0:cooler_fouling:+2h', /expected <device>:<kind>/],
    ['0:cooler:+2h:1', /kind/],
    ['0:air_leak:+2h:lots', /severity/],
    ['0:stuck_sensor:+2h:1', /needs a metric/],
  ])('rejects %s', (flag, message) => {
    expect(() => parseFaultFlag(flag)).toThrow(FaultSpecError);
    expect(() => parseFaultFlag(flag)).toThrow(message);
  });

  it('a digits-only device is an id when one matches, else an index', () => {
    const byId = resolveFaults([parseFaultFlag('12:air_leak:+1h:1')], devices, START);
    expect([...byId.keys()]).toEqual(['12']);
    const byIndex = resolveFaults([parseFaultFlag('1:air_leak:+1h:1')], devices, START);
    expect([...byIndex.keys()]).toEqual(['AF22-000002']);
  });

  it('the CLI collects repeated --fault flags, --scenario and --auto-reset, and reports bad ones', () => {
    const env = simEnvSchema.parse({});
    const c = resolveSimConfig(['--fault', '0:air_leak:+1h:1', '--fault', '1:cooler_fouling:+1d:1', '--scenario', '/tmp/s.json', '--auto-reset', '30'], env);
    expect(c.faults.map((f) => f.kind)).toEqual(['air_leak', 'cooler_fouling']);
    expect(c.scenarioFile).toBe('/tmp/s.json');
    expect(c.autoResetTripAfterMs).toBe(30 * 60_000);
    expect(resolveSimConfig([], env)).toMatchObject({ faults: [], scenarioFile: null, autoResetTripAfterMs: null });
    expect(() => resolveSimConfig(['--fault', '0:air_leak:soon:1'], env)).toThrow(SimConfigError);
    expect(() => resolveSimConfig(['--fault', '0:air_leak:soon:1'], env)).toThrow(/--fault "0:air_leak:soon:1": onset/);
  });
});
