import { describe, expect, it } from 'vitest';
import { allDevicesFilter, deviceTopic, parseDeviceTopic, telemetryTopic } from './topics.ts';
import { isValidDeviceId } from './device-id.ts';

describe('device ids', () => {
  it.each([
    ['AF37-000123', true],
    ['a', true],
    ['A_b-9', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['AF37+1', false],
    ['AF37#1', false],
    ['AF37/1', false],
    ['AF 37', false],
    ['AF37.1', false],
    ['Ä37', false],
  ])('%s → %s', (id, ok) => expect(isValidDeviceId(id)).toBe(ok));
});

describe('topics', () => {
  it('builds and parses every channel', () => {
    for (const channel of ['telemetry', 'status', 'events', 'acks', 'judgments'] as const) {
      expect(parseDeviceTopic(deviceTopic('AF37-1', channel))).toEqual({ deviceId: 'AF37-1', channel });
    }
    expect(telemetryTopic('D1')).toBe('v1/devices/D1/telemetry');
    expect(allDevicesFilter('status')).toBe('v1/devices/+/status');
  });

  it('refuses to build a topic for an invalid id', () => {
    expect(() => telemetryTopic('a/b')).toThrow();
    expect(() => telemetryTopic('+')).toThrow();
  });

  it.each(['v2/devices/D1/telemetry', 'v1/device/D1/telemetry', 'v1/devices/D1/telemetry/x', 'v1/devices/+/telemetry', 'v1/devices/D1/other', 'v1/devices//telemetry', '/v1/devices/D1/telemetry'])(
    'does not parse %s',
    (topic) => expect(parseDeviceTopic(topic)).toBeNull(),
  );
});
