import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { parseDeviceTopic } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import { canPublish, canReceive, canSubscribe, type Identity } from './acl.ts';
import { CONNACK, type ConnectDecision, type ConnectAttempt, type RefusalCode } from './connect-auth.ts';
import type { ConnectRateLimiter } from './connect-rate.limiter.ts';
import type { GatewayMetrics } from './gateway.metrics.ts';

/**
 * The Aedes handlers, one per concern: preConnect (rate limit, protocol level), authenticate
 * (identity), authorizePublish / authorizeSubscribe / authorizeForward (ACL). Decisions are
 * delegated to the pure modules; this file only adapts them to Aedes' callback API.
 */
export interface BrokerHooksDeps {
  decide: (attempt: ConnectAttempt) => Promise<ConnectDecision>;
  limiter: ConnectRateLimiter;
  /** Per device id: PUBLISHes per second. */
  publishLimiter?: ConnectRateLimiter;
  metrics: GatewayMetrics;
  log: Logger;
  /**
   * Client ids used by service sessions during this process's life (Aedes' persistence is in
   * memory, so no session outlives the process). Filled here, read by the connect authenticator.
   */
  serviceClientIds: Set<string>;
  /** Where a device's uplinks go; the publish is authorised (and PUBACKed) once it resolves. */
  uplinks?: UplinkSink;
  /**
   * Tells the other gateway nodes that this device connected here (cross-node takeover); the
   * CONNACK waits for it, so a connection made after this one was acknowledged is announced
   * after it. Never rejects.
   */
  announce?: (deviceId: string) => Promise<void>;
}

/**
 * The durable side of a device's QoS 1 PUBLISH. Aedes calls authorizePublish before it writes
 * the PUBACK (lib/handlers/publish.js: authorizePublish, then enqueuePublish), so holding the
 * callback until `submit` resolves makes the PUBACK mean "committed". `owner` is the connection:
 * when it closes, what it sent and is not yet being written is dropped (no PUBACK can reach it;
 * the device sends those messages again).
 */
export interface UplinkSink {
  submit(topic: string, payload: Buffer, owner?: object): Promise<void>;
  drop(owner: object): void;
  /**
   * False while the sink holds as much as it may: the broker then reads no connection until
   * `onAccepting` fires (TCP pushes back to every device; their messages wait on the devices).
   */
  accepting(): boolean;
  onAccepting(listener: () => void): void;
}

export type BrokerHooks = Required<Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>>;

export interface IdentityRegistry {
  hooks: BrokerHooks;
  identityOf(client: Client): Identity | undefined;
}

/** Only MQTT 3.1.1 (protocol level 4) is part of device protocol v1. */
const SUPPORTED_PROTOCOL_LEVEL = 4;

export function remoteAddressOf(client: Client): string {
  const conn = client.conn as { remoteAddress?: string };
  return conn.remoteAddress ?? 'unknown';
}

/** Topics are attacker-controlled and may be 64 KiB long: keep log lines bounded. */
function forLog(topic: string): string {
  return topic.length > 200 ? `${topic.slice(0, 200)}…` : topic;
}

function authError(returnCode: RefusalCode, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: returnCode as AuthenticateError['returnCode'] });
}

