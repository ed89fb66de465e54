import { describe, expect, it } from 'vitest';
import { canPublish, canReceive, canSubscribe, type Identity } from './acl.ts';

const A: Identity = { kind: 'device', deviceId: 'AF37-000123' };
const B: Identity = { kind: 'device', deviceId: 'AF22_000777' };
const SERVICE: Identity = { kind: 'service', username: 'airfleet-platform' };
// A device whose id looks like the service username is still only a device.
const LOOKALIKE: Identity = { kind: 'device', deviceId: 'airfleet-platform' };

type Row = [name: string, identity: Identity, topic: string, allowed: boolean];

const publishCases: Row[] = [
  ['device → own telemetry', A, 'v1/devices/AF37-000123/telemetry', true],
  ['device → own status (retained birth/will)', A, 'v1/devices/AF37-000123/status', true],
  ['device → own events', A, 'v1/devices/AF37-000123/events', true],
  ['device → own acks', A, 'v1/devices/AF37-000123/acks', true],
  ['device → own judgments (downlink only)', A, 'v1/devices/AF37-000123/judgments', false],
  ['device → other device telemetry', A, 'v1/devices/AF22_000777/telemetry', false],
  ['device → other device status', A, 'v1/devices/AF22_000777/status', false],
  ['other device → its own telemetry', B, 'v1/devices/AF22_000777/telemetry', true],
  ['device → id differing only in case', A, 'v1/devices/af37-000123/telemetry', false],
  ['device → id prefix of own', A, 'v1/devices/AF37-00012/telemetry', false],
  ['device → unknown channel', A, 'v1/devices/AF37-000123/config', false],
  ['device → wrong version prefix', A, 'v2/devices/AF37-000123/telemetry', false],
  ['device → upper-case version prefix', A, 'V1/devices/AF37-000123/telemetry', false],
  ['device → wrong second level', A, 'v1/device/AF37-000123/telemetry', false],
  ['device → trailing slash', A, 'v1/devices/AF37-000123/telemetry/', false],
  ['device → leading slash', A, '/v1/devices/AF37-000123/telemetry', false],
  ['device → extra level', A, 'v1/devices/AF37-000123/telemetry/x', false],
  ['device → empty device level', A, 'v1/devices//telemetry', false],
  ['device → empty level inside', A, 'v1//AF37-000123/telemetry', false],
  ['device → empty topic', A, '', false],
  ['device → $SYS', A, '$SYS/broker/heartbeat', false],
  ['device → $ prefixed own-looking topic', A, '$v1/devices/AF37-000123/telemetry', false],
  ['device → + wildcard in id', A, 'v1/devices/+/telemetry', false],
  ['device → # wildcard', A, 'v1/devices/AF37-000123/#', false],
  ['device → whitespace around topic', A, ' v1/devices/AF37-000123/telemetry', false],
  ['lookalike device → judgments of others', LOOKALIKE, 'v1/devices/AF37-000123/judgments', false],
  ['lookalike device → own telemetry', LOOKALIKE, 'v1/devices/airfleet-platform/telemetry', true],
  ['device with invalid id → anything', { kind: 'device', deviceId: 'a/b' }, 'v1/devices/a/b/telemetry', false],
  ['service → judgments of a device', SERVICE, 'v1/devices/AF37-000123/judgments', true],
  ['service → judgments of another device', SERVICE, 'v1/devices/AF22_000777/judgments', true],
  ['service → judgments with wildcard', SERVICE, 'v1/devices/+/judgments', false],
  ['service → judgments with invalid id', SERVICE, 'v1/devices/a.b/judgments', false],
  ['service → judgments with 65-char id', SERVICE, `v1/devices/${'x'.repeat(65)}/judgments`, false],
  ['service → device telemetry (impersonation)', SERVICE, 'v1/devices/AF37-000123/telemetry', false],
  ['service → device status', SERVICE, 'v1/devices/AF37-000123/status', false],
  ['service → wrong version', SERVICE, 'v2/devices/AF37-000123/judgments', false],
  ['service → trailing slash', SERVICE, 'v1/devices/AF37-000123/judgments/', false],
  ['service → $SYS', SERVICE, '$SYS/x/new/clients', false],
  ['service → arbitrary topic', SERVICE, 'anything', false],
];

