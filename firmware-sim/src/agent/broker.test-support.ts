import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

/**
 * A bare Aedes broker on an ephemeral port for agent tests (the gateway is not under test
 * here), with the ability to drop every connection and stop listening, then come back on the
 * same port: a real "broker unreachable" for store-and-forward.
 */
export interface TestBroker {
  url: string;
  port: number;
  aedes: Aedes;
  /** Every PUBLISH received from a client, in arrival order (what the devices really sent). */
  received: Received[];
  /** Stops accepting and destroys live sockets (no DISCONNECT: devices see a dead link). */
  goDown(): Promise<void>;
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

export interface TestBrokerOptions {
  /** While this returns true for a topic, PUBLISHes to it are held: no PUBACK, not routed. */
  hold?: (topic: string) => boolean;
}

export async function startTestBroker(opts: TestBrokerOptions = {}): Promise<TestBroker> {
  const received: Received[] = [];
  const aedes = await Aedes.createBroker({
    // Aedes acks QoS 1 only after authorizePublish calls back, so never calling back withholds the PUBACK.
    // Recording here, before the PUBACK is written, means a test that waits for the device to see its
    // PUBACK always finds the message in `received` (Aedes' 'publish' event can trail the PUBACK).
    authorizePublish: (client, packet, callback) => {
      if (opts.hold?.(packet.topic)) return;
      if (client) received.push({ topic: packet.topic, payload: Buffer.from(packet.payload).toString('utf8'), retain: packet.retain });
      callback(null);
    },
  });
  const sockets = new Set<net.Socket>();
  let server = createServer();
  function createServer(): net.Server {
    const s = net.createServer({ noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      aedes.handle(socket);
    });
    return s;
  }
  await listen(server, 0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    aedes,
    received,
    async goDown() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async comeBack() {
      server = createServer();
      await listen(server, port);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

let observers = 0;

/**
 * An observer client recording every message on the given filters. It keeps a persistent
 * session, so messages published while it is cut off with the broker are queued for it.
 */
export async function observe(url: string, filters: string[]): Promise<{ client: MqttClient; messages: Received[] }> {
  observers += 1;
  const clientId = `observer-${process.pid}-${observers}`;
  const client = await mqtt.connectAsync(url, { clientId, protocolVersion: 4, clean: false, reconnectPeriod: 50 });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain }));
  await client.subscribeAsync(filters, { qos: 1 });
  return { client, messages };
}

/** Polls until the predicate holds (event-driven code under test; no fixed sleeps). */
export async function until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
