import type pg from 'pg';
import type { Registry } from 'prom-client';
import { CREDENTIALS_CHANNEL } from '@airfleet/contracts';
import { createEdgeIngest, listenChannel, type ChannelListener, type EdgeIngest } from '@airfleet/platform/edge';
import type { Logger } from '@airfleet/runtime';
import { createGateway, type Gateway, type GatewayLimits } from './broker.ts';
import type { Clock } from './clock.ts';
import type { ServiceCredential } from './connect-auth.ts';
import { createClusterTakeover, newNodeId, type ClusterTakeover } from './cluster-takeover.ts';
import { createPgCredentialStore } from './credential-store.pg.ts';

export interface GatewayNodeOptions {
  pool: pg.Pool;
  log: Logger;
  registry: Registry;
  service: ServiceCredential;
  /** HMAC key of the stored device token hashes (DEVICE_TOKEN_PEPPER). */
  deviceTokenPepper: string;
  limits?: Partial<GatewayLimits>;
  /** maxPending: received-but-uncommitted messages at which the broker stops reading (resumes at half). */
  ingest: {
    batchMaxRows: number;
    batchWaitMs: number;
    maxPending?: number;
    lanes?: number;
    resendDelayMs?: number;
    /** Dead letters stored in full per source and reason in each window; the rest are counted only. */
    deadLetterSampling?: { keepPerWindow?: number; windowMs?: number };
  };
  /** Receive-time clock of the ingest (accelerated benchmarks). */
  clock?: () => number;
  /** Wall clock of the rules' bookkeeping; default `clock`. */
  rulesClock?: () => number;
  brokerClock?: Clock;
  /** This node's id in announcements to the other nodes; default a random one per process. */
  nodeId?: string;
}

export interface GatewayNode {
  gateway: Gateway;
  edge: EdgeIngest;
  readonly nodeId: string;
  listen(options: { mqttPort: number; httpPort: number; host?: string }): Promise<{ mqttPort: number; httpPort: number }>;
  /** Refuses new connections, commits what was received, then closes every session. */
  close(): Promise<void>;
}

/**
 * One gateway node: the Aedes broker and the ingest pipeline that its authorizePublish feeds.
 * The composition used by the gateway's main, the system tests and the benchmarks alike.
 */
export function createGatewayNode(opts: GatewayNodeOptions): GatewayNode {
  // The broker feeds the pipeline and the pipeline's downlink uses the broker: bound after both exist.
  const late: { edge?: EdgeIngest; takeover?: ClusterTakeover } = {};
  const maxPending = opts.ingest.maxPending ?? 20_000;
  let full = false;
  const accepting: Array<() => void> = [];
  const gateway = createGateway({
    credentials: createPgCredentialStore(opts.pool),
    service: opts.service,
    deviceTokenPepper: opts.deviceTokenPepper,
    limits: opts.limits,
    log: opts.log,
    registry: opts.registry,
    clock: opts.brokerClock,
    uplinks: {
      submit: (topic, payload, owner) => late.edge!.pipeline.submit(topic, payload, owner),
      drop: (owner) => late.edge?.pipeline.drop(owner),
      // Hysteresis: stop at maxPending, read again at half, so reads resume in useful chunks.
      accepting: () => {
        if (!full && (late.edge?.pipeline.pending ?? 0) >= maxPending) full = true;
        return !full;
      },
      onAccepting: (listener) => accepting.push(listener),
    },
    announce: (deviceId) => late.takeover?.announce(deviceId) ?? Promise.resolve(),
  });
  const e = createEdgeIngest({
    pool: opts.pool,
    log: opts.log,
    registry: opts.registry,
    deliver: (deviceId, topic, payload) => gateway.deliver(deviceId, topic, payload),
    isConnectedHere: (deviceId) => gateway.isConnectedHere(deviceId),
    batchMaxRows: opts.ingest.batchMaxRows,
    batchWaitMs: opts.ingest.batchWaitMs,
    lanes: opts.ingest.lanes,
    resendDelayMs: opts.ingest.resendDelayMs,
    deadLetterSampling: opts.ingest.deadLetterSampling,
    clock: opts.clock,
    rulesClock: opts.rulesClock,
  });
  late.edge = e;
  // A device's new connection on any node takes over its older one on this node (§3.1.4).
  const nodeId = opts.nodeId ?? newNodeId();
  const takeover = (late.takeover = createClusterTakeover({
    pool: opts.pool,
    log: opts.log,
    nodeId,
    takeOver: (deviceId) => gateway.takeOver(deviceId),
  }));
  e.pipeline.onProgress(() => {
    if (full && e.pipeline.pending < maxPending / 2) {
      full = false;
      for (const listener of accepting) listener();
    }
  });
  // A rotated token, a disabled or deleted device (database triggers): close it here at once.
  let credentials: ChannelListener | undefined;
  let closing: Promise<void> | undefined;
  return {
    gateway,
    edge: e,
    nodeId,
    async listen(options) {
      await e.start();
      // Listening before the first device connects: no announcement of another node is missed.
      await takeover.start();
      credentials = await listenChannel(opts.pool, CREDENTIALS_CHANNEL, (deviceId) => gateway.revoke(deviceId), opts.log);
      return gateway.listen(options);
    },
    close() {
      closing ??= (async () => {
        // Commit what devices already sent (their PUBACKs go out), then end the sessions.
        await e.pipeline.stop(5_000);
        takeover.stop();
        credentials?.stop();
        await gateway.close();
        await e.stop(1_000);
      })();
      return closing;
    },
  };
}
