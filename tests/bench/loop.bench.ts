import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { acksTopic, judgmentSchema, judgmentsTopic, telemetryTopic } from '@airfleet/contracts';
import { startDeployedStack, type DeployedStack } from './deployed-stack.ts';
import { histogramQuantile, scrape, type Scrape } from './prometheus-text.ts';
import { nextReport } from './child-report.ts';
import type { TelemetryLoadReport, TelemetryLoadStart } from './telemetry-loadgen.ts';
import { runBench } from './run-bench.ts';

/**
 * The cloud loop: publish a threshold-crossing sample, measure until the device receives
 * the judgment it causes, while background devices send `--rate` msg/s of telemetry.
 * Gateway and platform run as separate processes on embedded PostgreSQL.
 *   npm run bench:loop -- --probes 300 --rate 1000 --background 200
 */
const { values: args } = parseArgs({
  options: {
    probes: { type: 'string', default: '300' },
    rate: { type: 'string', default: '1000' },
    background: { type: 'string', default: '200' },
    'batch-wait-ms': { type: 'string', default: '10' },
  },
});
const PROBES = Number(args.probes);
const RATE = Number(args.rate);
const BACKGROUND = Number(args.background);
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
const connect = (url: string, id: string, token: string): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId: id, username: id, password: token, protocolVersion: 4, reconnectPeriod: 1000 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

let stack: DeployedStack | undefined;
let loadgen: ChildProcess | undefined;
const clients: MqttClient[] = [];

async function main(): Promise<void> {
  say(`loop benchmark: ${PROBES} probes, ${RATE} msg/s background from ${BACKGROUND} devices, INGEST_BATCH_WAIT_MS=${args['batch-wait-ms']}`);
  stack = await startDeployedStack({
    devicesPerModel: { AF37: BACKGROUND + PROBES },
    // The ingest (and so the rules that issue the judgment) runs in the gateway.
    gatewayEnv: { INGEST_BATCH_WAIT_MS: String(args['batch-wait-ms']) },
    say: (l) => say(`  ${l}`),
  });
  const background = stack.devices.slice(0, BACKGROUND);
  const probes = stack.devices.slice(BACKGROUND);

  say(`  connecting ${BACKGROUND} background devices (in a load-generator process of their own)`);
  loadgen = fork(fileURLToPath(new URL('./telemetry-loadgen.ts', import.meta.url)), [], {
    execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const lg = loadgen;
  const report = <T extends TelemetryLoadReport['type']>(type: T) => nextReport<TelemetryLoadReport, T>(lg, type);
  await report('ready');
  const start: TelemetryLoadStart = { type: 'start', mqttUrl: stack.mqttUrl, devices: background.map((d) => ({ id: d.id, token: d.token })), rate: RATE };
  lg.send(start);
  await report('running');
  const started = performance.now();
  await new Promise((r) => setTimeout(r, 3000));

  say(`  probing: each probe sends a normal sample, then one with the element at 121 °C (above the 120 °C trip limit)`);
  const latencies: number[] = [];
  let missed = 0;
  const m0 = await scrape(stack.metricsUrl);
  for (const [i, p] of probes.entries()) {
    const c = await connect(stack.mqttUrl, p.id, p.token);
    clients.push(c);
    await c.subscribeAsync(judgmentsTopic(p.id), { qos: 1 });
    await c.publishAsync(telemetryTopic(p.id), JSON.stringify({ ts: Date.now() - 1000, seq: 0, state: 'loaded', metrics: { elementTempC: 85, ambientTempC: 22, pressureBar: 7 } }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const got = new Promise<number>((resolve) => {
      c.on('message', (topic, payload) => {
        const j = judgmentSchema.safeParse(JSON.parse(payload.toString()));
        if (!j.success) return;
        resolve(performance.now());
        c.publish(acksTopic(p.id), JSON.stringify({ judgmentId: j.data.id, ts: Date.now(), result: 'applied' }), { qos: 1 });
      });
    });
    const t0 = performance.now();
    c.publish(telemetryTopic(p.id), JSON.stringify({ ts: Date.now(), seq: 1, state: 'loaded', metrics: { elementTempC: 121, ambientTempC: 22, pressureBar: 7 } }), { qos: 1 });
    const t1 = await Promise.race([got, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
    if (t1 < 0) missed += 1;
    else latencies.push(t1 - t0);
    if ((i + 1) % 50 === 0) say(`  ${i + 1}/${PROBES} probes`);
    await c.endAsync();
  }
  const m1 = await scrape(stack.metricsUrl);
  const stopped = report('stopped');
  lg.send({ type: 'stop' });
  const { published } = await stopped;
  const elapsed = (performance.now() - started) / 1000;
  const q = (name: string, p: number): string => `${((histogramQuantile(m0, m1, name, p) ?? Number.NaN) * 1000).toFixed(1)} ms`;
  latencies.sort((a, b) => a - b);
  say(`
result (${PROBES} probes; background ${(published / elapsed).toFixed(0)} msg/s from ${BACKGROUND} devices)
  sample → judgment at the device   p50 ${quantile(latencies, 0.5).toFixed(1)} ms   p99 ${quantile(latencies, 0.99).toFixed(1)} ms   max ${latencies.at(-1)?.toFixed(1)} ms
  judgments received                ${latencies.length} / ${PROBES}${missed ? `  (${missed} missed within 5 s)` : ''}
  ingest batch write p50 / p99      ${q('airfleet_ingest_batch_seconds', 0.5)} / ${q('airfleet_ingest_batch_seconds', 0.99)}   (gateway, all traffic)
  sample → commit p50 / p99         ${q('airfleet_ingest_lag_seconds', 0.5)} / ${q('airfleet_ingest_lag_seconds', 0.99)}
  gateway GC pauses                 ${gcLine(m0, m1)}`);
  process.exitCode = missed > 0 ? 1 : 0;
}

/** Gateway garbage collection while probing, per kind: count, total and the largest bucket reached. */
function gcLine(m0: Scrape, m1: Scrape): string {
  const kinds = ['minor', 'major', 'incremental'];
  return kinds
    .map((kind) => {
      const key = (suffix: string): string => `nodejs_gc_duration_seconds_${suffix}{kind="${kind}"}`;
      const n = (m1.get(key('count')) ?? 0) - (m0.get(key('count')) ?? 0);
      const total = ((m1.get(key('sum')) ?? 0) - (m0.get(key('sum')) ?? 0)) * 1000;
      return `${kind} ${n} (${total.toFixed(0)} ms)`;
    })
    .join(', ');
}

async function cleanup(): Promise<void> {
  loadgen?.kill();
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await stack?.close();
}

runBench(main, cleanup, async () => stack?.tails());
