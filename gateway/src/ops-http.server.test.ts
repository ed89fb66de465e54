import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { createLogger } from '@airfleet/runtime';
import { connectDevice, endAll, startTestGateway, tryConnect, type TestGateway } from './gateway.test-kit.ts';
import { createOpsHttpServer } from './ops-http.server.ts';

/** One sample from Prometheus text exposition, e.g. `name{label="x"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('ops HTTP of a running gateway', () => {
  let gw: TestGateway;
  const base = () => `http://127.0.0.1:${gw.httpPort}`;
  beforeAll(async () => {
    gw = await startTestGateway({ devices: { 'AF37-000001': { token: 'token-a' } } });
  });
  afterAll(async () => gw?.close());

  it('answers /healthz with 200 {"status":"ok"} while the broker listens', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves Prometheus text with gateway and default process metrics', async () => {
    const res = await fetch(`${base()}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of [
      'airfleet_gateway_connected_clients',
      'airfleet_gateway_connections_accepted_total',
      'airfleet_gateway_connects_refused_total',
      'airfleet_gateway_connects_rate_limited_total',
      'airfleet_gateway_auth_cache_hits_total',
      'airfleet_gateway_auth_cache_misses_total',
      'airfleet_gateway_publish_denied_total',
      'airfleet_gateway_subscribe_denied_total',
      'airfleet_gateway_messages_in_total',
      'airfleet_gateway_bytes_in_total',
      'airfleet_gateway_packets_too_large_total',
      'process_cpu_user_seconds_total',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
  });

  it('moves the counters: refused connects by return code, connected clients, messages in by channel', async () => {
    const scrape = async () => (await fetch(`${base()}/metrics`)).text();
    const before = await scrape();
    await tryConnect(gw.mqttPort, { clientId: 'AF37-000001', username: 'AF37-000001', password: 'wrong' });
    await tryConnect(gw.mqttPort, { clientId: 'AF37+1', username: 'AF37+1', password: 'x' });
    const device = await connectDevice(gw.mqttPort, 'AF37-000001', 'token-a');
    await device.publishAsync('v1/devices/AF37-000001/telemetry', '{}', { qos: 1 });
    await device.publishAsync('v1/devices/AF37-000001/events', '{}', { qos: 1 });
    const after = await scrape();

    const delta = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
    expect(delta('airfleet_gateway_connects_refused_total{return_code="4"}')).toBe(1);
    expect(delta('airfleet_gateway_connects_refused_total{return_code="2"}')).toBe(1);
    expect(delta('airfleet_gateway_connects_refused_total{return_code="5"}')).toBe(0);
    expect(delta('airfleet_gateway_connections_accepted_total')).toBe(3);
    expect(delta('airfleet_gateway_messages_in_total{channel="telemetry"}')).toBe(1);
    expect(delta('airfleet_gateway_messages_in_total{channel="events"}')).toBe(1);
    expect(delta('airfleet_gateway_bytes_in_total')).toBeGreaterThan(0);
    expect(sample(after, 'airfleet_gateway_connected_clients')).toBe(1);
    await endAll(device);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await fetch(`${base()}/nope`)).status).toBe(404);
    expect((await fetch(`${base()}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('ops HTTP server', () => {
  it('answers /healthz with 503 when the broker is not listening', async () => {
    const registry = new Registry();
    new Counter({ name: 'x_total', help: 'x', registers: [registry] });
    const server = createOpsHttpServer({ registry, isHealthy: () => false, log: createLogger('t', { level: 'silent' }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
