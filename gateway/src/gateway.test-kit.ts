/**
 * Test support for broker tests: a real gateway on ephemeral ports with an in-memory credential
 * store, and real mqtt.js clients. Not exported from the package.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { createDeviceTokenHasher, createLogger, hashSecret } from '@airfleet/runtime';
import { createGateway, type Gateway, type GatewayLimits } from './broker.ts';
import type { Clock } from './clock.ts';
import { createMemoryCredentialStore, type MemoryCredentialStore } from './credential-store.ts';

export const SERVICE = { username: 'airfleet-platform', password: 'test-service-password-0123' };
/** DEVICE_TOKEN_PEPPER of test gateways; tests only, never a default anywhere else. */
export const TEST_DEVICE_TOKEN_PEPPER = 'test-only-device-token-pepper-0123456789';
export const testTokenHasher = createDeviceTokenHasher(TEST_DEVICE_TOKEN_PEPPER);
/** Cheap scrypt parameters for legacy hashes in tests; real legacy rows carry stronger ones. */
export const FAST_HASH = { N: 1024, r: 8, p: 1 };

export interface TestDevice {
  token: string;
  enabled?: boolean;
  /** Store a scrypt hash, as rows written before HMAC device hashes were. */
  legacyScrypt?: boolean;
}

export interface TestGateway {
  gateway: Gateway;
  store: MemoryCredentialStore;
  registry: Registry;
  mqttPort: number;
  httpPort: number;
  close(): Promise<void>;
}

export async function startTestGateway(options: {
  devices?: Record<string, TestDevice>;
  limits?: Partial<GatewayLimits>;
  clock?: Clock;
} = {}): Promise<TestGateway> {
  const store = createMemoryCredentialStore();
  for (const [id, device] of Object.entries(options.devices ?? {})) {
    const tokenHash = device.legacyScrypt ? await hashSecret(device.token, FAST_HASH) : testTokenHasher.hash(device.token);
    store.set(id, { tokenHash, enabled: device.enabled ?? true });
  }
  const registry = new Registry();
  const gateway = createGateway({
    credentials: store,
    service: SERVICE,
    deviceTokenPepper: TEST_DEVICE_TOKEN_PEPPER,
    limits: options.limits,
    log: createLogger('gateway-test', { level: 'silent' }),
    registry,
    clock: options.clock,
  });
  const ports = await gateway.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });
  return { gateway, store, registry, ...ports, close: () => gateway.close() };
}

export type ConnectResult = { returnCode: number; client: MqttClient } | { closedWithoutConnack: true };

/**
 * Connects once (no reconnect) and reports how the broker answered: the CONNACK return code, or
 * that the connection was closed before any CONNACK.
 */
export function tryConnect(port: number, options: IClientOptions): Promise<ConnectResult> {
  return new Promise((resolve) => {
    const client = mqtt.connect({
      host: '127.0.0.1',
      port,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...options,
    });
    client.once('connect', () => resolve({ returnCode: 0, client }));
    client.once('error', (err: Error & { code?: number }) => {
      if (typeof err.code === 'number') {
        client.end(true);
        resolve({ returnCode: err.code, client });
      }
    });
    client.once('close', () => resolve({ closedWithoutConnack: true }));
  });
}

export function returnCodeOf(result: ConnectResult): number | 'closed' {
  return 'returnCode' in result ? result.returnCode : 'closed';
}

/** Connects and fails the test unless the broker accepts (CONNACK 0). */
export async function connect(port: number, options: IClientOptions): Promise<MqttClient> {
  const result = await tryConnect(port, options);
  if (!('returnCode' in result) || result.returnCode !== 0) {
    throw new Error(`expected CONNACK 0 for ${options.clientId}, got ${JSON.stringify(returnCodeOf(result))}`);
  }
  return result.client;
}

export function connectDevice(port: number, id: string, token: string, extra: IClientOptions = {}): Promise<MqttClient> {
  return connect(port, { clientId: id, username: id, password: token, ...extra });
}

export function connectService(port: number, clientId = 'airfleet-ingest', extra: IClientOptions = {}): Promise<MqttClient> {
  return connect(port, { clientId, username: SERVICE.username, password: SERVICE.password, ...extra });
}

/**
 * Sends one SUBSCRIBE and resolves with the SUBACK's return codes in filter order (128 = failure,
 * §3.9.3). mqtt.js rejects when any code is a failure; the SUBACK still rides on the error.
 */
export async function subscribe(client: MqttClient, filters: string | Array<[filter: string, qos: 0 | 1]>, qos: 0 | 1 = 1): Promise<number[]> {
  const map = typeof filters === 'string' ? { [filters]: { qos } } : Object.fromEntries(filters.map(([f, q]) => [f, { qos: q }]));
  try {
    const granted = await client.subscribeAsync(map);
    return granted.map((g) => g.qos);
  } catch (err) {
    const suback = (err as { packet?: { cmd?: string; granted?: number[] } }).packet;
    if (suback?.cmd === 'suback' && suback.granted) return suback.granted;
    throw err;
  }
}

/** Resolves when the broker has closed the client's connection. */
export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.disconnected || !client.connected) {
      resolve();
      return;
    }
    client.once('close', () => resolve());
  });
}

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

/** Collects every message a client receives, from now on. */
export function collect(client: MqttClient): Received[] {
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) => received.push({ topic, payload: payload.toString('utf8'), retain: packet.retain }));
  return received;
}

/** Resolves with the first message matching the predicate. */
export function nextMessage(client: MqttClient, predicate: (m: Received) => boolean): Promise<Received> {
  return new Promise((resolve) => {
    const onMessage = (topic: string, payload: Buffer, packet: { retain: boolean }) => {
      const m = { topic, payload: payload.toString('utf8'), retain: packet.retain };
      if (!predicate(m)) return;
      client.off('message', onMessage);
      resolve(m);
    };
    client.on('message', onMessage);
  });
}

export async function endAll(...clients: Array<MqttClient | undefined>): Promise<void> {
  await Promise.all(clients.map((c) => c?.endAsync(true).catch(() => undefined)));
}

/** The value of one series in the registry, or 0 when absent. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val));
  return match?.value ?? 0;
}
