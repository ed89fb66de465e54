import type { EventEmitter } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import type { Registry } from 'prom-client';
import { PROTOCOL_LIMITS } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import { channelOf, createBrokerHooks, remoteAddressOf, type UplinkSink } from './broker-hooks.ts';
import { systemClock, type Clock } from './clock.ts';
import { createConnectAuthenticator, type ServiceCredential } from './connect-auth.ts';
import { createConnectRateLimiter } from './connect-rate.limiter.ts';
import type { CredentialStore } from './credential-store.ts';
import { createDeviceAuthenticator } from './device-auth.ts';
import { createGatewayMetrics, type GatewayMetrics } from './gateway.metrics.ts';
import { createOpsHttpServer } from './ops-http.server.ts';
import { createPacketSizeGuard } from './packet-size.guard.ts';

export interface GatewayLimits {
  /** Largest MQTT packet (Remaining Length) accepted on the wire; larger closes the connection. */
  maxPacketBytes: number;
  /** Sustained PUBLISHes per second one device may send, and its burst (a store-and-forward replay). */
  publishRatePerDevicePerSec: number;
  publishBurstPerDevice: number;
  /** Protocol v1 topics have 4 levels; anything much deeper is refused by Aedes before routing. */
  maxTopicLevels: number;
  connectRatePerIpPerSec: number;
  connectBurstPerIp: number;
  /** A subscriber whose socket stays full this long is disconnected instead of stalling delivery. */
  drainTimeoutMs: number;
  /** A TCP connection that sends no CONNECT within this time is closed (slowloris). */
  connectTimeoutMs: number;
  authCacheTtlMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  // The protocol's 64 KiB payload plus room for the topic and the packet header: a packet that
  // cannot be a valid uplink is refused before it is buffered; 64 KiB + 1 still reaches the
  // ingest and is dead-lettered with its reason (payload_too_large).
  maxPacketBytes: PROTOCOL_LIMITS.maxPayloadBytes + 1024,
  publishRatePerDevicePerSec: 20,
  publishBurstPerDevice: 200,
  maxTopicLevels: 8,
  connectRatePerIpPerSec: 50,
  connectBurstPerIp: 200,
  drainTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  authCacheTtlMs: 30_000,
};

export interface GatewayDeps {
  credentials: CredentialStore;
  service: ServiceCredential;
  /** DEVICE_TOKEN_PEPPER: HMAC key of the stored device token hashes (same value as the platform's). */
  deviceTokenPepper: string;
  limits?: Partial<GatewayLimits>;
  log: Logger;
  /** The gateway's own registry (never prom-client's global one), served on /metrics. */
  registry: Registry;
  clock?: Clock;
  /** The ingest pipeline (the gateway's main composes it); absent, uplinks are acknowledged on receipt. */
  uplinks?: UplinkSink;
  /** Announces a device's connection to the other nodes before its CONNACK (cross-node takeover). */
  announce?: (deviceId: string) => Promise<void>;
}

export interface ListenOptions {
  mqttPort: number;
  httpPort: number;
  host?: string;
}

export interface Gateway {
  readonly broker: Aedes;
  readonly metrics: GatewayMetrics;
  /** QoS 1 message to a device connected to this node; false when it is not connected here. */
  deliver(deviceId: string, topic: string, payload: string): Promise<boolean>;
  /** Whether this device has a live connection on this node. */
  isConnectedHere(deviceId: string): boolean;
  /**
   * The device's credential changed: forget its cached check and close its connection here, so
   * a rotated token or a disabled device stops within seconds. Its queued messages are dropped
   * with the connection (never acknowledged).
   */
  revoke(deviceId: string): void;
  /**
   * Closes this node's connection of `deviceId` the way Aedes' own takeover closes the older of
   * two connections (MQTT 3.1.1 §3.1.4), for a newer connection on another node. Its last will is
   * not published: the device is online there, and an "offline" committed after its birth
   * message on the other node would be wrong. False when the device is not connected here.
   */
  takeOver(deviceId: string): boolean;
  /** Starts the broker, the MQTT listener and the ops HTTP listener; port 0 picks a free port. */
  listen(options: ListenOptions): Promise<{ mqttPort: number; httpPort: number }>;
  /** Stops accepting, disconnects every client, closes both listeners and the broker. */
  close(): Promise<void>;
}

