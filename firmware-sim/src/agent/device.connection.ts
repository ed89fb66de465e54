import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { MqttClient, type IClientOptions } from 'mqtt';

/**
 * The device's MQTT 3.1.1 connection (protocol v1): client id = username = device id,
 * password = token, clean session, retained last will `{"online":false}` at QoS 1
 * (MQTT 3.1.1 §3.1.2.5). Built on our own stream builder so a simulated outage can make the
 * network unreachable: while it lasts every connect attempt fails like a dead link.
 */
export interface DeviceClientOptions {
  mqttUrl: string;
  deviceId: string;
  token: string;
  willTopic: string;
  reconnectPeriodMs: number;
  keepaliveS: number;
  isNetworkUp: () => boolean;
}

export function createDeviceClient(o: DeviceClientOptions): MqttClient {
  const url = new URL(o.mqttUrl);
  const host = url.hostname || '127.0.0.1';
  const secure = url.protocol === 'mqtts:' || url.protocol === 'ssl:';
  const port = Number(url.port || (secure ? 8883 : 1883));
  const options: IClientOptions = {
    protocolVersion: 4,
    clientId: o.deviceId,
    username: o.deviceId,
    password: o.token,
    clean: true,
    keepalive: o.keepaliveS,
    reconnectPeriod: o.reconnectPeriodMs,
    connectTimeout: 10_000,
    // Subscriptions are made in the connect handler (clean session: every time).
    resubscribe: false,
    will: { topic: o.willTopic, payload: Buffer.from(JSON.stringify({ online: false })), qos: 1, retain: true },
  };
  const builder = (): Duplex => {
    if (!o.isNetworkUp()) return deadStream();
    if (secure) return tls.connect({ host, port, servername: host });
    // Nagle off: a QoS 1 round trip is ~30 ms shorter on this class of machine.
    return net.connect({ host, port, noDelay: true });
  };
  return new MqttClient(builder, options);
}

/** A stream that fails at once: what connecting looks like with the network down. */
function deadStream(): Duplex {
  const stream = new Duplex({
    read() {},
    write(_chunk, _enc, cb) {
      cb();
    },
  });
  setImmediate(() => stream.destroy(new Error('network unreachable (simulated outage)')));
  return stream;
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
