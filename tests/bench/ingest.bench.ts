import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { telemetryTopic } from '@airfleet/contracts';
import { startDeployedStack, type DeployedStack } from './deployed-stack.ts';
import { cpuSeconds, cpuSecondsOfTree, memoryKiB, memoryKiBOfTree } from './process-cpu.ts';
import { LeanPublisher } from './lean-mqtt.publisher.ts';
import { histogramQuantile, scrape, sumOf, type Scrape } from './prometheus-text.ts';
import { rawInsertRate } from './raw-insert.reference.ts';
import { runBench } from './run-bench.ts';

/**
 * Ingest benchmark: gateway (broker + ingest pipeline) and platform as separate processes
 * (as deployed), embedded PostgreSQL, and a load generator of real MQTT device connections
 * (one TCP connection and MQTT session per device, from a lean publisher: lean-mqtt.publisher.ts),
 * all on this machine.
 *   npm run bench:ingest -- --devices 1000 --rate 20000 --duration 30 [--overload] [--pg-statements]
 * Prints the persisted rate, publish→PUBACK latency at the device (a PUBACK means committed),
 * CPU per process, lost rows, and — from the same run — the raw insert rate of the same rows
 * into the same database, with the ratio. --overload then offers twice the measured ceiling
 * and prints what happens beyond it: persisted rate, peak memory per process, lost rows.
 */
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    overload: { type: 'boolean', default: false },
    // Profile the database side: the statements that took the most time in the measured run.
    'pg-statements': { type: 'boolean', default: false },
  },
});
const DEVICES = Number(args.devices);
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);

let stack: DeployedStack | undefined;
const clients: LeanPublisher[] = [];
const lastTs = new Map<string, number>();
let published = 0;
let acked = 0;
let inFlight = 0;
/** Offered slots skipped because the device already had MAX_IN_FLIGHT_PER_DEVICE unacknowledged. */
let deferred = 0;
const MAX_IN_FLIGHT_PER_DEVICE = 50;
const deviceInFlight = new Int32Array(DEVICES);

interface PhaseResult {
  rate: number;
  elapsed: number;
  persistedRate: number;
  pubackMs: { p50: number; p99: number; max: number };
  commitLag: { p50?: number; p99?: number };
  batchWrite: { p50?: number; p99?: number };
  batchMeanRows: number | undefined;
  cpu: Record<'gateway' | 'platform' | 'postgres' | 'loadgen', number>;
  peakMiB: Record<'gateway' | 'platform' | 'postgres' | 'loadgen', number>;
  published: number;
  acked: number;
  deferred: number;
}

const quantile = (sorted: Float64Array, q: number): number => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