function listenOn(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

export function createGateway(deps: GatewayDeps): Gateway {
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const clock = deps.clock ?? systemClock;
  const log = deps.log;

  // The gauge reads the broker lazily (on scrape); Aedes sets connectedClients in listen().
  const metrics = createGatewayMetrics(deps.registry, () => aedes.connectedClients ?? 0);

  const serviceClientIds = new Set<string>();
  const devices = createDeviceAuthenticator({
    store: deps.credentials,
    clock,
    ttlMs: limits.authCacheTtlMs,
    pepper: deps.deviceTokenPepper,
    onCacheHit: () => metrics.authCacheHits.inc(),
    onCacheMiss: () => metrics.authCacheMisses.inc(),
    onBackedOff: () => metrics.connectsBackedOff.inc(),
    onHashUpgraded: () => metrics.deviceHashesUpgraded.inc(),
    onHashUpgradeFailed: (deviceId, err) => log.warn({ clientId: deviceId, err: (err as Error).message }, 'device token hash upgrade failed'),
  });
  const decide = createConnectAuthenticator({
    devices,
    service: deps.service,
    isServiceClientId: (clientId) => serviceClientIds.has(clientId),
  });
  const limiter = createConnectRateLimiter({
    ratePerSec: limits.connectRatePerIpPerSec,
    burst: limits.connectBurstPerIp,
    clock,
  });
  // The same token bucket as for connects, keyed by device id: a device over its publish rate is
  // disconnected (its unacknowledged messages stay on it), so one device cannot starve the ingest.
  const publishLimiter = createConnectRateLimiter({ ratePerSec: limits.publishRatePerDevicePerSec, burst: limits.publishBurstPerDevice, clock });
  const { hooks } = createBrokerHooks({ decide, limiter, publishLimiter, metrics, log, serviceClientIds, uplinks: deps.uplinks, announce: deps.announce });

  const aedes = new Aedes({
    ...hooks,
    maxTopicLevels: limits.maxTopicLevels,
    // Only consulted by Aedes for MQTT 3.1 (level 3), which preConnect refuses anyway; set it so
    // the full 64-character device id would never be cut by the 3.1 limit of 23 (§3.1.3.1).
    maxClientsIdLength: 64,
    drainTimeout: limits.drainTimeoutMs,
    // Inbound QoS 2 is refused in authorizePublish; this bounds Aedes' own window before that runs.
    maxInflightInbound: 16,
    connectTimeout: limits.connectTimeoutMs,
  });

  aedes.on('connackSent', (packet) => {
    if (packet.returnCode) metrics.connectsRefused.inc({ return_code: String(packet.returnCode) });
  });
  aedes.on('publish', (packet, client) => {
    if (!client) return; // the broker's own $SYS traffic
    const channel = channelOf(packet.topic);
    if (channel) metrics.messagesIn.inc({ channel });
  });
  aedes.on('clientDisconnect', (client) => {
    deps.uplinks?.drop(client);
    log.info({ clientId: client.id }, 'client disconnected');
  });
  aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'client error'));
  aedes.on('connectionError', (client, err) => log.debug({ remoteAddress: remoteAddressOf(client), err: err.message }, 'connection error'));
  // Without a listener an 'error' event would throw and take the process down.
  (aedes as EventEmitter).on('error', (err: unknown) => log.error({ err }, 'broker error'));

  const sockets = new Set<net.Socket>();
  /** Connections whose read was refused while the ingest was full; read again when it has room. */
  const stalled = new Set<net.Socket>();
  deps.uplinks?.onAccepting(() => {
    const waiting = [...stalled];
    stalled.clear();
    metrics.readsResumed.inc(waiting.length);
    // Aedes reads on 'readable'; the refused read left the data buffered, so nothing would re-emit it.
    for (const s of waiting) if (!s.destroyed) s.emit('readable');
  });
  // noDelay: MQTT packets are small and latency-bound; Nagle would hold PUBACKs back.
  const mqttServer = net.createServer({ noDelay: true }, (socket) => {
    metrics.connectionsAccepted.inc();
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      stalled.delete(socket);
    });
    guardPacketSize(socket);
    aedes.handle(socket);
  });

  /**
   * Aedes consumes the socket with read() on 'readable'. Checking each chunk there, before it
   * is returned to Aedes' parser, means an oversize packet is never parsed, let alone routed,
   * even when it arrives complete in a single chunk.
   */
  function guardPacketSize(socket: net.Socket): void {
    const guard = createPacketSizeGuard(limits.maxPacketBytes);
    const read = socket.read.bind(socket);
    socket.read = (size?: number) => {
      if (deps.uplinks && !deps.uplinks.accepting()) {
        // The ingest holds its limit: leave the bytes in the kernel until it has room.
        stalled.add(socket);
        return null;
      }
      const chunk: unknown = read(size);
      if (!(chunk instanceof Uint8Array)) return chunk;
      metrics.bytesIn.inc(chunk.length);
      const verdict = guard.feed(chunk);
      if (verdict === 'ok') return chunk;
      if (verdict === 'too_large') metrics.packetsTooLarge.inc();
      log.warn({ remoteAddress: socket.remoteAddress, verdict, maxPacketBytes: limits.maxPacketBytes }, 'closing connection: packet refused');
      socket.destroy();
      return null;
    };
  }

  let listening = false;
  const httpServer = createOpsHttpServer({
    registry: deps.registry,
    isHealthy: () => listening && mqttServer.listening && !aedes.closed,
    log,
  });

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    listening = false;
    // New connections are refused first, then every session is ended; wills are published as
    // for any unexpected disconnect (§3.1.2.5), so device status goes offline downstream.
    const mqttClosed = closeServer(mqttServer);
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await mqttClosed;
    httpServer.closeAllConnections();
    await closeServer(httpServer);
  }

  // Aedes keeps connected clients by id (typed loosely in its .d.ts).
  type AedesClient = { connected?: boolean; closed?: boolean; _disconnected?: boolean; close(done?: () => void): void };
  const clients = (): Record<string, AedesClient | undefined> => (aedes as unknown as { clients: Record<string, AedesClient> }).clients;
  const isConnectedHere = (deviceId: string): boolean => clients()[deviceId]?.connected === true;
  const takeOver = (deviceId: string): boolean => {
    const client = clients()[deviceId];
    if (!client || client.closed) return false;
    // What a DISCONNECT packet sets (lib/handlers/index.js): close() then drops the will instead of publishing it.
    client._disconnected = true;
    client.close();
    metrics.takeovers.inc();
    log.info({ clientId: deviceId }, 'connection taken over by a newer one on another node');
    return true;
  };

  return {
    broker: aedes,
    metrics,
    isConnectedHere,
    revoke(deviceId) {
      devices.forget(deviceId);
      const client = clients()[deviceId];
      if (!client || client.closed) return;
      metrics.revokedConnections.inc();
      log.warn({ clientId: deviceId }, 'credential changed: closing the device connection');
      client.close();
    },
    takeOver,
    deliver(deviceId, topic, payload) {
      if (!isConnectedHere(deviceId)) return Promise.resolve(false);
      return new Promise((resolve) => {
        aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false }, (err?: Error) => {
          if (err) log.warn({ err: err.message, deviceId }, 'downlink publish failed');
          resolve(!err && isConnectedHere(deviceId));
        });
      });
    },
    async listen({ mqttPort, httpPort, host = '0.0.0.0' }) {
      await aedes.listen();
      const boundMqtt = await listenOn(mqttServer, mqttPort, host);
      const boundHttp = await listenOn(httpServer, httpPort, host);
      listening = true;
      return { mqttPort: boundMqtt, httpPort: boundHttp };
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}
