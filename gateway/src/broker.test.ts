import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgmentsTopic, statusTopic, telemetryTopic } from '@airfleet/contracts';
import {
  SERVICE,
  closed,
  collect,
  connect,
  connectDevice,
  connectService,
  endAll,
  metricValue,
  nextMessage,
  returnCodeOf,
  startTestGateway,
  subscribe,
  tryConnect,
  type TestGateway,
} from './gateway.test-kit.ts';

const A = 'AF37-000001';
const B = 'AF37-000002';
const DEVICES = {
  [A]: { token: 'token-a' },
  [B]: { token: 'token-b' },
  'AF37-000003': { token: 'token-c', enabled: false },
  // Registered (by mistake or malice) under the service username and a service client id.
  'airfleet-platform': { token: 'lookalike' },
  'airfleet-ingest': { token: 'lookalike' },
};

let gw: TestGateway;
beforeAll(async () => {
  // Generous connect budget: this file opens many connections from 127.0.0.1.
  gw = await startTestGateway({ devices: DEVICES, limits: { connectBurstPerIp: 10_000 } });
});
afterAll(async () => gw?.close());

describe('authentication (CONNACK return codes, MQTT 3.1.1 §3.2.2.3)', () => {
  it('accepts correct device credentials', async () => {
    const client = await connectDevice(gw.mqttPort, A, 'token-a');
    expect(client.connected).toBe(true);
    await endAll(client);
  });

  it.each([
    ['wrong token', 4, { clientId: A, username: A, password: 'token-b' }],
    ['missing password', 4, { clientId: A, username: A }],
    ['unknown device', 4, { clientId: 'AF37-999999', username: 'AF37-999999', password: 'token-a' }],
    ['disabled device', 5, { clientId: 'AF37-000003', username: 'AF37-000003', password: 'token-c' }],
    ['client id differs from username', 4, { clientId: B, username: A, password: 'token-a' }],
    ['id containing +', 2, { clientId: 'AF37+1', username: 'AF37+1', password: 'token-a' }],
    ['id containing #', 2, { clientId: 'AF37#1', username: 'AF37#1', password: 'token-a' }],
    ['id containing /', 2, { clientId: 'AF37/1', username: 'AF37/1', password: 'token-a' }],
    ['service with a wrong password', 4, { clientId: 'airfleet-ingest', username: SERVICE.username, password: 'not-the-service-password' }],
    ['device registered under the service username', 4, { clientId: 'airfleet-platform', username: 'airfleet-platform', password: 'lookalike' }],
  ])('%s → CONNACK %i', async (_name, expected, options) => {
    const result = await tryConnect(gw.mqttPort, options);
    expect(returnCodeOf(result)).toBe(expected);
  });

  it('answers MQTT 3.1 (protocol level 3) with CONNACK 1: protocol v1 is MQTT 3.1.1 only', async () => {
    const result = await tryConnect(gw.mqttPort, { clientId: A, username: A, password: 'token-a', protocolVersion: 3, protocolId: 'MQIsdp' });
    expect(returnCodeOf(result)).toBe(1);
  });

  it('accepts the service credential with any valid client id', async () => {
    const pub = await connectService(gw.mqttPort, 'airfleet-platform-pub');
    expect(pub.connected).toBe(true);
    await endAll(pub);
  });

  it('refuses a device login that would take over a service session', async () => {
    const ingest = await connectService(gw.mqttPort, 'airfleet-ingest', { clean: false });
    const result = await tryConnect(gw.mqttPort, { clientId: 'airfleet-ingest', username: 'airfleet-ingest', password: 'lookalike' });
    expect(returnCodeOf(result)).toBe(2);
    expect(ingest.connected).toBe(true);
    await endAll(ingest);
  });

  it('answers a reconnect with the same credential from the auth cache', async () => {
    const before = await metricValue(gw.registry, 'airfleet_gateway_auth_cache_hits_total');
    await endAll(await connectDevice(gw.mqttPort, B, 'token-b'));
    await endAll(await connectDevice(gw.mqttPort, B, 'token-b'));
    expect(await metricValue(gw.registry, 'airfleet_gateway_auth_cache_hits_total')).toBeGreaterThanOrEqual(before + 1);
  });
});

