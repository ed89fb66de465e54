import type { LiveServerMessage, LiveTelemetryItem } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import type { PlatformEventMap, PlatformEvents } from '../events/platform-events.ts';
import type { DeviceDirectory } from './device-directory.ts';
import { createLiveConnection, type LiveConnection, type LiveLimits, type LiveSocket } from './live-connection.ts';
import type { LiveMetrics } from './live.metrics.ts';

export interface LiveHubOptions {
  events: PlatformEvents;
  directory: DeviceDirectory;
  limits: LiveLimits;
  clock: () => number;
  log: Logger;
  metrics: LiveMetrics;
}

interface Member {
  connection: LiveConnection;
  /** null = staff (every customer). */
  scope: string | null;
}

/**
 * Fans committed platform events out to the open live connections. One listener per event
 * for the whole process (not per socket); tenant filtering happens here, by the device →
 * customer directory, before anything reaches a connection's buffers.
 */
export function createLiveHub({ events, directory, limits, clock, log, metrics }: LiveHubOptions) {
  const members = new Set<Member>();

  const visibleTo = (scope: string | null, deviceId: string, customerId?: string): boolean =>
    scope === null || (customerId ?? directory.customerOf(deviceId)) === scope;

  const offerMessage = (message: LiveServerMessage, deviceId: string | null, customerId?: string): void => {
    for (const m of members) {
      // A message about no device in particular goes to staff only.
      if (m.scope !== null && (deviceId === null ? customerId !== m.scope : !visibleTo(m.scope, deviceId, customerId))) continue;
      m.connection.offerMessage(message);
    }
  };

  // Telemetry is subscribed only while somebody watches: the relay then reads the newest values
  // of the devices a batch changed (the outbox carries ids only), and not otherwise.
  const onTelemetry = (batch: PlatformEventMap['telemetry']): void => {
    if (members.size === 0) return;
    const receivedAt = clock();
    const all: LiveTelemetryItem[] = batch.map(({ deviceId, sample }) => ({ deviceId, ...sample, receivedAt }));
    // Group once per batch by customer, then hand each connection its slice.
    const byCustomer = new Map<string, LiveTelemetryItem[]>();
    for (const item of all) {
      const owner = directory.customerOf(item.deviceId);
      if (owner === undefined) continue;
      let list = byCustomer.get(owner);
      if (!list) byCustomer.set(owner, (list = []));
      list.push(item);
    }
    for (const m of members) {
      const items = m.scope === null ? all : byCustomer.get(m.scope);
      if (items) m.connection.offerTelemetry(items);
    }
  };
  let telemetryOff: (() => void) | undefined;
  const watchTelemetry = (): void => {
    if (members.size > 0 && !telemetryOff) telemetryOff = events.on('telemetry', onTelemetry);
    if (members.size === 0 && telemetryOff) {
      telemetryOff();
      telemetryOff = undefined;
    }
  };

  const unsubscribe = [
    events.on('status', ({ deviceId, status, receivedAtMs }) => {
      const item = { deviceId, online: status.online, firmware: status.firmware ?? null, at: receivedAtMs };
      for (const m of members) if (visibleTo(m.scope, deviceId)) m.connection.offerStatus(item);
    }),
    events.on('deviceEvent', ({ deviceId, event }) => offerMessage({ type: 'event', deviceId, event }, deviceId)),
    events.on('domain', ({ type, deviceId, customerId, payload }) =>
      offerMessage({ type: 'domain', kind: type, deviceId: deviceId ?? null, payload }, deviceId ?? null, customerId),
    ),
  ];

  const flushAll = (): void => {
    const now = clock();
    for (const m of members) {
      const before = m.connection.stats.coalesced;
      const outcome = m.connection.flush(now);
      metrics.coalesced.inc(m.connection.stats.coalesced - before);
      if (outcome === 'dropped') {
        metrics.dropped.inc({ reason: 'too_slow' });
        log.warn({ pending: m.connection.pendingItems }, 'live: dropped a client that stopped reading');
        members.delete(m);
        metrics.connections.set(members.size);
        watchTelemetry();
      }
    }
  };
  const timer = setInterval(flushAll, limits.flushIntervalMs);
  timer.unref();

  return {
    /** Registers a socket; the caller removes it on close. */
    add(socket: LiveSocket, scope: string | null): LiveConnection {
      const connection = createLiveConnection(socket, limits);
      members.add({ connection, scope });
      metrics.connections.set(members.size);
      watchTelemetry();
      return connection;
    },
    remove(connection: LiveConnection): void {
      for (const m of members) if (m.connection === connection) members.delete(m);
      connection.markClosed();
      metrics.connections.set(members.size);
      watchTelemetry();
    },
    /** Runs one flush immediately (tests with fake timers). */
    flushAll,
    get size(): number {
      return members.size;
    },
    connections(): LiveConnection[] {
      return [...members].map((m) => m.connection);
    },
    close(): void {
      clearInterval(timer);
      for (const off of unsubscribe) off();
      members.clear();
      watchTelemetry();
      metrics.connections.set(0);
    },
  };
}
export type LiveHub = ReturnType<typeof createLiveHub>;