export function createBrokerHooks(deps: BrokerHooksDeps): IdentityRegistry {
  const { decide, limiter, metrics, log, serviceClientIds } = deps;
  // WeakMaps: entries vanish with the Client object, so nothing has to be cleaned on disconnect.
  const identities = new WeakMap<Client, Identity>();
  const rawClientIds = new WeakMap<Client, string>();

  const hooks: BrokerHooks = {
    preConnect(client, packet, callback) {
      const address = remoteAddressOf(client);
      if (!limiter.tryAcquire(address)) {
        metrics.connectsRateLimited.inc();
        log.warn({ remoteAddress: address }, 'connect rate limit exceeded, closing connection');
        // Closing without CONNACK (an error here makes Aedes drop the socket): mqtt.js does not
        // retry after a refusing CONNACK unless told to, but it does retry a dropped connection.
        callback(new Error('connect rate limit exceeded'), false);
        return;
      }
      if (packet.protocolVersion !== SUPPORTED_PROTOCOL_LEVEL) {
        // §3.1.2.2 [MQTT-3.1.2-2]: an unsupported protocol level gets CONNACK 0x01. Aedes itself
        // still accepts MQTT 3.1 (level 3); a level outside 3..4 makes it answer 0x01 for us.
        (packet as { protocolVersion?: number }).protocolVersion = 0;
      }
      // Aedes replaces an empty client id with a generated one before authenticate runs; keep
      // what the client actually sent, because the id is the identity.
      rawClientIds.set(client, packet.clientId ?? '');
      callback(null, true);
    },

    authenticate(client, username, password, callback) {
      const clientId = rawClientIds.get(client) ?? '';
      decide({ clientId, username: username ?? undefined, password: password ?? undefined })
        .catch((err: unknown): ConnectDecision => ({ ok: false, returnCode: CONNACK.serverUnavailable, reason: 'authentication failed', cause: err }))
        .then((decision) => {
          if (decision.ok) {
            identities.set(client, decision.identity);
            if (decision.identity.kind === 'service') serviceClientIds.add(clientId);
            log.info({ clientId, kind: decision.identity.kind, remoteAddress: remoteAddressOf(client) }, 'client authenticated');
            if (decision.identity.kind === 'device' && deps.announce) {
              void deps.announce(decision.identity.deviceId).then(() => callback(null, true));
              return;
            }
            callback(null, true);
            return;
          }
          const fields = { clientId: forLog(clientId), returnCode: decision.returnCode, reason: decision.reason, remoteAddress: remoteAddressOf(client) };
          if (decision.returnCode === CONNACK.serverUnavailable) log.error({ ...fields, err: decision.cause }, 'connect refused');
          else log.warn(fields, 'connect refused');
          callback(authError(decision.returnCode, decision.reason), false);
        });
    },

    authorizePublish(client, packet, callback) {
      if (packet.qos === 2) {
        // Protocol v1 uses QoS 0 and 1 only; QoS 2 would keep per-message state in the broker.
        metrics.publishDenied.inc();
        log.warn({ clientId: client?.id, topic: forLog(packet.topic) }, 'QoS 2 publish refused');
        callback(new Error('QoS 2 is not supported'));
        return;
      }
      // client is null only for wills of a broker that died (cluster setups): no identity, deny.
      const identity = client ? identities.get(client) : undefined;
      if (identity && canPublish(identity, packet.topic)) {
        if (identity.kind === 'device' && deps.publishLimiter && !deps.publishLimiter.tryAcquire(identity.deviceId)) {
          metrics.publishRateLimited.inc();
          log.warn({ clientId: client?.id }, 'publish rate limit exceeded, closing connection');
          // No PUBACK: the device keeps the message and sends it again after reconnecting.
          callback(new Error('publish rate limit exceeded'));
          return;
        }
        if (identity.kind !== 'device' || !deps.uplinks) {
          callback(null);
          return;
        }
        // A last will is published while its connection closes: it must not be dropped with it.
        const owner = client && packet === (client as Client & { will?: unknown }).will ? undefined : (client ?? undefined);
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        deps.uplinks.submit(packet.topic, payload, owner).then(
          () => callback(null),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
        return;
      }
      metrics.publishDenied.inc();
      log.warn({ clientId: client?.id, topic: forLog(packet.topic) }, 'publish denied');
      // MQTT 3.1.1 has no negative PUBACK: an error makes Aedes close the connection (§3.3.5).
      callback(new Error('publish not authorized'));
    },

    authorizeSubscribe(client, subscription, callback) {
      const identity = identities.get(client);
      if (identity && canSubscribe(identity, subscription.topic)) {
        callback(null, subscription);
        return;
      }
      metrics.subscribeDenied.inc();
      log.warn({ clientId: client.id, filter: forLog(subscription.topic) }, 'subscription denied');
      // A null subscription makes Aedes answer 0x80 (Failure) for this filter in the SUBACK
      // (§3.9.3) and keep the connection: the client learns the refusal and receives nothing.
      callback(null, null);
    },

    authorizeForward(client, packet) {
      const identity = identities.get(client);
      return identity && canReceive(identity, packet.topic) ? packet : null;
    },
  };

  return {
    hooks,
    identityOf: (client) => identities.get(client),
  };
}

/** Protocol channel of a published topic, for the messages-in metric; null for anything else. */
export function channelOf(topic: string): string | null {
  return parseDeviceTopic(topic)?.channel ?? null;
}
