import net from 'node:net';
import { MqttClient } from 'mqtt';
import { judgmentsTopic, statusTopic } from '@airfleet/contracts';
import { benchDeviceId, benchToken } from './bench-devices.ts';

/**
 * A load-generator process of the connect benchmark (forked by connect.bench.ts, driven over
 * IPC). It opens real MQTT connections the way the firmware does — clean session, retained last
 * will, then SUBSCRIBE to the device's judgments topic — with a bounded number in flight, from
 * its own loopback source address, and keeps them open until told to disconnect.
 */
export interface LoadgenStart {
  type: 'start';
  host: string;
  port: number;
  /** 127.0.0.x: each generator connects from its own address (and its own ephemeral ports). */
  localAddress: string;
  prefix: string;
  from: number;
  to: number;
  tokenSeed: string;
  concurrency: number;
}

export type LoadgenReport =
  | { type: 'ready' }
  | { type: 'progress'; connected: number }
  | { type: 'connected'; connected: number; failed: number; retries: number; errors: Record<string, number> }
  | { type: 'disconnected' };

const MAX_ATTEMPTS = 5;
const send = (report: LoadgenReport): void => void process.send?.(report);
const clients: MqttClient[] = [];

function connectOnce(start: LoadgenStart, deviceId: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = new MqttClient(() => net.connect({ host: start.host, port: start.port, localAddress: start.localAddress, noDelay: true }), {
      protocolVersion: 4,
      clientId: deviceId,
      username: deviceId,
      password: benchToken(start.tokenSeed, deviceId),
      clean: true,
      keepalive: 120,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      resubscribe: false,
      will: { topic: statusTopic(deviceId), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      client.end(true);
      reject(err);
    };
    client.once('connect', () => {
      client.subscribeAsync(judgmentsTopic(deviceId), { qos: 1 }).then(
        () => {
          settled = true;
          resolve(client);
        },
        (err: Error) => fail(err),
      );
    });
    client.once('error', fail);
    client.once('close', () => fail(new Error('closed before CONNACK')));
  });
}

async function run(start: LoadgenStart): Promise<void> {
  let next = start.from;
  let failed = 0;
  let retries = 0;
  const errors: Record<string, number> = {};
  const progress = setInterval(() => send({ type: 'progress', connected: clients.length }), 250);

  async function worker(): Promise<void> {
    while (next < start.to) {
      const deviceId = benchDeviceId(start.prefix, next++);
      for (let attempt = 1; ; attempt += 1) {
        try {
          clients.push(await connectOnce(start, deviceId));
          break;
        } catch (err) {
          const key = (err as { code?: number | string }).code !== undefined ? `code ${(err as { code: number | string }).code}` : (err as Error).message;
          errors[key] = (errors[key] ?? 0) + 1;
          if (attempt >= MAX_ATTEMPTS) {
            failed += 1;
            break;
          }
          retries += 1;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    }
  }

  await Promise.all(Array.from({ length: start.concurrency }, worker));
  clearInterval(progress);
  send({ type: 'connected', connected: clients.length, failed, retries, errors });
}

async function disconnectAll(): Promise<void> {
  // A DISCONNECT packet first, so the broker drops the wills instead of publishing 10k of them.
  for (let i = 0; i < clients.length; i += 500) {
    await Promise.all(clients.slice(i, i + 500).map((c) => c.endAsync(false).catch(() => undefined)));
  }
  send({ type: 'disconnected' });
}

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'start') void run(msg as LoadgenStart);
  if (msg.type === 'disconnect') void disconnectAll().then(() => process.disconnect());
});
// The parent went away: do not linger holding thousands of sockets.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