/** Offers `rate` msg/s for WARMUP_S + DURATION_S, measuring the DURATION_S part. */
async function phase(s: DeployedStack, rate: number, pgPid: number, label: string): Promise<PhaseResult> {
  const ids = s.devices.map((d) => d.id);
  say(`${label}: offering ${rate.toLocaleString('en')} msg/s for ${WARMUP_S} + ${DURATION_S} s`);
  // Latencies of the measured window only, in a preallocated buffer (no growth under load).
  const lat = new Float64Array(Math.ceil(rate * (DURATION_S + 2)) + 1);
  let nLat = 0;
  let measuring = false;
  let sent = 0;
  let running = true;
  const startedAt = performance.now();
  const loop = (async () => {
    let next = 0;
    while (running) {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * rate);
      while (sent < due && running) {
        const idx = next++ % DEVICES;
        const id = ids[idx]!;
        sent += 1;
        // A device holds at most this many unacknowledged messages, as a real one does (the rest
        // waits in its own store): the load generator's memory stays bounded beyond the ceiling.
        if (deviceInFlight[idx]! >= MAX_IN_FLIGHT_PER_DEVICE) {
          deferred += 1;
          continue;
        }
        deviceInFlight[idx]! += 1;
        // Unique, increasing ms timestamps per device: (device id, ts) is the primary key.
        const ts = Math.max(Date.now(), (lastTs.get(id) ?? 0) + 1);
        lastTs.set(id, ts);
        const payload = JSON.stringify({ ts, seq: published, state: 'loaded', metrics: { pressureBar: 7.1, elementTempC: 84.2, powerKw: 39.6, flowM3Min: 6.3, motorCurrentA: 68 } });
        const t = performance.now();
        const measured = measuring;
        inFlight += 1;
        clients[idx]!.publish(payload, (err) => {
          inFlight -= 1;
          deviceInFlight[idx]! -= 1;
          if (err) return;
          acked += 1;
          if (measured && nLat < lat.length) lat[nLat++] = performance.now() - t;
        });
        published += 1;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  const pids = { gateway: s.gateway.proc.pid!, platform: s.platform.proc.pid! };
  const peak = { gateway: 0, platform: 0, postgres: 0, loadgen: 0 };
  const samplePeak = (): void => {
    peak.gateway = Math.max(peak.gateway, memoryKiB(pids.gateway));
    peak.platform = Math.max(peak.platform, memoryKiB(pids.platform));
    peak.postgres = Math.max(peak.postgres, memoryKiBOfTree(pgPid));
    peak.loadgen = Math.max(peak.loadgen, process.memoryUsage.rss() / 1024);
  };
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  measuring = true;
  const publishedAt0 = published;
  const ackedAt0 = acked;
  const deferredAt0 = deferred;
  const m0: Scrape = await scrape(s.metricsUrl);
  const t0 = performance.now();
  const cpu0 = { gateway: cpuSeconds(pids.gateway), platform: cpuSeconds(pids.platform), postgres: cpuSecondsOfTree(pgPid), loadgen: process.cpuUsage() };
  for (let sec = 1; sec <= DURATION_S; sec += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    samplePeak();
    if (sec % 5 === 0 || sec === DURATION_S) {
      const m = await scrape(s.metricsUrl);
      say(`      ${sec}/${DURATION_S} s: published ${published.toLocaleString('en')}, acknowledged ${acked.toLocaleString('en')}, stored ${sumOf(m, 'airfleet_ingest_rows_inserted_total').toLocaleString('en')}, gateway RSS ${(memoryKiB(pids.gateway) / 1024).toFixed(0)} MiB`);
    }
  }
  const m1 = await scrape(s.metricsUrl);
  const elapsed = (performance.now() - t0) / 1000;
  measuring = false;
  const lg = process.cpuUsage(cpu0.loadgen);
  const cpu = {
    gateway: (cpuSeconds(pids.gateway) - cpu0.gateway) / elapsed,
    platform: (cpuSeconds(pids.platform) - cpu0.platform) / elapsed,
    postgres: (cpuSecondsOfTree(pgPid) - cpu0.postgres) / elapsed,
    loadgen: (lg.user + lg.system) / 1e6 / elapsed,
  };
  running = false;
  await loop;
  const sorted = lat.slice(0, nLat).sort();
  const batches = sumOf(m1, 'airfleet_ingest_batch_rows_count') - sumOf(m0, 'airfleet_ingest_batch_rows_count');
  const persistedRows = sumOf(m1, 'airfleet_ingest_rows_inserted_total') - sumOf(m0, 'airfleet_ingest_rows_inserted_total');
  return {
    rate,
    elapsed,
    persistedRate: persistedRows / elapsed,
    pubackMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN },
    commitLag: { p50: histogramQuantile(m0, m1, 'airfleet_ingest_lag_seconds', 0.5), p99: histogramQuantile(m0, m1, 'airfleet_ingest_lag_seconds', 0.99) },
    batchWrite: { p50: histogramQuantile(m0, m1, 'airfleet_ingest_batch_seconds', 0.5), p99: histogramQuantile(m0, m1, 'airfleet_ingest_batch_seconds', 0.99) },
    batchMeanRows: batches > 0 ? persistedRows / batches : undefined,
    cpu,
    peakMiB: { gateway: peak.gateway / 1024, platform: peak.platform / 1024, postgres: peak.postgres / 1024, loadgen: peak.loadgen / 1024 },
    published: published - publishedAt0,
    acked: acked - ackedAt0,
    deferred: deferred - deferredAt0,
  };
}

/** Waits until every published message is acknowledged and stored; returns the stored count. */
async function drain(s: DeployedStack): Promise<number> {
  say('      draining …');
  const deadline = Date.now() + 120_000;
  let stored = 0;
  while (Date.now() < deadline) {
    stored = Number((await s.pool.query(`SELECT count(*) AS n FROM telemetry WHERE device_id LIKE 'B-%' AND ts > now() - interval '1 day'`)).rows[0].n);
    if (stored >= published && inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return stored;
}

const ms = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? 'n/a' : `${x.toFixed(1)} ms`);
const sec = (x: number | undefined): string => (x === undefined ? 'n/a' : `${(x * 1000).toFixed(1)} ms`);
const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;

function report(r: PhaseResult, stored: number): void {
  say(`
result (${DEVICES} devices, offered ${r.rate.toLocaleString('en')} msg/s, ${r.elapsed.toFixed(1)} s measured)
  persisted msg/s            ${r.persistedRate.toFixed(0)}
  publish→PUBACK p50         ${ms(r.pubackMs.p50)}   (at the device; a PUBACK means committed)
  publish→PUBACK p99         ${ms(r.pubackMs.p99)}   (max ${ms(r.pubackMs.max)})
  sample→commit p50 / p99    ${sec(r.commitLag.p50)} / ${sec(r.commitLag.p99)}
  rows per batch (mean)      ${r.batchMeanRows?.toFixed(1) ?? 'n/a'}
  batch write p50 / p99      ${sec(r.batchWrite.p50)} / ${sec(r.batchWrite.p99)}   (BEGIN … COMMIT, rules included)
  CPU gateway                ${pct(r.cpu.gateway)} of one core
  CPU platform               ${pct(r.cpu.platform)} of one core
  CPU postgres (all procs)   ${pct(r.cpu.postgres)} of one core
  CPU load generator         ${pct(r.cpu.loadgen)} of one core
  peak memory MiB            gateway ${r.peakMiB.gateway.toFixed(0)}, platform ${r.peakMiB.platform.toFixed(0)}, postgres ${r.peakMiB.postgres.toFixed(0)} (PSS), load generator ${r.peakMiB.loadgen.toFixed(0)}
  published / acked / stored ${published.toLocaleString('en')} / ${acked.toLocaleString('en')} / ${stored.toLocaleString('en')}
  deferred by the devices     ${r.deferred.toLocaleString('en')}   (offered while the device already waited for ${MAX_IN_FLIGHT_PER_DEVICE} PUBACKs)
  rows lost                  ${Math.max(0, acked - stored)}`);
}

/** The statements that cost the database most during the run (pg_stat_statements). */
async function reportStatements(s: DeployedStack): Promise<void> {
  const { rows } = await s.pool.query<{ calls: string; total: number; mean: number; rows: string; query: string }>(
    `SELECT calls, total_exec_time AS total, mean_exec_time AS mean, rows, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
  );
  say('\ndatabase time by statement (pg_stat_statements, top 15)\n  total ms    calls   mean ms      rows  statement');
  const size = await s.pool.query<{ stored: number; text: number }>(`SELECT avg(pg_column_size(state))::int AS stored, avg(length(state::text))::int AS text FROM device_rule_state`);
  say(`  rule state per device: ${size.rows[0]?.text} B as text, ${size.rows[0]?.stored} B stored`);
  for (const r of rows) {
    say(`  ${Number(r.total).toFixed(0).padStart(8)} ${String(r.calls).padStart(8)} ${Number(r.mean).toFixed(2).padStart(9)} ${String(r.rows).padStart(9)}  ${r.query.slice(0, 110)}`);
  }
}

async function main(): Promise<void> {
  say(`ingest benchmark: ${DEVICES} devices, ${RATE} msg/s offered, ${DURATION_S} s measured after ${WARMUP_S} s warm-up${args.overload ? ', then twice the ceiling' : ''}`);
  stack = await startDeployedStack({
    devicesPerModel: { AF37: DEVICES },
    pgSettings: args['pg-statements'] ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] : undefined,
    say: (l) => say(`      ${l}`),
  });
  if (args['pg-statements']) await stack.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const s = stack;
  const token = s.devices[0]!.token;
  const pgPid = Number((await readFile(path.join(s.pg.server.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

  say(`connecting ${DEVICES} devices`);
  for (const [i, d] of s.devices.entries()) {
    clients.push(await LeanPublisher.connect(s.mqttUrl, d.id, token, telemetryTopic(d.id)));
    if ((i + 1) % 250 === 0) say(`      ${i + 1}/${DEVICES} connected`);
  }

  if (args['pg-statements']) await s.pool.query('SELECT pg_stat_statements_reset()');
  const first = await phase(s, RATE, pgPid, 'run');
  const stored1 = await drain(s);
  report(first, stored1);
  if (args['pg-statements']) await reportStatements(s);

  say(`\nreference: the same rows inserted straight into the same table (one connection, 1,000-row transactions, INSERT … SELECT FROM unnest … ON CONFLICT DO NOTHING)`);
  const raw = await rawInsertRate(s.pool, s.devices.map((d) => d.id), Math.min(200_000, Math.max(20_000, stored1)), (line) => say(`      ${line}`));
  say(`  raw insert rows/s          ${raw.toFixed(0)}
  ingest / raw insert        ${pct(first.persistedRate / raw)}`);
  let lost = Math.max(0, acked - stored1);

  if (args.overload) {
    const offered = Math.round(2 * first.persistedRate);
    say(`\noverload: offering twice the ceiling measured above (${offered.toLocaleString('en')} msg/s)`);
    const over = await phase(s, offered, pgPid, 'overload');
    const stored2 = await drain(s);
    report(over, stored2);
    say(`  persisted vs first run     ${pct(over.persistedRate / first.persistedRate)}
  ingest / raw insert        ${pct(over.persistedRate / raw)}   (this rate against the reference above)`);
    lost = Math.max(0, acked - stored2);
  }
  process.exitCode = lost > 0 ? 1 : 0;
}

async function cleanup(): Promise<void> {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await stack?.close();
}

runBench(main, cleanup, async () => stack?.tails());
