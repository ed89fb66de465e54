import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { telemetryTopic } from '@airfleet/contracts';
import { startDeployedStack, type DeployedStack } from './deployed-stack.ts';
import { cpuSeconds, cpuSecondsOfTree } from './process-cpu.ts';
import { histogramQuantile, scrape, sumOf, type Scrape } from './prometheus-text.ts';
import { runBench } from './run-bench.ts';

/**
 * Baseline ingest benchmark: gateway and platform as separate processes (as deployed),
 * embedded PostgreSQL, and a load generator of real MQTT device connections.
 *   npm run bench:ingest -- --devices 200 --rate 1000 --duration 30
 */
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
  },
});
const DEVICES = Number(args.devices);
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);

let stack: DeployedStack | undefined;
const clients: MqttClient[] = [];

async function main(): Promise<void> {
  say(`ingest benchmark: ${DEVICES} devices, ${RATE} msg/s target, ${DURATION_S} s measured after ${WARMUP_S} s warm-up`);
  stack = await startDeployedStack({ devicesPerModel: { AF37: DEVICES }, say: (l) => say(`      ${l}`) });
  const { pool, gateway, platform } = stack;
  const ids = stack.devices.map((d) => d.id);
  const token = stack.devices[0]!.token;

  say(`connecting ${DEVICES} devices`);
  for (const [i, id] of ids.entries()) {
    clients.push(
      await new Promise<MqttClient>((resolve, reject) => {
        const c = mqtt.connect(stack!.mqttUrl, { clientId: id, username: id, password: token, protocolVersion: 4, reconnectPeriod: 1000 });
        c.once('connect', () => resolve(c));
        c.once('error', reject);
      }),
    );
    if ((i + 1) % 100 === 0) say(`      ${i + 1}/${DEVICES} connected`);
  }

  say(`publishing at ${RATE} msg/s`);
  let published = 0;
  let inFlight = 0;
  const lastTs = new Map<string, number>();
  let running = true;
  const startedAt = performance.now();
  const loop = (async () => {
    let next = 0;
    while (running) {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * RATE);
      while (published < due && running) {
        const idx = next++ % DEVICES;
        const id = ids[idx]!;
        // Unique, increasing ms timestamps per device: (device id, ts) is the primary key.
        const ts = Math.max(Date.now(), (lastTs.get(id) ?? 0) + 1);
        lastTs.set(id, ts);
        const payload = JSON.stringify({ ts, seq: published, state: 'loaded', metrics: { pressureBar: 7.1, elementTempC: 84.2, powerKw: 39.6, flowM3Min: 6.3, motorCurrentA: 68 } });
        inFlight += 1;
        clients[idx]!.publish(telemetryTopic(id), payload, { qos: 1 }, () => (inFlight -= 1));
        published += 1;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  const metricsUrl = stack.metricsUrl;
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const m0: Scrape = await scrape(metricsUrl);
  const t0 = performance.now();
  const pgPid = Number((await readFile(path.join(stack.pg.server.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const cpu0 = { gateway: cpuSeconds(gateway.proc.pid!), platform: cpuSeconds(platform.proc.pid!), postgres: cpuSecondsOfTree(pgPid), loadgen: process.cpuUsage() };
  for (let s = 1; s <= DURATION_S; s += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    if (s % 5 === 0 || s === DURATION_S) {
      const m = await scrape(metricsUrl);
      say(`      ${s}/${DURATION_S} s: published ${published.toLocaleString('en')}, stored ${sumOf(m, 'airfleet_ingest_rows_inserted_total').toLocaleString('en')}`);
    }
  }
  const m1 = await scrape(metricsUrl);
  const elapsed = (performance.now() - t0) / 1000;
  const lg = process.cpuUsage(cpu0.loadgen);
  const cpu = {
    gateway: (cpuSeconds(gateway.proc.pid!) - cpu0.gateway) / elapsed,
    platform: (cpuSeconds(platform.proc.pid!) - cpu0.platform) / elapsed,
    postgres: (cpuSecondsOfTree(pgPid) - cpu0.postgres) / elapsed,
    loadgen: (lg.user + lg.system) / 1e6 / elapsed,
  };
  running = false;
  await loop;

  say('      draining …');
  const deadline = Date.now() + 60_000;
  let stored = 0;
  while (Date.now() < deadline) {
    stored = Number((await pool.query(`SELECT count(*) AS n FROM telemetry WHERE device_id LIKE 'B-%'`)).rows[0].n);
    if (stored >= published && inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }

  const persistedRate = (sumOf(m1, 'airfleet_ingest_rows_inserted_total') - sumOf(m0, 'airfleet_ingest_rows_inserted_total')) / elapsed;
  const p50 = histogramQuantile(m0, m1, 'airfleet_ingest_lag_seconds', 0.5);
  const p99 = histogramQuantile(m0, m1, 'airfleet_ingest_lag_seconds', 0.99);
  const batches = sumOf(m1, 'airfleet_ingest_batch_rows_count') - sumOf(m0, 'airfleet_ingest_batch_rows_count');
  const fmt = (s: number | undefined): string => (s === undefined ? 'n/a' : `${(s * 1000).toFixed(1)} ms`);
  const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
  say(`
result (${DEVICES} devices, target ${RATE} msg/s, ${elapsed.toFixed(1)} s measured)
  persisted msg/s            ${persistedRate.toFixed(0)}
  publish→commit p50         ${fmt(p50)}
  publish→commit p99         ${fmt(p99)}
  rows per batch (mean)      ${batches > 0 ? (persistedRate * elapsed / batches).toFixed(1) : 'n/a'}
  CPU gateway                ${pct(cpu.gateway)} of one core
  CPU platform               ${pct(cpu.platform)} of one core
  CPU postgres (all procs)   ${pct(cpu.postgres)} of one core
  CPU load generator         ${pct(cpu.loadgen)} of one core
  published / stored         ${published.toLocaleString('en')} / ${stored.toLocaleString('en')}
  rows lost                  ${Math.max(0, published - stored)}`);
  process.exitCode = published - stored > 0 ? 1 : 0;
}

async function cleanup(): Promise<void> {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await stack?.close();
}

runBench(main, cleanup, async () => stack?.tails());
