import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** Connects a real mqtt.js client as a device (client id = username = device id). */
export function connectDevice(port: number, deviceId: string, token: string, extra: IClientOptions = {}): Promise<MqttClient> {
  return connectClient(port, { clientId: deviceId, username: deviceId, password: token, ...extra });
}

export function connectClient(port: number, options: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** Attempts a connection that should be refused; resolves with the CONNACK return code. */
export async function connectRefusal(port: number, options: IClientOptions): Promise<number> {
  try {
    const client = await connectClient(port, options);
    await client.endAsync(true);
    return 0;
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (typeof code === 'number') return code;
    throw err;
  }
}

export function publishAsync(client: MqttClient, topic: string, payload: string | Buffer, qos: 0 | 1 = 1, retain = false): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos, retain }, (err) => (err ? reject(err) : resolve())));
}