const subscribeCases: Row[] = [
  ['device ← own judgments', A, 'v1/devices/AF37-000123/judgments', true],
  ['device ← other device judgments', A, 'v1/devices/AF22_000777/judgments', false],
  ['device ← all judgments (+)', A, 'v1/devices/+/judgments', false],
  ['device ← own subtree (#)', A, 'v1/devices/AF37-000123/#', false],
  ['device ← own channel wildcard', A, 'v1/devices/AF37-000123/+', false],
  ['device ← everything (#)', A, '#', false],
  ['device ← +/+/+/+', A, '+/+/+/+', false],
  ['device ← version wildcard', A, '+/devices/AF37-000123/judgments', false],
  ['device ← own telemetry', A, 'v1/devices/AF37-000123/telemetry', false],
  ['device ← other telemetry', A, 'v1/devices/AF22_000777/telemetry', false],
  ['device ← trailing slash', A, 'v1/devices/AF37-000123/judgments/', false],
  ['device ← wrong version', A, 'v2/devices/AF37-000123/judgments', false],
  ['device ← $SYS/#', A, '$SYS/#', false],
  ['device ← empty filter', A, '', false],
  ['lookalike device ← service filter', LOOKALIKE, 'v1/devices/+/telemetry', false],
  ['service ← all telemetry', SERVICE, 'v1/devices/+/telemetry', true],
  ['service ← all status', SERVICE, 'v1/devices/+/status', true],
  ['service ← all events', SERVICE, 'v1/devices/+/events', true],
  ['service ← all acks', SERVICE, 'v1/devices/+/acks', true],
  ['service ← one device telemetry', SERVICE, 'v1/devices/AF37-000123/telemetry', true],
  ['service ← one device acks', SERVICE, 'v1/devices/AF37-000123/acks', true],
  ['service ← all judgments', SERVICE, 'v1/devices/+/judgments', false],
  ['service ← one device judgments', SERVICE, 'v1/devices/AF37-000123/judgments', false],
  ['service ← everything (#)', SERVICE, '#', false],
  ['service ← v1/#', SERVICE, 'v1/#', false],
  ['service ← v1/devices/#', SERVICE, 'v1/devices/#', false],
  ['service ← channel wildcard', SERVICE, 'v1/devices/+/+', false],
  ['service ← device subtree', SERVICE, 'v1/devices/AF37-000123/#', false],
  ['service ← # after telemetry', SERVICE, 'v1/devices/+/telemetry/#', false],
  ['service ← wrong version', SERVICE, 'v2/devices/+/telemetry', false],
  ['service ← version wildcard', SERVICE, '+/devices/+/telemetry', false],
  ['service ← trailing slash', SERVICE, 'v1/devices/+/telemetry/', false],
  ['service ← empty device level', SERVICE, 'v1/devices//telemetry', false],
  ['service ← invalid device id', SERVICE, 'v1/devices/a b/telemetry', false],
  ['service ← $SYS/#', SERVICE, '$SYS/#', false],
  ['service ← $SYS heartbeat', SERVICE, '$SYS/+/heartbeat', false],
];

describe('canPublish', () => {
  it.each(publishCases)('%s', (_name, identity, topic, allowed) => {
    expect(canPublish(identity, topic)).toBe(allowed);
  });
});

describe('canSubscribe', () => {
  it.each(subscribeCases)('%s', (_name, identity, filter, allowed) => {
    expect(canSubscribe(identity, filter)).toBe(allowed);
  });
});

describe('canReceive (authorizeForward)', () => {
  it.each<Row>([
    ['device receives own judgment', A, 'v1/devices/AF37-000123/judgments', true],
    ['device does not receive another device judgment', A, 'v1/devices/AF22_000777/judgments', false],
    ['device does not receive telemetry', A, 'v1/devices/AF22_000777/telemetry', false],
    ['service receives uplink of any device', SERVICE, 'v1/devices/AF22_000777/status', true],
    ['service does not receive judgments', SERVICE, 'v1/devices/AF22_000777/judgments', false],
    ['nobody receives $SYS', SERVICE, '$SYS/x/heartbeat', false],
  ])('%s', (_name, identity, topic, allowed) => {
    expect(canReceive(identity, topic)).toBe(allowed);
  });
});