describe('publish ACL', () => {
  it("closes a device publishing on another device's topic, and nothing is routed", async () => {
    const service = await connectService(gw.mqttPort, 'svc-acl-1');
    expect(await subscribe(service, 'v1/devices/+/telemetry')).toEqual([1]);
    const received = collect(service);
    const deniedBefore = await metricValue(gw.registry, 'airfleet_gateway_publish_denied_total');

    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    const forgedRouted = nextMessage(service, (m) => m.payload === '{"forged":true}').then(() => {
      throw new Error('the forged message was routed');
    });
    a.publish(telemetryTopic(B), '{"forged":true}', { qos: 1 });
    await Promise.race([closed(a), forgedRouted]);

    // A marker sent after the refusal: once it arrives, the forged message would have too.
    const b = await connectDevice(gw.mqttPort, B, 'token-b');
    await b.publishAsync(telemetryTopic(B), '{"marker":true}', { qos: 1 });
    await nextMessage(service, (m) => m.payload === '{"marker":true}');

    expect(received.map((m) => m.payload)).toEqual(['{"marker":true}']);
    expect(await metricValue(gw.registry, 'airfleet_gateway_publish_denied_total')).toBe(deniedBefore + 1);
    await endAll(a, b, service);
  });

  it('routes a device publishing its own telemetry to the service', async () => {
    const service = await connectService(gw.mqttPort, 'svc-acl-2');
    await subscribe(service, 'v1/devices/+/telemetry');
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    const arrived = nextMessage(service, (m) => m.topic === telemetryTopic(A));
    await a.publishAsync(telemetryTopic(A), '{"seq":1}', { qos: 1 });
    expect((await arrived).payload).toBe('{"seq":1}');
    await endAll(a, service);
  });

  it.each([
    ['$SYS topic', (id: string) => `$SYS/${id}/heartbeat`],
    ["device's own judgments (downlink only)", (id: string) => judgmentsTopic(id)],
    ['a topic deeper than maxTopicLevels', (id: string) => `${telemetryTopic(id)}/a/b/c/d/e/f/g/h`],
  ])('closes a device publishing to %s', async (_name, topicFor) => {
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    a.publish(topicFor(A), 'x', { qos: 1 });
    await closed(a);
    expect(a.connected).toBe(false);
  });

  it('closes the service when it publishes to $SYS or impersonates a device', async () => {
    for (const topic of ['$SYS/x/new/clients', telemetryTopic(A)]) {
      const service = await connectService(gw.mqttPort, 'svc-acl-3');
      service.publish(topic, 'x', { qos: 1 });
      await closed(service);
      expect(service.connected).toBe(false);
    }
  });

  it('keeps a retained status for a service that subscribes later', async () => {
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    await a.publishAsync(statusTopic(A), '{"online":true}', { qos: 1, retain: true });
    const service = await connectService(gw.mqttPort, 'svc-acl-4');
    const arrived = nextMessage(service, (m) => m.topic === statusTopic(A));
    await subscribe(service, 'v1/devices/+/status');
    expect(await arrived).toMatchObject({ payload: '{"online":true}', retain: true });
    await endAll(a, service);
  });

  it("publishes a device's own last will, and never a will aimed at another device", async () => {
    const service = await connectService(gw.mqttPort, 'svc-acl-5');
    await subscribe(service, 'v1/devices/+/status');
    const received = collect(service);
    const forger = await connectDevice(gw.mqttPort, B, 'token-b', { will: { topic: statusTopic(A), payload: Buffer.from('{"forged":true}'), qos: 1, retain: false } });
    const honest = await connectDevice(gw.mqttPort, A, 'token-a', { will: { topic: statusTopic(A), payload: Buffer.from('{"online":false}'), qos: 1, retain: false } });
    // Unexpected disconnects (no DISCONNECT packet) trigger wills (§3.1.2.5); forger goes first.
    const forgerGone = new Promise<void>((resolve) => {
      gw.gateway.broker.on('clientDisconnect', (client) => client.id === B && resolve());
    });
    (forger.stream as net.Socket).destroy();
    await forgerGone; // the broker has dealt with the forger's will before the honest one goes
    (honest.stream as net.Socket).destroy();
    await nextMessage(service, (m) => m.payload === '{"online":false}');
    expect(received.map((m) => m.payload).filter((p) => p !== '{"online":true}')).toEqual(['{"online":false}']);
    await endAll(service);
  });
});

