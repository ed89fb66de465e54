import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { GATEWAY_NODE_ARGS, spawnChild, stopChild, tail, waitForHttp, type Child } from '@airfleet/launcher';
import { createPool, DEMO_CUSTOMERS, seedDemo, syncCatalogue } from '@airfleet/platform';
import { createDeviceTokenHasher, createLogger, hashSecret, newToken } from '@airfleet/runtime';
import { freePorts } from '../support/free-port.ts';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';
import { benchToken, insertBenchDevices } from './bench-devices.ts';
import { nextReport } from './child-report.ts';
import type { LoadgenReport, LoadgenStart } from './connect-loadgen.ts';
import { cpuSeconds } from './process-cpu.ts';
import { rssKiB } from './process-memory.ts';
import { scrape, sumOf } from './prometheus-text.ts';
import { runBench } from './run-bench.ts';

/**
 * Reconnect storm: N devices provisioned in PostgreSQL, a real gateway process started cold, then
 * N real MQTT clients connecting at once (bounded concurrency, from load-generator processes).
 * Prints total time, connects/s, gateway CPU per connect and RSS per connected device, and the
 * same figures for a smaller fleet with legacy scrypt hashes as the reference.
 *   npm run bench:connect -- --devices 10000 --reference 500
 */
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    reference: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '100' },
    loadgens: { type: 'string', default: '2' },
    // Node/V8 flags of the gateway process, space-separated, to compare heap settings (default: as deployed).
    'gateway-node-args': { type: 'string' },
    // Keep the fleet connected this long after measuring, e.g. to take a heap snapshot of the gateway.
    hold: { type: 'string', default: '0' },
  },
});
const GATEWAY_ARGS = args['gateway-node-args'] === undefined ? GATEWAY_NODE_ARGS : args['gateway-node-args'].split(' ').filter(Boolean);
const DEVICES = Number(args.devices);
const REFERENCE = Number(args.reference);
const CONCURRENCY = Number(args.concurrency);
const LOADGENS = Math.max(1, Number(args.loadgens));
const TARGET_S = 30;
const TARGET_KIB_PER_DEVICE = 30;
/** The bench connects thousands of clients from a few loopback addresses: lift the per-address limit. */
const RATE_LIMIT_ENV = { CONNECT_RATE_PER_IP_PER_S: '100000', CONNECT_BURST_PER_IP: '100000' };
/** What the platform used for device tokens before HMAC: the default scrypt cost. */
const SCRYPT = 'N=16384, r=8, p=1';

/** Tokens are derived from these and the device id (bench-devices.ts), so load generators need no token list. */
const TOKEN_SEED = { hmac: newToken(), scrypt: newToken() };

const root = fileURLToPath(new URL('../../', import.meta.url));
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface PhaseResult {
  label: string;
  devices: number;
  seconds: number;
  connected: number;
  failed: number;
  retries: number;
  errors: Record<string, number>;
  cpuMsPerConnect: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  gaugeConnected: number;
  refusals: Record<string, number>;
}

let scratch: ScratchPostgres | undefined;
let pool: pg.Pool | undefined;
let gateway: Child | undefined;
const loadgens: ChildProcess[] = [];

function forkLoadgen(): Promise<ChildProcess> {
  const child = fork(path.join(root, 'tests/bench/connect-loadgen.ts'), [], {
    execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  loadgens.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (m: LoadgenReport) => (m.type === 'ready' ? resolve(child) : reject(new Error(`load generator said ${m.type} first`))));
    child.once('exit', (code) => reject(new Error(`load generator exited (${code}) before it was ready`)));
  });
}

