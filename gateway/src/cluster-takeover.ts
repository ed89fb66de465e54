import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { CONNECTED_CHANNEL } from '@airfleet/contracts';
import { listenChannel, type ChannelListener } from '@airfleet/platform/edge';
import type { Logger } from '@airfleet/runtime';

/** A random id per gateway process: it tells a node its own announcements from the others'. */
export function newNodeId(): string {
  return randomBytes(6).toString('hex');
}

export function connectedPayload(deviceId: string, nodeId: string): string {
  return `${deviceId} ${nodeId}`;
}

export function parseConnectedPayload(payload: string): { deviceId: string; nodeId: string } | undefined {
  const [deviceId, nodeId, ...rest] = payload.split(' ');
  return deviceId && nodeId && rest.length === 0 ? { deviceId, nodeId } : undefined;
}

/**
 * Which of two connections of one device on two nodes is the newer one, decided the same way on
 * every node: the order in which their announcements arrive. PostgreSQL delivers notifications
 * in commit order to every listener, so all nodes hear the announcements in one order, and the
 * connection announced last wins. A node that hears another node announce a device closes its own
 * connection of it only if its own announcements of that device have all come back already (its
 * connection was announced earlier); while one is still on its way, its connection is the newer
 * one, and the other node will close its own when that announcement reaches it.
 */
export function createTakeoverOrder() {
  /** Per device: announcements this node sent that it has not heard back yet. */
  const inFlight = new Map<string, number>();
  const settle = (deviceId: string): void => {
    const n = (inFlight.get(deviceId) ?? 0) - 1;
    if (n > 0) inFlight.set(deviceId, n);
    else inFlight.delete(deviceId);
  };
  return {
    /** This node is announcing a connection of `deviceId`. */
    announcing(deviceId: string): void {
      inFlight.set(deviceId, (inFlight.get(deviceId) ?? 0) + 1);
    },
    /** Its own announcement came back, or could not be sent (then nobody else hears it either). */
    settled: settle,
    /** The listening connection was lost: what was in flight will never come back. */
    forgetAll(): void {
      inFlight.clear();
    },
    /** Another node announced `deviceId`: does its connection supersede the one here? */
    supersedesLocal(deviceId: string): boolean {
      return !inFlight.has(deviceId);
    },
    get inFlight(): number {
      return inFlight.size;
    },
  };
}

export interface ClusterTakeoverOptions {
  pool: pg.Pool;
  log: Logger;
  nodeId: string;
  /** Close this node's connection of the device (without its last will); false if there is none. */
  takeOver: (deviceId: string) => boolean;
}

export interface ClusterTakeover {
  /**
   * Tells the other nodes that `deviceId` connected here; resolves once the NOTIFY is committed
   * (or failed: then the connection is accepted without a cross-node takeover). The broker's
   * authenticate waits for it before the CONNACK, so a connection made after another one was
   * acknowledged is always announced after it.
   */
  announce(deviceId: string): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

/**
 * MQTT 3.1.1 §3.1.4 across gateway nodes: a device's new connection takes over its older one
 * wherever that is. Each node announces every device connection it accepts with
 * `NOTIFY airfleet_connected, '<deviceId> <nodeId>'` and listens on that channel; a node that
 * holds an older connection of the device closes it. Within one node Aedes does this itself.
 * While the listening connection is down (it reconnects after 1 s), a takeover may be missed:
 * the older connection then lives until its keepalive runs out (the device stopped using it).
 */
export function createClusterTakeover(opts: ClusterTakeoverOptions): ClusterTakeover {
  const log = opts.log.child({ component: 'takeover', nodeId: opts.nodeId });
  const order = createTakeoverOrder();
  let listener: ChannelListener | undefined;
  let stopped = true;

  // Connections authenticated in one turn of the event loop are announced by one statement (a
  // mass reconnect must not queue one query per device on the pool); one NOTIFY each, in order.
  let queued: Array<{ deviceId: string; counted: boolean; done: () => void }> = [];
  const flush = (): void => {
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    const payloads = batch.map((a) => connectedPayload(a.deviceId, opts.nodeId));
    opts.pool
      .query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, i) ORDER BY i', [CONNECTED_CHANNEL, payloads])
      .catch((err: Error) => {
        for (const a of batch) if (a.counted) order.settled(a.deviceId);
        log.warn({ err: err.message, devices: batch.length }, 'could not announce connections to the other nodes');
      })
      .finally(() => {
        for (const a of batch) a.done();
      });
  };

  const heard = (payload: string): void => {
    const p = parseConnectedPayload(payload);
    if (!p) return;
    if (p.nodeId === opts.nodeId) {
      order.settled(p.deviceId);
      return;
    }
    if (order.supersedesLocal(p.deviceId)) opts.takeOver(p.deviceId);
  };

  return {
    announce(deviceId) {
      if (stopped) return Promise.resolve();
      // Only counted while listening: an announcement sent meanwhile would never be heard back.
      const counted = listener?.listening === true;
      if (counted) order.announcing(deviceId);
      return new Promise<void>((done) => {
        if (queued.length === 0) setImmediate(flush);
        queued.push({ deviceId, counted, done });
      });
    },
    async start() {
      stopped = false;
      listener = await listenChannel(opts.pool, CONNECTED_CHANNEL, heard, log, { onLost: () => order.forgetAll() });
    },
    stop() {
      stopped = true;
      listener?.stop();
      listener = undefined;
    },
  };
}
