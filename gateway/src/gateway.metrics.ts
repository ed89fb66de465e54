import { Counter, Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import { DEVICE_CHANNELS } from '@airfleet/contracts';

/** Every ops metric of the gateway, registered on the registry it is given (never the global one). */
export interface GatewayMetrics {
  connectionsAccepted: Counter;
  connectsRefused: Counter<'return_code'>;
  connectsRateLimited: Counter;
  connectsBackedOff: Counter;
  deviceHashesUpgraded: Counter;
  authCacheHits: Counter;
  authCacheMisses: Counter;
  publishDenied: Counter;
  publishRateLimited: Counter;
  revokedConnections: Counter;
  /** Connections read again after the ingest had been full (backpressure released). */
  readsResumed: Counter;
  /** Connections closed because the device connected again on another node (MQTT 3.1.1 §3.1.4). */
  takeovers: Counter;
  subscribeDenied: Counter;
  messagesIn: Counter<'channel'>;
  bytesIn: Counter;
  packetsTooLarge: Counter;
}

export function createGatewayMetrics(registry: Registry, connectedClients: () => number): GatewayMetrics {
  const registers = [registry];
  // The composition root may have registered the process metrics on this registry already;
  // prom-client throws on a second registration.
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'airfleet_gateway_connected_clients',
    help: 'MQTT clients with an established session',
    registers,
    collect() {
      this.set(connectedClients());
    },
  });
  const metrics: GatewayMetrics = {
    connectionsAccepted: new Counter({ name: 'airfleet_gateway_connections_accepted_total', help: 'TCP connections accepted on the MQTT port', registers }),
    connectsRefused: new Counter({
      name: 'airfleet_gateway_connects_refused_total',
      help: 'CONNECTs answered with a non-zero CONNACK return code (MQTT 3.1.1 §3.2.2.3)',
      labelNames: ['return_code'],
      registers,
    }),
    connectsRateLimited: new Counter({ name: 'airfleet_gateway_connects_rate_limited_total', help: 'CONNECTs dropped by the per-address rate limit', registers }),
    connectsBackedOff: new Counter({
      name: 'airfleet_gateway_connects_backed_off_total',
      help: 'Device CONNECTs refused (CONNACK 4) by the per-device backoff after repeated failures, without a credential check',
      registers,
    }),
    deviceHashesUpgraded: new Counter({
      name: 'airfleet_gateway_device_hashes_upgraded_total',
      help: 'Legacy scrypt device token hashes replaced by HMAC-SHA-256 on a successful connect',
      registers,
    }),
    authCacheHits: new Counter({ name: 'airfleet_gateway_auth_cache_hits_total', help: 'Device credential checks answered from the cache', registers }),
    authCacheMisses: new Counter({ name: 'airfleet_gateway_auth_cache_misses_total', help: 'Device credential checks that went to the credential store', registers }),
    publishDenied: new Counter({ name: 'airfleet_gateway_publish_denied_total', help: 'PUBLISHes refused by the ACL (connection closed)', registers }),
    publishRateLimited: new Counter({ name: 'airfleet_gateway_publish_rate_limited_total', help: 'Device connections closed for publishing above PUBLISH_RATE_PER_DEVICE_PER_S', registers }),
    revokedConnections: new Counter({ name: 'airfleet_gateway_revoked_connections_total', help: 'Device connections closed because the token was rotated or the device disabled or deleted', registers }),
    readsResumed: new Counter({ name: 'airfleet_gateway_reads_resumed_total', help: 'Connections read again after the ingest had held its limit of pending messages', registers }),
    takeovers: new Counter({ name: 'airfleet_gateway_takeovers_total', help: 'Device connections closed because the device connected again on another gateway node', registers }),
    subscribeDenied: new Counter({ name: 'airfleet_gateway_subscribe_denied_total', help: 'Subscription filters refused by the ACL (SUBACK 0x80)', registers }),
    messagesIn: new Counter({
      name: 'airfleet_gateway_messages_in_total',
      help: 'Authorised PUBLISHes received from clients, by protocol channel',
      labelNames: ['channel'],
      registers,
    }),
    bytesIn: new Counter({ name: 'airfleet_gateway_bytes_in_total', help: 'Bytes read from MQTT client sockets', registers }),
    packetsTooLarge: new Counter({ name: 'airfleet_gateway_packets_too_large_total', help: 'Connections closed for a packet above MAX_PACKET_BYTES', registers }),
  };
  // Zero-initialise label sets so dashboards see every series from the start.
  for (const channel of DEVICE_CHANNELS) metrics.messagesIn.inc({ channel }, 0);
  for (const code of ['1', '2', '3', '4', '5']) metrics.connectsRefused.inc({ return_code: code }, 0);
  return metrics;
}