async function runPhase(opts: { label: string; prefix: string; count: number; tokenSeed: string; pepper: string; logDir: string }): Promise<PhaseResult> {
  const [mqttPort, httpPort] = (await freePorts(2)) as [number, number];
  gateway = spawnChild(`gateway-${opts.prefix}`, path.join(root, 'gateway/src/main.ts'), {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    MQTT_PORT: String(mqttPort),
    GATEWAY_HTTP_PORT: String(httpPort),
    DATABASE_URL: scratch!.url,
    MQTT_SERVICE_PASSWORD: newToken(24),
    DEVICE_TOKEN_PEPPER: opts.pepper,
    ...RATE_LIMIT_ENV,
  }, opts.logDir, GATEWAY_ARGS);
  const metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
  await waitForHttp(`http://127.0.0.1:${httpPort}/healthz`, gateway, 60_000);
  const pid = gateway.proc.pid!;

  const generators = Math.min(LOADGENS, Math.ceil(opts.count / CONCURRENCY));
  const children = await Promise.all(Array.from({ length: generators }, forkLoadgen));
  await sleep(1_000); // let start-up garbage settle before the baseline
  const m0 = await scrape(metricsUrl);
  const rssBeforeKiB = rssKiB(pid);
  const cpu0 = cpuSeconds(pid);

  say(`      ${opts.count.toLocaleString('en')} clients from ${generators} load generator(s), ${CONCURRENCY} connects in flight each`);
  const connected = new Array<number>(generators).fill(0);
  const done = children.map((child, k) => {
    child.on('message', (m: LoadgenReport) => {
      if (m.type === 'progress' || m.type === 'connected') connected[k] = m.connected;
    });
    return nextReport<LoadgenReport, 'connected'>(child, 'connected');
  });
  const per = Math.ceil(opts.count / generators);
  const t0 = performance.now();
  children.forEach((child, k) => {
    const start: LoadgenStart = {
      type: 'start',
      host: '127.0.0.1',
      port: mqttPort,
      localAddress: `127.0.0.${2 + k}`,
      prefix: opts.prefix,
      from: k * per,
      to: Math.min(opts.count, (k + 1) * per),
      tokenSeed: opts.tokenSeed,
      concurrency: CONCURRENCY,
    };
    child.send(start);
  });
  const ticker = setInterval(() => {
    const n = connected.reduce((a, b) => a + b, 0);
    say(`      ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s: ${n.toLocaleString('en')}/${opts.count.toLocaleString('en')} connected`);
  }, 2_000);
  const reports = await Promise.all(done);
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(pid);
  clearInterval(ticker);

  await sleep(2_000); // allocation of the last connects settles before the RSS reading
  const rssAfterKiB = rssKiB(pid);
  const m1 = await scrape(metricsUrl);
  if (Number(args.hold) > 0) {
    say(`      holding ${opts.count.toLocaleString('en')} connections for ${args.hold} s (gateway pid ${pid}, log ${gateway.logFile})`);
    await sleep(Number(args.hold) * 1000);
  }

  say('      disconnecting …');
  await Promise.all(children.map(async (child) => {
    const bye = nextReport<LoadgenReport, 'disconnected'>(child, 'disconnected').catch(() => undefined);
    child.send({ type: 'disconnect' });
    await bye;
  }));
  await stopChild(gateway);
  const refusals = await refusalsIn(gateway.logFile);
  gateway = undefined;

  const total = reports.reduce((a, r) => a + r.connected, 0);
  const errors: Record<string, number> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    label: opts.label,
    devices: opts.count,
    seconds,
    connected: total,
    failed: reports.reduce((a, r) => a + r.failed, 0),
    retries: reports.reduce((a, r) => a + r.retries, 0),
    errors,
    cpuMsPerConnect: ((cpu1 - cpu0) * 1000) / Math.max(1, total),
    rssBeforeKiB,
    rssAfterKiB,
    heapBeforeMiB: sumOf(m0, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    heapAfterMiB: sumOf(m1, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    gaugeConnected: sumOf(m1, 'airfleet_gateway_connected_clients'),
    refusals,
  };
}

/** Why the gateway refused connects, from its log (counted by reason and error), for the report. */
async function refusalsIn(logFile: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const line of (await readFile(logFile, 'utf8').catch(() => '')).split('\n')) {
    if (!line.includes('"connect refused"')) continue;
    try {
      const entry = JSON.parse(line) as { returnCode?: number; reason?: string; err?: { message?: string } };
      const key = `${entry.returnCode} ${entry.reason}${entry.err?.message ? `: ${entry.err.message}` : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    } catch {
      // not a JSON log line
    }
  }
  return counts;
}

function report(r: PhaseResult, title: string): void {
  const perDevice = (r.rssAfterKiB - r.rssBeforeKiB) / Math.max(1, r.connected);
  const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
  say(`
${title}
  devices connected          ${r.connected.toLocaleString('en')} of ${r.devices.toLocaleString('en')} (gateway gauge ${r.gaugeConnected.toLocaleString('en')}; failed ${r.failed}, retried ${r.retries})
  total time                 ${r.seconds.toFixed(2)} s
  connects/s                 ${(r.connected / r.seconds).toFixed(0)}
  gateway CPU per connect    ${r.cpuMsPerConnect.toFixed(2)} ms
  gateway RSS before/after   ${mib(r.rssBeforeKiB)} / ${mib(r.rssAfterKiB)}
  RSS per connected device   ${perDevice.toFixed(1)} KiB
  gateway heap before/after  ${r.heapBeforeMiB.toFixed(1)} MiB / ${r.heapAfterMiB.toFixed(1)} MiB`);
  if (Object.keys(r.errors).length) say(`  connect errors (retried)   ${JSON.stringify(r.errors)}`);
  if (Object.keys(r.refusals).length) say(`  gateway refusals           ${JSON.stringify(r.refusals)}`);
}

async function main(): Promise<void> {
  say(`connect benchmark: ${DEVICES.toLocaleString('en')} devices (HMAC-SHA-256 tokens), reference ${REFERENCE.toLocaleString('en')} devices (legacy scrypt ${SCRYPT})`);
  say(`      gateway node flags: ${GATEWAY_ARGS.join(' ') || '(none)'}${args['gateway-node-args'] === undefined ? ' (as deployed)' : ''}`);
  say(`      per-address connect limit raised for the bench: ${Object.entries(RATE_LIMIT_ENV).map(([k, v]) => `${k}=${v}`).join(', ')} (defaults 50/s, burst 200)`);
  say('      starting embedded PostgreSQL');
  scratch = await startScratchPostgres('bench-connect');
  const logDir = path.dirname(scratch.server.dataDir);
  pool = createPool(scratch.url, createLogger('bench', { level: 'warn' }), 4);
  await syncCatalogue(pool);
  const pepper = newToken(32);
  await seedDemo(pool, { deviceTokenPepper: pepper });
  const siteIds = DEMO_CUSTOMERS.flatMap((c) => c.sites.map((s) => s.id));

  const hasher = createDeviceTokenHasher(pepper);
  const t = performance.now();
  await insertBenchDevices(pool, {
    prefix: 'CH',
    count: DEVICES,
    modelId: 'AF37',
    siteIds,
    tokenHashOf: (id) => hasher.hash(benchToken(TOKEN_SEED.hmac, id)),
    onProgress: (n, total) => say(`      provisioned ${n.toLocaleString('en')}/${total.toLocaleString('en')} devices (HMAC)`),
  });
  say(`      provisioning took ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (REFERENCE > 0) {
    say(`      hashing ${REFERENCE} reference tokens with scrypt …`);
    // scrypt runs on the thread pool: hash them all at once, then insert in one go.
    const ids = Array.from({ length: REFERENCE }, (_, i) => `CS-${String(i).padStart(6, '0')}`);
    const hashes = new Map(await Promise.all(ids.map(async (id) => [id, await hashSecret(benchToken(TOKEN_SEED.scrypt, id))] as const)));
    await insertBenchDevices(pool, {
      prefix: 'CS',
      count: REFERENCE,
      modelId: 'AF37',
      siteIds,
      tokenHashOf: (id) => hashes.get(id)!,
      onProgress: (n, total) => say(`      provisioned ${n.toLocaleString('en')}/${total.toLocaleString('en')} devices (scrypt)`),
    });
  }

  say('\nphase 1: HMAC-SHA-256 device hashes, gateway started cold');
  const hmac = await runPhase({ label: 'hmac', prefix: 'CH', count: DEVICES, tokenSeed: TOKEN_SEED.hmac, pepper, logDir });
  let scrypt: PhaseResult | undefined;
  if (REFERENCE > 0) {
    say('\nphase 2 (reference): legacy scrypt device hashes, gateway started cold (each first connect also re-hashes the row)');
    scrypt = await runPhase({ label: 'scrypt', prefix: 'CS', count: REFERENCE, tokenSeed: TOKEN_SEED.scrypt, pepper, logDir });
  }

  report(hmac, `result: HMAC-SHA-256, ${DEVICES.toLocaleString('en')} devices`);
  if (scrypt) {
    report(scrypt, `reference: legacy scrypt (${SCRYPT}), ${REFERENCE.toLocaleString('en')} devices
  (RSS here includes scrypt's 16 MiB working memory per thread-pool thread, not per device)`);
    const hmacRate = hmac.connected / hmac.seconds;
    const scryptRate = scrypt.connected / scrypt.seconds;
    say(`
ratio (scrypt / HMAC)
  gateway CPU per connect    ${(scrypt.cpuMsPerConnect / Math.max(0.001, hmac.cpuMsPerConnect)).toFixed(1)} ×
  connects/s (HMAC / scrypt) ${(hmacRate / scryptRate).toFixed(1)} ×`);
  }
  const perDevice = (hmac.rssAfterKiB - hmac.rssBeforeKiB) / Math.max(1, hmac.connected);
  const timeVerdict = DEVICES < 10_000 ? 'not judged below 10,000 devices' : hmac.connected === DEVICES && hmac.seconds <= TARGET_S ? 'met' : 'NOT met';
  say(`
targets
  10,000 devices in <= ${TARGET_S} s      ${timeVerdict} (${hmac.seconds.toFixed(1)} s for ${DEVICES.toLocaleString('en')})
  <= ${TARGET_KIB_PER_DEVICE} KiB RSS per device    ${perDevice <= TARGET_KIB_PER_DEVICE ? 'met' : 'NOT met'} (${perDevice.toFixed(1)} KiB)`);
  process.exitCode = hmac.failed > 0 || (scrypt?.failed ?? 0) > 0 ? 1 : 0;
}

async function cleanup(): Promise<void> {
  for (const child of loadgens) if (child.exitCode === null) child.kill('SIGKILL');
  if (gateway) await stopChild(gateway);
  await pool?.end().catch(() => undefined);
  await scratch?.dispose();
}

runBench(main, cleanup, async () => (gateway ? `--- ${gateway.name}\n${await tail(gateway.logFile)}` : undefined));
