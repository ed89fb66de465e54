import mqtt, { type MqttClient } from 'mqtt';
import { telemetryTopic } from '@airfleet/contracts';

/**
 * Background telemetry for a benchmark, in its own process (forked, driven over IPC): its
 * publishing and PUBACK handling must not delay the measuring process's own event loop, as the
 * devices it stands for would not share one with the device being measured.
 */
export interface TelemetryLoadStart {
  type: 'start';
  mqttUrl: string;
  devices: ReadonlyArray<{ id: string; token: string }>;
  /** Messages per second over all devices. */
  rate: number;
}

export type TelemetryLoadReport = { type: 'ready' } | { type: 'running' } | { type: 'stopped'; published: number; acked: number };

const send = (report: TelemetryLoadReport): void => void process.send?.(report);
const clients: MqttClient[] = [];
let running = false;
let published = 0;
let acked = 0;

const connect = (url: string, id: string, token: string): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId: id, username: id, password: token, protocolVersion: 4, reconnectPeriod: 1000 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });

async function start(msg: TelemetryLoadStart): Promise<void> {
  for (const d of msg.devices) clients.push(await connect(msg.mqttUrl, d.id, d.token));
  running = true;
  send({ type: 'running' });
  const lastTs = new Map<string, number>();
  const startedAt = performance.now();
  let next = 0;
  while (running) {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * msg.rate);
    while (published < due) {
      const i = next++ % clients.length;
      const id = msg.devices[i]!.id;
      // Unique, increasing ms timestamps per device: (device id, ts) is the primary key.
      const ts = Math.max(Date.now(), (lastTs.get(id) ?? 0) + 1);
      lastTs.set(id, ts);
      const payload = JSON.stringify({ ts, seq: published, state: 'loaded', metrics: { pressureBar: 7.1, elementTempC: 82, ambientTempC: 22, powerKw: 40, flowM3Min: 6.3, motorCurrentA: 66 } });
      clients[i]!.publish(telemetryTopic(id), payload, { qos: 1 }, (err) => {
        if (!err) acked += 1;
      });
      published += 1;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

process.on('message', (msg: TelemetryLoadStart | { type: 'stop' }) => {
  if (msg.type === 'start') {
    start(msg).catch((err) => {
      process.stderr.write(`telemetry load generator: ${String(err)}\n`);
      process.exit(1);
    });
  } else if (msg.type === 'stop') {
    running = false;
    void Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined))).then(() => {
      send({ type: 'stopped', published, acked });
      process.exit(0);
    });
  }
});
send({ type: 'ready' });
