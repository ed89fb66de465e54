import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { telemetryTopic } from '@airfleet/contracts';
import {
  closed,
  collect,
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
const DEVICES = { [A]: { token: 'token-a' }, [B]: { token: 'token-b' } };

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('MAX_PACKET_BYTES', () => {
  it('closes the connection on a packet above the cap, routes nothing of it, and counts it', async () => {
    gw = await startTestGateway({ devices: DEVICES, limits: { maxPacketBytes: 4096 } });
    const service = await connectService(gw.mqttPort);
    await subscribe(service, 'v1/devices/+/telemetry');
    const received = collect(service);

    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    // Arrives in one write: the guard must stop it before Aedes' parser sees the whole packet.
    a.publish(telemetryTopic(A), 'x'.repeat(5000), { qos: 1 });
    await closed(a);

    const b = await connectDevice(gw.mqttPort, B, 'token-b');
    await b.publishAsync(telemetryTopic(B), 'y'.repeat(4000), { qos: 1 }); // under the cap
    await nextMessage(service, (m) => m.topic === telemetryTopic(B));

    expect(received.map((m) => m.topic)).toEqual([telemetryTopic(B)]);
    expect(await metricValue(gw.registry, 'airfleet_gateway_packets_too_large_total')).toBe(1);
    await endAll(b, service);
  });

  it('refuses an oversize packet from its header alone, without waiting for the body', async () => {
    gw = await startTestGateway({ devices: DEVICES, limits: { maxPacketBytes: 4096 } });
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    const socket = a.stream as net.Socket;
    // PUBLISH fixed header announcing 100 MB (Remaining Length 0xBE 0xE1 0xF5 0x2F = 100,000,062)
    // and then nothing more: a parser would wait for the body, the guard closes at once.
    socket.write(Buffer.from([0x30, 0xbe, 0xe1, 0xf5, 0x2f]));
    await closed(a);
    expect(await metricValue(gw.registry, 'airfleet_gateway_packets_too_large_total')).toBe(1);
  });
});

describe('per-address connect rate limit (preConnect)', () => {
  it('refuses a burst beyond the limit from one address, then admits again as tokens refill', async () => {
    let now = 5_000_000;
    gw = await startTestGateway({
      devices: DEVICES,
      limits: { connectBurstPerIp: 3, connectRatePerIpPerSec: 1 },
      clock: { now: () => now },
    });
    const accepted = [];
    for (let i = 0; i < 3; i++) accepted.push(await connectDevice(gw.mqttPort, A, 'token-a'));
    const refused = await tryConnect(gw.mqttPort, { clientId: A, username: A, password: 'token-a' });
    // No CONNACK at all: mqtt.js gives up after a refusing CONNACK but retries a dropped connection.
    expect(returnCodeOf(refused)).toBe('closed');
    expect(await metricValue(gw.registry, 'airfleet_gateway_connects_rate_limited_total')).toBe(1);

    now += 1000; // one token back
    const again = await tryConnect(gw.mqttPort, { clientId: B, username: B, password: 'token-b' });
    expect(returnCodeOf(again)).toBe(0);
    expect(returnCodeOf(await tryConnect(gw.mqttPort, { clientId: B, username: B, password: 'token-b' }))).toBe('closed');
    await endAll(...accepted, 'client' in again ? again.client : undefined);
  });

  it('spends tokens on failed logins too, so credential guessing is throttled', async () => {
    gw = await startTestGateway({
      devices: DEVICES,
      limits: { connectBurstPerIp: 2, connectRatePerIpPerSec: 1 },
      clock: { now: () => 0 },
    });
    expect(returnCodeOf(await tryConnect(gw.mqttPort, { clientId: A, username: A, password: 'guess-1' }))).toBe(4);
    expect(returnCodeOf(await tryConnect(gw.mqttPort, { clientId: A, username: A, password: 'guess-2' }))).toBe(4);
    expect(returnCodeOf(await tryConnect(gw.mqttPort, { clientId: A, username: A, password: 'token-a' }))).toBe('closed');
  });
});

describe('close', () => {
  it('disconnects clients, stops listening and can be called twice', async () => {
    gw = await startTestGateway({ devices: DEVICES });
    const a = await connectDevice(gw.mqttPort, A, 'token-a');
    const port = gw.mqttPort;
    await Promise.all([gw.close(), gw.close()]);
    await closed(a);
    expect(a.connected).toBe(false);
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('publish rate per device', () => {
  it('disconnects a device above its rate, counts it, and leaves other devices alone', async () => {
    gw = await startTestGateway({ devices: DEVICES, limits: { publishRatePerDevicePerSec: 1, publishBurstPerDevice: 5 } });
    const a = await connectDevice(gw.mqttPort, A, 'token-a', { reconnectPeriod: 0 });
    const b = await connectDevice(gw.mqttPort, B, 'token-b', { reconnectPeriod: 0 });
    // Five fit the burst; the sixth, sent at once, is over the rate.
    for (let i = 0; i < 5; i += 1) await a.publishAsync(telemetryTopic(A), `{"n":${i}}`, { qos: 1 });
    a.publish(telemetryTopic(A), '{"n":5}', { qos: 1 });
    await closed(a);
    expect(await metricValue(gw.registry, 'airfleet_gateway_publish_rate_limited_total')).toBe(1);
    await b.publishAsync(telemetryTopic(B), '{"n":0}', { qos: 1 });
    await endAll(b);
  });
});

describe('QoS 2', () => {
  it('is refused: protocol v1 uses QoS 0 and 1 only', async () => {
    gw = await startTestGateway({ devices: DEVICES });
    const a = await connectDevice(gw.mqttPort, A, 'token-a', { reconnectPeriod: 0 });
    const before = await metricValue(gw.registry, 'airfleet_gateway_publish_denied_total');
    a.publish(telemetryTopic(A), '{}', { qos: 2 });
    await closed(a);
    expect(await metricValue(gw.registry, 'airfleet_gateway_publish_denied_total')).toBe(before + 1);
  });
});
