import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { judgmentsTopic, type Judgment } from '@airfleet/contracts';

export interface JudgmentPublisherOptions {
  mqttUrl: string;
  username: string;
  password: string;
  /** `airfleet-` prefixed (reserved for platform sessions); unique per platform instance. */
  clientId: string;
  log: Logger;
  /** Called after every (re)connect: publish what could not be sent while away. */
  onConnect?: () => void;
}

export interface JudgmentPublisher {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly connected: boolean;
  /** QoS 1 publish; resolves true once the broker has PUBACKed it, false if it could not be sent. */
  publish(deviceId: string, judgment: Judgment): Promise<boolean>;
}

/**
 * The platform's downlink: an mqtt.js client with the service credential (the gateway's ACL
 * lets the service publish to v1/devices/{id}/judgments only). Delivery is carried by the
 * judgment's stored status, not by this client's session: it publishes only while
 * connected, and whatever stays `pending` is published after the next connect.
 */
export function createJudgmentPublisher(opts: JudgmentPublisherOptions): JudgmentPublisher {
  const log = opts.log.child({ component: 'judgment-publisher' });
  let client: MqttClient | undefined;

  return {
    get connected() {
      return client?.connected ?? false;
    },
    async start() {
      const c = mqtt.connect(opts.mqttUrl, {
        clientId: opts.clientId,
        username: opts.username,
        password: opts.password,
        protocolVersion: 4,
        clean: true,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
        keepalive: 30,
      });
      client = c;
      c.on('connect', () => {
        log.info('judgment publisher connected');
        opts.onConnect?.();
      });
      c.on('error', (err) => log.warn({ err: err.message }, 'judgment publisher mqtt error'));
      await new Promise<void>((resolve) => {
        c.once('connect', () => resolve());
        // Like ingest: never block start-up on the broker; pending judgments go out after connect.
        setTimeout(resolve, 5000).unref();
      });
    },
    async stop() {
      const c = client;
      client = undefined;
      if (c) await c.endAsync(false).catch(() => undefined);
    },
    publish(deviceId, judgment) {
      const c = client;
      if (!c?.connected) return Promise.resolve(false);
      return new Promise((resolve) => {
        c.publish(judgmentsTopic(deviceId), JSON.stringify(judgment), { qos: 1, retain: false }, (err) => {
          if (err) log.warn({ err: err.message, deviceId, judgmentId: judgment.id }, 'judgment publish failed');
          resolve(!err);
        });
      });
    },
  };
}