describe('subscribe ACL', () => {
  it("answers SUBACK 128 for another device's judgments and never delivers them", async () => {
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    const b = await connectDevice(gw.mqttPort, B, 'token-b');
    expect(await subscribe(a, judgmentsTopic(B))).toEqual([128]);
    expect(await subscribe(a, judgmentsTopic(A))).toEqual([1]);
    expect(await subscribe(b, judgmentsTopic(B))).toEqual([1]);
    const toA = collect(a);
    const toB = nextMessage(b, (m) => m.topic === judgmentsTopic(B));

    const service = await connectService(gw.mqttPort, 'airfleet-platform-pub');
    await service.publishAsync(judgmentsTopic(B), '{"for":"B"}', { qos: 1 });
    await service.publishAsync(judgmentsTopic(A), '{"for":"A"}', { qos: 1 });
    await nextMessage(a, (m) => m.payload === '{"for":"A"}');

    expect((await toB).payload).toBe('{"for":"B"}');
    expect(toA.map((m) => m.payload)).toEqual(['{"for":"A"}']);
    expect(a.connected).toBe(true); // a refused subscription does not cost the connection
    await endAll(a, b, service);
  });

  it('grants each filter of one SUBSCRIBE separately and refuses wildcards', async () => {
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    const granted = await subscribe(a, [
      [judgmentsTopic(A), 1],
      ['v1/devices/+/judgments', 1],
      ['#', 0],
      ['$SYS/#', 0],
    ]);
    expect(granted).toEqual([1, 128, 128, 128]);
    await endAll(a);
  });

  it('refuses $SYS and judgments filters to the service', async () => {
    const service = await connectService(gw.mqttPort, 'svc-sub-1');
    expect(await subscribe(service, '$SYS/#')).toEqual([128]);
    expect(await subscribe(service, 'v1/devices/+/judgments')).toEqual([128]);
    expect(await subscribe(service, 'v1/devices/+/acks')).toEqual([1]);
    await endAll(service);
  });

  it('counts refused subscriptions', async () => {
    const before = await metricValue(gw.registry, 'airfleet_gateway_subscribe_denied_total');
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    await subscribe(a, judgmentsTopic(B));
    expect(await metricValue(gw.registry, 'airfleet_gateway_subscribe_denied_total')).toBe(before + 1);
    await endAll(a);
  });
});

describe('payload limits', () => {
  it('forwards a payload just above the 64 KiB protocol limit but below MAX_PACKET_BYTES (ingest dead-letters it)', async () => {
    const service = await connectService(gw.mqttPort, 'svc-size-1');
    await subscribe(service, 'v1/devices/+/telemetry');
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    const payload = 'x'.repeat(64 * 1024 + 1);
    const arrived = nextMessage(service, (m) => m.topic === telemetryTopic(A));
    await a.publishAsync(telemetryTopic(A), payload, { qos: 1 });
    expect((await arrived).payload.length).toBe(payload.length);
    await endAll(a, service);
  });
});

describe('service identity', () => {
  it('connects with username and password only; unknown usernames never become the service', async () => {
    const result = await tryConnect(gw.mqttPort, { clientId: 'airfleet-x', username: 'AIRFLEET-PLATFORM', password: SERVICE.password });
    expect(returnCodeOf(result)).toBe(4);
    const ok = await connect(gw.mqttPort, { clientId: 'airfleet-x', username: SERVICE.username, password: SERVICE.password });
    await endAll(ok);
  });
});
