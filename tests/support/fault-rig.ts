import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { judgmentSchema, judgmentsTopic, telemetryTopic } from '@airfleet/contracts';
import { spawnChild, stopChild, tail, waitForHttp, type Child } from '@airfleet/launcher';
import { createPool, seedDemo, syncCatalogue } from '@airfleet/platform';
import { createLogger, newToken } from '@airfleet/runtime';
import { BENCH_DEVICE_TOKEN_PEPPER, provisionBenchDevices, type BenchDevice } from '../bench/bench-stack.ts';
import { scrape, sumOf } from '../bench/prometheus-text.ts';
import { startScratchPostgres, type ScratchPostgres } from './scratch-postgres.ts';
import { waitFor } from './wait-for.ts';

/**
 * Fault injection against the deployed shape: embedded PostgreSQL, the gateway and the
 * platform as real child processes, and real mqtt.js devices publishing telemetry at QoS 1.
 * Shared by tests/system/faults.test.ts (small) and tests/bench/faults.bench.ts (larger).
 *
 * The promise under test: a PUBACK means "committed in PostgreSQL". So whatever is killed,
 * stopped or restarted, every message a device saw acknowledged is stored, once, with its seq,
 * and (devices re-send what was not acknowledged) after recovery every message is acknowledged.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const DEVICE_MODEL = 'AF37';

// ---------------------------------------------------------------------------------------------
// The rig: PostgreSQL + gateway + platform, each of which a fault may stop and start again.

export interface FaultRig {
  pg: ScratchPostgres;
  /** The rig's own pool (verification queries); tolerates the database going away. */
  pool: pg.Pool;
  databaseUrl: string;
  devices: BenchDevice[];
  /** Where devices connect: the gateway, or in a cluster HAProxy in front of the gateways. */
  mqttUrl: string;
  /** Base URL of the platform's HTTP API: the platform, or in a cluster HAProxy in front of the platforms. */
  platformUrl: string;
  /** The current gateway / platform process (a restart replaces it); in a cluster, the first one of each. */
  readonly gateway: Child;
  readonly platform: Child;
  /** In a cluster, every gateway and platform, by index (each a slot with fixed ports); else the one of each. */
  readonly gateways: readonly Child[];
  readonly platforms: readonly Child[];
  /** Spawns gateway `index` (default 0) on its fixed ports; `wait: false` returns before it listens. */
  startGateway(opts?: { wait?: boolean; index?: number }): Promise<void>;
  waitGatewayReady(index?: number): Promise<void>;
  startPlatform(index?: number): Promise<void>;
  /** In a cluster: HAProxy's view of each backend server (`gw1`, `gw2`, `platform1`, …) → UP, DOWN, …; else empty. */
  balancerStatus(): Promise<Record<string, string>>;
  /** The index of the gateway whose log last shows `deviceId` authenticated, or -1. */
  gatewayOf(deviceId: string): Promise<number>;
  /** Fast shutdown of PostgreSQL (SIGINT), and a start on the same port and data. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** Starts PostgreSQL, the gateway or the platform again if it is not running (after a failed fault). */
  ensureRunning(): Promise<void>;
  /** Sends `signal` (the exit is then expected, not a crash); resolves with the exit code once the process is gone. */
  signal(child: Child, signal: NodeJS.Signals): Promise<number | null>;
  /** Exits of a gateway or platform that no `signal` caused, in order. */
  readonly crashes: readonly string[];
  /** Sum of a metric (all label sets) of gateway `index` (default 0); that gateway must be up. */
  gatewayMetric(name: string, index?: number): Promise<number>;
  /** Resolves once the current log of `child` contains `text` after byte `fromByte`. */
  waitForLog(child: Child, text: string, fromByte: number, timeoutMs?: number): Promise<void>;
  logSize(child: Child): Promise<number>;
  /** The last lines of every process's log (all incarnations), for a failure report. */
  tails(lines?: number): Promise<string>;
  /** Copies the logs (gateway.log, platform.log) into `dir`. */
  keepLogs(dir: string): Promise<void>;
  close(): Promise<void>;
}

export interface FaultRigOptions {
  devices: number;
  say?: (line: string) => void;
  /**
   * The scaled-out shape: this many gateway and platform processes on the one database, with
   * HAProxy (Debian package `haproxy`) in front: TCP round robin to the gateways' MQTT ports,
   * health-checked on their /healthz, and HTTP round robin to the platforms. See `haproxyVersion`.
   */
  cluster?: { gateways: number; platforms: number };
}

/** `haproxy -v`'s first line, or undefined when HAProxy is not installed. */
export function haproxyVersion(): string | undefined {
  const r = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0]?.trim() : undefined;
}

/** HAProxy's configuration for the rig's cluster: the same shape as infra/haproxy.cfg, on loopback ports. */
function haproxyConfig(p: { mqttPort: number; httpPort: number; statsPort: number; gateways: Array<{ mqtt: number; http: number }>; platforms: number[] }): string {
  return [
    'global',
    '  maxconn 4000',
    'defaults',
    '  timeout connect 2s',
    // Longer than the devices' keepalive: an idle MQTT connection is not a dead one.
    '  timeout client 5m',
    '  timeout server 5m',
    '  retries 2',
    // A connection refused by a gateway that died is retried on another one.
    '  option redispatch',
    'frontend mqtt',
    '  mode tcp',
    `  bind 127.0.0.1:${p.mqttPort}`,
    '  default_backend gateways',
    'backend gateways',
    '  mode tcp',
    '  balance roundrobin',
    '  option httpchk GET /healthz',
    '  http-check expect status 200',
    // A gateway marked down has its remaining sessions closed: those devices reconnect elsewhere.
    '  default-server inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions',
    ...p.gateways.map((g, i) => `  server gw${i + 1} 127.0.0.1:${g.mqtt} check port ${g.http}`),
    'frontend http',
    '  mode http',
    '  timeout client 30s',
    `  bind 127.0.0.1:${p.httpPort}`,
    '  default_backend platforms',
    'backend platforms',
    '  mode http',
    '  option forwardfor',
    '  timeout server 30s',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    '  default-server inter 300ms fall 2 rise 2',
    ...p.platforms.map((port, i) => `  server platform${i + 1} 127.0.0.1:${port} check`),
    'frontend stats',
    '  mode http',
    '  timeout client 30s',
    `  bind 127.0.0.1:${p.statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

/**
 * Ports of processes that are killed and restarted on the same port must not lie in the
 * kernel's ephemeral range: there a reconnecting client (or the readiness poll) may be given
 * the very port as its local port while nothing listens on it, connect to itself (TCP
 * simultaneous open) and keep the restarted process from binding. Probed like free-port.ts.
 */
async function freeFixedPorts(n: number): Promise<number[]> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const lowest = Number(range.trim().split(/\s+/)[0]) || 32768;
  const lo = Math.max(10_000, lowest - 12_000);
  const hi = lowest - 1;
  const ports: number[] = [];
  for (let attempt = 0; ports.length < n && attempt < 500; attempt += 1) {
    const port = lo + Math.floor(Math.random() * (hi - lo));
    if (ports.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) ports.push(port);
  }
  if (ports.length < n) throw new Error(`no ${n} free ports below ${lowest}`);
  return ports;
}

export async function startFaultRig(opts: FaultRigOptions): Promise<FaultRig> {
  const say = opts.say ?? (() => undefined);
  say('starting embedded PostgreSQL');
  const scratch = await startScratchPostgres('faults');
  const logDir = path.dirname(scratch.server.dataDir);
  const pool = createPool(scratch.url, createLogger('fault-rig', { level: 'silent' }), 4);
  const children: Child[] = [];
  const expectedExits = new Set<Child>();
  const crashes: string[] = [];
  const watch = (child: Child): Child => {
    children.push(child);
    void child.exited.then((code) => {
      if (!expectedExits.has(child)) crashes.push(`${child.name} (pid ${child.proc.pid}) exited by itself with ${code ?? child.proc.signalCode}`);
    });
    return child;
  };
  let pgUp = true;
  const cluster = opts.cluster;
  const gatewayCount = cluster?.gateways ?? 1;
  const platformCount = cluster?.platforms ?? 1;
  // One slot per process; a restart puts a new incarnation in the same slot (same ports).
  const gateways: Array<Child | undefined> = Array.from({ length: gatewayCount }, () => undefined);
  const platforms: Array<Child | undefined> = Array.from({ length: platformCount }, () => undefined);
  const running = (c: Child | undefined): c is Child => c !== undefined && c.proc.exitCode === null && c.proc.signalCode === null;

  const close = async (): Promise<void> => {
    // Every incarnation, newest first: a killed one is already gone (stopChild returns at once).
    for (const child of [...children].reverse()) {
      expectedExits.add(child);
      await stopChild(child, 5_000).catch(() => undefined);
    }
    await pool.end().catch(() => undefined);
    await scratch.dispose();
  };

  try {
    await syncCatalogue(pool);
    await seedDemo(pool, { deviceTokenPepper: BENCH_DEVICE_TOKEN_PEPPER });
    const devices = await provisionBenchDevices(pool, { [DEVICE_MODEL]: opts.devices }, 'F');
    say(`provisioned ${devices.length} devices`);

    const ports = await freeFixedPorts(2 * gatewayCount + platformCount + (cluster ? 3 : 0));
    const gatewayPorts = Array.from({ length: gatewayCount }, () => ({ mqtt: ports.shift()!, http: ports.shift()! }));
    const platformPorts = Array.from({ length: platformCount }, () => ports.shift()!);
    const balancer = cluster ? { mqtt: ports.shift()!, http: ports.shift()!, stats: ports.shift()! } : undefined;
    // A minimal environment: nothing of the caller's (DATABASE_URL, SMTP_URL, NODE_OPTIONS…) leaks in.
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      NODE_ENV: 'test',
      // info: the faults wait for "shutting down" and "waiting for database"; restarts stay readable in the logs.
      LOG_LEVEL: 'info',
      DATABASE_URL: scratch.url,
      DEVICE_TOKEN_PEPPER: BENCH_DEVICE_TOKEN_PEPPER,
      MQTT_SERVICE_PASSWORD: newToken(24),
      HOST: '127.0.0.1',
    };
    const gatewayEnv = (i: number): NodeJS.ProcessEnv => ({
      ...base,
      MQTT_PORT: String(gatewayPorts[i]!.mqtt),
      GATEWAY_HTTP_PORT: String(gatewayPorts[i]!.http),
      CONNECT_BURST_PER_IP: '100000',
      CONNECT_RATE_PER_IP_PER_S: '100000',
      PUBLISH_RATE_PER_DEVICE_PER_S: '100000',
      PUBLISH_BURST_PER_DEVICE: '100000',
    });
    // Behind HAProxy, the client address comes from X-Forwarded-For (rate limits are per client).
    const platformEnv = (i: number): NodeJS.ProcessEnv => ({ ...base, HTTP_PORT: String(platformPorts[i]!), ...(cluster ? { TRUST_PROXY: '1' } : {}) });
    const healthz = (i: number): string => `http://127.0.0.1:${gatewayPorts[i]!.http}/healthz`;
    const metricsUrl = (i: number): string => `http://127.0.0.1:${gatewayPorts[i]!.http}/metrics`;
    const readyz = (i: number): string => `http://127.0.0.1:${platformPorts[i]!}/readyz`;
    // Log files: gateway.log and platform.log, or gateway-1.log, gateway-2.log, … in a cluster.
    const nameOf = (what: string, i: number, n: number): string => (n > 1 ? `${what}-${i + 1}` : what);
    const slot = <T>(list: T[], i: number, what: string): number => {
      if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new Error(`no ${what} ${i} in this rig`);
      return i;
    };
    const current = (list: Array<Child | undefined>, what: string): Child[] =>
      list.map((c, i) => {
        if (!c) throw new Error(`${what} ${i} not started`);
        return c;
      });

    const rig: FaultRig = {
      pg: scratch,
      pool,
      databaseUrl: scratch.url,
      devices,
      mqttUrl: `mqtt://127.0.0.1:${balancer?.mqtt ?? gatewayPorts[0]!.mqtt}`,
      platformUrl: `http://127.0.0.1:${balancer?.http ?? platformPorts[0]!}`,
      get gateway() {
        return current(gateways, 'gateway')[0]!;
      },
      get platform() {
        return current(platforms, 'platform')[0]!;
      },
      get gateways() {
        return current(gateways, 'gateway');
      },
      get platforms() {
        return current(platforms, 'platform');
      },
      async startGateway({ wait = true, index = 0 } = {}) {
        const i = slot(gateways, index, 'gateway');
        if (running(gateways[i])) throw new Error(`gateway ${i} still running`);
        gateways[i] = watch(spawnChild(nameOf('gateway', i, gatewayCount), path.join(root, 'gateway/src/main.ts'), gatewayEnv(i), logDir));
        if (wait) await rig.waitGatewayReady(i);
      },
      async waitGatewayReady(index = 0) {
        const i = slot(gateways, index, 'gateway');
        // The gateway waits for its database before it listens (up to 60 s).
        const child = gateways[i];
        if (!child) throw new Error(`gateway ${i} not started`);
        await waitForHttp(healthz(i), child, 70_000);
      },
      async startPlatform(index = 0) {
        const i = slot(platforms, index, 'platform');
        if (running(platforms[i])) throw new Error(`platform ${i} still running`);
        const child = watch(spawnChild(nameOf('platform', i, platformCount), path.join(root, 'services/platform/src/main.ts'), platformEnv(i), logDir));
        platforms[i] = child;
        await waitForHttp(readyz(i), child, 60_000);
      },
      async stopPostgres() {
        pgUp = false;
        await scratch.server.stop();
      },
      async startPostgres() {
        await scratch.server.start();
        pgUp = true;
      },
      async ensureRunning() {
        if (!pgUp) await rig.startPostgres();
        for (let i = 0; i < gatewayCount; i += 1) if (!running(gateways[i])) await rig.startGateway({ index: i });
        for (let i = 0; i < platformCount; i += 1) if (!running(platforms[i])) await rig.startPlatform(i);
      },
      async signal(child, sig) {
        expectedExits.add(child);
        if (child.proc.exitCode !== null || child.proc.signalCode !== null) return child.proc.exitCode;
        child.proc.kill(sig);
        return child.exited;
      },
      crashes,
      async gatewayMetric(name, index = 0) {
        return sumOf(await scrape(metricsUrl(slot(gateways, index, 'gateway'))), name);
      },
      async balancerStatus() {
        if (!balancer) return {};
        // HAProxy's CSV stats: pxname,svname,…,status (18th column).
        const csv = await (await fetch(`http://127.0.0.1:${balancer.stats}/stats;csv`)).text();
        const status: Record<string, string> = {};
        for (const line of csv.split('\n')) {
          const cols = line.split(',');
          if (cols.length > 17 && !line.startsWith('#') && cols[1] !== 'FRONTEND' && cols[1] !== 'BACKEND') status[cols[1]!] = cols[17]!;
        }
        return status;
      },
      async gatewayOf(deviceId) {
        // pino writes one JSON object per line: the last authentication of this client id wins.
        let found = -1;
        let at = -Infinity;
        for (let i = 0; i < gatewayCount; i += 1) {
          const c = gateways[i];
          if (!c) continue;
          for (const line of (await readFile(c.logFile, 'utf8').catch(() => '')).split('\n')) {
            if (!line.includes('"client authenticated"') || !line.includes(`"clientId":"${deviceId}"`)) continue;
            const time = (JSON.parse(line) as { time?: number | string }).time;
            const ms = typeof time === 'number' ? time : Date.parse(String(time));
            if (ms >= at) {
              at = ms;
              found = i;
            }
          }
        }
        return found;
      },
      async logSize(child) {
        return (await stat(child.logFile).catch(() => ({ size: 0 }))).size;
      },
      async waitForLog(child, text, fromByte, timeoutMs = 15_000) {
        await waitFor(async () => (await readFile(child.logFile)).subarray(fromByte).toString('utf8').includes(text), `"${text}" in ${child.name}.log`, timeoutMs);
      },
      async tails(lines = 40) {
        const files = [...new Set(children.map((c) => c.logFile))];
        const parts = await Promise.all(files.map(async (f) => `--- ${path.basename(f)}\n${await tail(f, lines)}`));
        return parts.join('\n');
      },
      async keepLogs(dir) {
        for (const f of new Set(children.map((c) => c.logFile))) await cp(f, path.join(dir, path.basename(f))).catch(() => undefined);
      },
      close,
    };

    say(cluster ? `starting ${gatewayCount} gateway and ${platformCount} platform processes` : 'starting gateway and platform processes');
    // Together, as `docker compose up --scale` starts them (the platforms race for their migrations).
    await Promise.all(gateways.map((_, i) => rig.startGateway({ index: i })));
    await Promise.all(platforms.map((_, i) => rig.startPlatform(i)));
    if (balancer) {
      const cfg = path.join(logDir, 'haproxy.cfg');
      await writeFile(cfg, haproxyConfig({ mqttPort: balancer.mqtt, httpPort: balancer.http, statsPort: balancer.stats, gateways: gatewayPorts, platforms: platformPorts }));
      say('starting HAProxy');
      watch(spawnHaproxy(cfg, logDir));
      // Ready once it reports every server up (its health checks reached each gateway and platform).
      await waitFor(
        async () => {
          const status = await rig.balancerStatus().catch(() => ({}) as Record<string, string>);
          return Object.keys(status).length === gatewayCount + platformCount && Object.values(status).every((s) => s === 'UP');
        },
        'HAProxy reporting every gateway and platform UP',
        15_000,
      );
    }
    return rig;
  } catch (err) {
    const files = [...new Set(children.map((c) => c.logFile))];
    for (const f of files) say(`--- ${path.basename(f)}\n${await tail(f, 40)}`);
    await close();
    throw err;
  }
}

/** `haproxy -f cfg -db` (foreground, no daemon) as a child of the rig, its output in haproxy.log. */
function spawnHaproxy(cfg: string, logDir: string): Child {
  const logFile = path.join(logDir, 'haproxy.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const proc = spawn('haproxy', ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pipe(out);
  proc.stderr.pipe(out);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { name: 'haproxy', proc, logFile, exited };
}

// ---------------------------------------------------------------------------------------------
// The devices: one mqtt.js client each, recording which message got a PUBACK.

interface SimDevice {
  id: string;
  client: MqttClient;
  /** Next seq to publish; seq is unique and increasing over the whole rig's life, ts = epoch + seq. */
  nextSeq: number;
  /** Seqs whose publish callback reported success (a PUBACK arrived). */
  acked: Set<number>;
  /** Seqs whose publish callback reported an error (never expected here). */
  failed: Map<number, string>;
  maxAcked: number;
  doubleAcks: number;
  /** PUBLISH packets written to the socket, and the distinct seqs among them. */
  transmissions: number;
  transmitted: Set<number>;
  connects: number;
  closes: number;
  errors: number;
  /** With `judgments`: each judgment id received on the device's judgments topic, and how often. */
  judgments: Map<string, number>;
  /** With `judgments`: the current connection's subscription is acknowledged (SUBACK). */
  subscribed: boolean;
}

export interface FleetOptions {
  /** The devices to connect (default: all of the rig's). */
  devices?: readonly BenchDevice[];
  /** Subscribe each device to its judgments topic (QoS 1) and count what arrives. */
  judgments?: boolean;
}

export interface Fleet {
  devices: readonly SimDevice[];
  /** ts of a message = epoch + seq (ms), always within the ingest's window (7 days past). */
  epochMs: number;
  /** Publishes at `ratePerSec` in total, spread evenly over the devices, until stopLoad. */
  startLoad(ratePerSec: number): void;
  stopLoad(): void;
  /** Messages published and not yet acknowledged (nor failed). */
  outstanding(): number;
  /** Resolves once every device had a message acknowledged that it published after this call. */
  waitForFreshAcks(what: string, timeoutMs?: number): Promise<void>;
  /** Per device: connection closes so far and the next seq, to wait for changes since now. */
  mark(): { closes: number[]; nextSeq: number[] };
  close(): Promise<void>;
}

/**
 * Devices with protocolVersion 4, clean session (as the firmware), reconnectPeriod 200 ms and
 * reconnectOnConnackError (the gateway answers CONNACK 3 while its database is away). mqtt.js
 * keeps unacknowledged QoS 1 PUBLISHes in its outgoing store, whatever `clean` says, and replays
 * the store after every reconnect (client.js `_onConnect` → `startStreamProcess`; the store is only
 * replaced by `end()`); their callbacks stay pending across the reconnect (non-volatile). Messages
 * published while offline go to the same store. So a device re-sends exactly its unacknowledged
 * messages, and its publish callback fires once, on the PUBACK of whichever transmission got one.
 */
export async function connectFleet(rig: FaultRig, opts: FleetOptions = {}): Promise<Fleet> {
  const epochMs = Date.now() - 10 * 60_000;
  const devices: SimDevice[] = [];
  try {
    for (const d of opts.devices ?? rig.devices) {
      const client = mqtt.connect(rig.mqttUrl, {
        clientId: d.id,
        username: d.id,
        password: d.token,
        protocolVersion: 4,
        clean: true,
        reconnectPeriod: 200,
        reconnectOnConnackError: true,
        connectTimeout: 5_000,
        keepalive: 30,
        resubscribe: false,
      });
      const dev: SimDevice = { id: d.id, client, nextSeq: 0, acked: new Set(), failed: new Map(), maxAcked: -1, doubleAcks: 0, transmissions: 0, transmitted: new Set(), connects: 0, closes: 0, errors: 0, judgments: new Map(), subscribed: false };
      if (opts.judgments) {
        // A clean session: subscribe on every connection (mqtt.js' own resubscribe is off).
        client.on('connect', () => {
          client.subscribe(judgmentsTopic(d.id), { qos: 1 }, (err) => (dev.subscribed = !err && client.connected));
        });
        client.on('close', () => (dev.subscribed = false));
        client.on('message', (_topic, payload) => {
          const j = judgmentSchema.parse(JSON.parse(payload.toString()));
          dev.judgments.set(j.id, (dev.judgments.get(j.id) ?? 0) + 1);
        });
      }
      client.on('connect', () => (dev.connects += 1));
      client.on('close', () => (dev.closes += 1));
      // Refused connections, resets, CONNACK 3: expected during faults; mqtt.js reconnects.
      client.on('error', () => (dev.errors += 1));
      client.on('packetsend', (packet) => {
        if (packet.cmd !== 'publish') return;
        dev.transmissions += 1;
        const seq = (JSON.parse(String(packet.payload)) as { seq: number }).seq;
        dev.transmitted.add(seq);
      });
      devices.push(dev);
    }
    await waitFor(() => devices.every((d) => d.client.connected), 'every device connected', 30_000);
  } catch (err) {
    await Promise.all(devices.map((d) => d.client.endAsync(true).catch(() => undefined)));
    throw err;
  }

  const publish = (dev: SimDevice): void => {
    const seq = dev.nextSeq;
    dev.nextSeq += 1;
    const payload = JSON.stringify({ ts: epochMs + seq, seq, state: 'loaded', metrics: { pressureBar: 7.1, elementTempC: 84.2, powerKw: 39.6 } });
    dev.client.publish(telemetryTopic(dev.id), payload, { qos: 1 }, (err) => {
      if (err) {
        dev.failed.set(seq, err.message);
        return;
      }
      if (dev.acked.has(seq)) dev.doubleAcks += 1;
      dev.acked.add(seq);
      if (seq > dev.maxAcked) dev.maxAcked = seq;
    });
  };

  let ticker: NodeJS.Timeout | undefined;
  return {
    devices,
    epochMs,
    startLoad(ratePerSec) {
      if (ticker) throw new Error('load already running');
      const perDevice = ratePerSec / devices.length;
      const startedAt = performance.now();
      const startSeq = devices.map((d) => d.nextSeq);
      ticker = setInterval(() => {
        const due = Math.floor(((performance.now() - startedAt) / 1000) * perDevice) + 1;
        devices.forEach((d, i) => {
          while (d.nextSeq - startSeq[i]! < due) publish(d);
        });
      }, 10);
    },
    stopLoad() {
      clearInterval(ticker);
      ticker = undefined;
    },
    outstanding() {
      return devices.reduce((n, d) => n + d.nextSeq - d.acked.size - d.failed.size, 0);
    },
    async waitForFreshAcks(what, timeoutMs = 30_000) {
      const from = devices.map((d) => d.nextSeq);
      await waitFor(
        () => devices.every((d, i) => d.maxAcked >= from[i]!),
        () => `${what} (devices without a fresh PUBACK: ${devices.filter((d, i) => d.maxAcked < from[i]!).length}/${devices.length}; load running: ${ticker !== undefined})`,
        timeoutMs,
      );
    },
    mark() {
      return { closes: devices.map((d) => d.closes), nextSeq: devices.map((d) => d.nextSeq) };
    },
    async close() {
      clearInterval(ticker);
      await Promise.all(devices.map((d) => d.client.endAsync(true).catch(() => undefined)));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The faults.

export interface FaultContext {
  rig: FaultRig;
  fleet: Fleet;
  say: (line: string) => void;
}

export interface Fault {
  name: string;
  /** Injects the fault and brings the system back; returns with every process running, and any violations seen on the way. */
  inject(ctx: FaultContext): Promise<string[] | void>;
}

/** Resolves once every device has noticed that its connection closed since `mark`. */
async function allDevicesDisconnected(fleet: Fleet, mark: { closes: number[] }): Promise<void> {
  await waitFor(() => fleet.devices.every((d, i) => d.closes > mark.closes[i]!), 'every device disconnected', 15_000);
}

/** Resolves once every device has published `n` messages since `mark` (they go to mqtt.js' offline store). */
async function publishedWhileDown(fleet: Fleet, mark: { nextSeq: number[] }, n: number): Promise<void> {
  await waitFor(() => fleet.devices.every((d, i) => d.nextSeq >= mark.nextSeq[i]! + n), `${n} messages per device published meanwhile`, 15_000);
}

/** Resolves once the gateway's ingest has failed a commit (and so holds unacknowledged messages). */
async function commitsFailing(rig: FaultRig, before: number): Promise<void> {
  await waitFor(async () => (await rig.gatewayMetric('airfleet_ingest_commit_failures_total')) > before, 'the gateway failing commits', 30_000);
}

/** Resolves once the devices wait for at least `perDevice` PUBACKs each on average (a backlog at risk). */
async function backlogOnDevices(fleet: Fleet, perDevice: number): Promise<void> {
  const n = fleet.devices.length * perDevice;
  await waitFor(() => fleet.outstanding() >= n, () => `${n} unacknowledged messages on the devices (now ${fleet.outstanding()})`, 15_000);
}

export const FAULTS: readonly Fault[] = [
  {
    name: 'SIGKILL platform, restart',
    async inject({ rig, fleet }) {
      await rig.signal(rig.platform, 'SIGKILL');
      // Ingest lives in the gateway: devices keep being acknowledged while the platform is gone.
      await fleet.waitForFreshAcks('PUBACKs while the platform is down', 15_000);
      await rig.startPlatform();
    },
  },
  {
    name: 'PostgreSQL stop, start',
    async inject({ rig, fleet, say }) {
      const failures = await rig.gatewayMetric('airfleet_ingest_commit_failures_total');
      await rig.stopPostgres();
      await commitsFailing(rig, failures);
      // The devices stay connected; the gateway holds what they send, unacknowledged.
      await backlogOnDevices(fleet, 5);
      say(`  ${fleet.outstanding()} messages unacknowledged when PostgreSQL starts again`);
      await rig.startPostgres();
    },
  },
  {
    name: 'SIGKILL gateway, restart',
    async inject({ rig, fleet, say }) {
      const mark = fleet.mark();
      say(`  ${fleet.outstanding()} messages unacknowledged at the SIGKILL`);
      await rig.signal(rig.gateway, 'SIGKILL');
      await allDevicesDisconnected(fleet, mark);
      await publishedWhileDown(fleet, mark, 5);
      await rig.startGateway();
    },
  },
  {
    name: 'PostgreSQL down + SIGKILL gateway',
    async inject({ rig, fleet, say }) {
      const failures = await rig.gatewayMetric('airfleet_ingest_commit_failures_total');
      const mark = fleet.mark();
      await rig.stopPostgres();
      await commitsFailing(rig, failures);
      // Received by the gateway, not committed, not acknowledged: what the SIGKILL puts at risk.
      await backlogOnDevices(fleet, 5);
      say(`  ${fleet.outstanding()} messages unacknowledged at the SIGKILL`);
      await rig.signal(rig.gateway, 'SIGKILL');
      await allDevicesDisconnected(fleet, mark);
      await publishedWhileDown(fleet, mark, 5);
      // The gateway first, while the database is still down: it must wait for it, then serve.
      const from = await rig.logSize(rig.gateway);
      await rig.startGateway({ wait: false });
      await rig.waitForLog(rig.gateway, 'waiting for database', from, 30_000);
      await rig.startPostgres();
      await rig.waitGatewayReady();
    },
  },
  {
    name: 'graceful gateway restart with a backlog',
    async inject({ rig, fleet, say }) {
      const problems: string[] = [];
      // Hold inserts back so received messages pile up unacknowledged in the gateway.
      const lock = new pg.Client({ connectionString: rig.databaseUrl });
      lock.on('error', () => undefined);
      await lock.connect();
      let locked = false;
      try {
        await lock.query('BEGIN');
        await lock.query('LOCK TABLE telemetry IN EXCLUSIVE MODE');
        locked = true;
        const backlog = fleet.devices.length * 5;
        await waitFor(async () => (await rig.gatewayMetric('airfleet_ingest_pending_messages')) >= backlog, `a backlog of ${backlog} messages in the gateway`, 15_000);
        const gw = rig.gateway;
        const from = await rig.logSize(gw);
        say(`  ${fleet.outstanding()} messages unacknowledged at the SIGTERM`);
        const exited = rig.signal(gw, 'SIGTERM');
        // The gateway is draining (it commits what it received before it closes sessions): now let the commits through.
        await rig.waitForLog(gw, 'shutting down', from);
        await lock.query('COMMIT');
        locked = false;
        const code = await exited;
        if (code !== 0) problems.push(`graceful gateway stop (SIGTERM) exited with code ${code ?? gw.proc.signalCode}`);
      } finally {
        if (locked) await lock.query('ROLLBACK').catch(() => undefined);
        await lock.end().catch(() => undefined);
      }
      await rig.startGateway();
      return problems;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// One fault under load, drained and checked against PostgreSQL.

export interface FaultRunOptions {
  /** Messages per second over the whole fleet. */
  ratePerSec: number;
  /** Load per fault (the fault is injected after a third of it; load goes on until recovery is proven). */
  durationMs: number;
  drainTimeoutMs: number;
  say?: (line: string) => void;
}

export interface FaultResult {
  fault: string;
  sent: number;
  acked: number;
  stored: number;
  /** Acknowledged, but no row with its (device, ts). */
  ackedButMissing: number;
  /** A row whose seq is not the one published with its ts. */
  seqMismatch: number;
  /** Rows beyond one per (device, ts) or per (device, seq). */
  duplicates: number;
  /** Still unacknowledged after the drain. */
  unacked: number;
  /** Publish callbacks with an error, or a second callback for one message. */
  callbackErrors: number;
  /** PUBLISH transmissions beyond the first of each message (mqtt.js re-sends). */
  resent: number;
  /** Processes that died on their own during the run. */
  crashed: string[];
  seconds: number;
  /** Human-readable violations; empty when the run was sound. */
  problems: string[];
  /** A few offending (device, seq) for a report. */
  examples: string[];
}

export async function runFault(rig: FaultRig, fleet: Fleet, fault: Fault, opts: FaultRunOptions): Promise<FaultResult> {
  const say = opts.say ?? (() => undefined);
  const t0 = performance.now();
  const startSeq = fleet.devices.map((d) => d.nextSeq);
  const startTransmissions = fleet.devices.map((d) => d.transmissions);
  const startTransmitted = fleet.devices.map((d) => d.transmitted.size);
  const startDoubleAcks = fleet.devices.reduce((n, d) => n + d.doubleAcks, 0);
  const startCrashes = rig.crashes.length;
  const problems: string[] = [];

  fleet.startLoad(opts.ratePerSec);
  try {
    await fleet.waitForFreshAcks('warm-up: every device acknowledged', 15_000);
    await sleepUntil(t0 + opts.durationMs / 3);
    say(`${fault.name}: injecting`);
    problems.push(...((await fault.inject({ rig, fleet, say })) ?? []));
    say(`${fault.name}: recovered, waiting for fresh PUBACKs`);
    await fleet.waitForFreshAcks('PUBACKs after recovery', 30_000);
    await sleepUntil(t0 + opts.durationMs);
  } finally {
    fleet.stopLoad();
  }

  say(`${fault.name}: draining`);
  await waitFor(() => fleet.outstanding() === 0 && fleet.devices.every((d) => d.client.connected), 'every device idle (all messages acknowledged)', opts.drainTimeoutMs).catch(() => undefined);

  const result = await verify(rig, fleet, fault.name, startSeq);
  result.resent = fleet.devices.reduce((n, d, i) => n + (d.transmissions - startTransmissions[i]!) - (d.transmitted.size - startTransmitted[i]!), 0);
  result.callbackErrors += fleet.devices.reduce((n, d) => n + d.doubleAcks, 0) - startDoubleAcks;
  result.crashed = rig.crashes.slice(startCrashes);
  result.seconds = (performance.now() - t0) / 1000;
  if (result.callbackErrors > 0) result.problems.push(`${result.callbackErrors} publish callbacks with an error or called twice`);
  result.problems.push(...result.crashed, ...problems);
  return result;
}

async function sleepUntil(t: number): Promise<void> {
  const ms = t - performance.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/** Compares what the devices published and saw acknowledged since `startSeq` with the telemetry table. */
async function verify(rig: FaultRig, fleet: Fleet, name: string, startSeq: number[]): Promise<FaultResult> {
  const ids = fleet.devices.map((d) => d.id);
  const { rows } = await waitFor(
    () => rig.pool.query<{ device_id: string; ts_ms: string; seq: string }>(
      `SELECT device_id, round(extract(epoch FROM ts) * 1000)::bigint AS ts_ms, seq FROM telemetry WHERE device_id = ANY($1) AND ts >= $2`,
      [ids, new Date(fleet.epochMs)],
    ).catch(() => undefined),
    'the database answering the verification query',
    30_000,
  );
  const byDevice = new Map<string, Array<{ tsSeq: number; seq: number }>>();
  for (const r of rows) {
    const list = byDevice.get(r.device_id) ?? [];
    list.push({ tsSeq: Number(r.ts_ms) - fleet.epochMs, seq: Number(r.seq) });
    byDevice.set(r.device_id, list);
  }
  const res: FaultResult = { fault: name, sent: 0, acked: 0, stored: 0, ackedButMissing: 0, seqMismatch: 0, duplicates: 0, unacked: 0, callbackErrors: 0, resent: 0, crashed: [], seconds: 0, problems: [], examples: [] };
  const example = (s: string): void => void (res.examples.length < 10 && res.examples.push(s));
  fleet.devices.forEach((d, i) => {
    const lo = startSeq[i]!;
    const hi = d.nextSeq; // exclusive
    const stored = (byDevice.get(d.id) ?? []).filter((r) => r.tsSeq >= lo && r.tsSeq < hi);
    const byTs = new Map<number, number>();
    const seqCount = new Map<number, number>();
    for (const r of stored) {
      byTs.set(r.tsSeq, (byTs.get(r.tsSeq) ?? 0) + 1);
      seqCount.set(r.seq, (seqCount.get(r.seq) ?? 0) + 1);
      if (r.seq !== r.tsSeq) {
        res.seqMismatch += 1;
        example(`${d.id} ts=epoch+${r.tsSeq} stored with seq ${r.seq}`);
      }
    }
    for (const n of [...byTs.values(), ...seqCount.values()]) if (n > 1) res.duplicates += n - 1;
    res.sent += hi - lo;
    res.stored += stored.length;
    for (let seq = lo; seq < hi; seq += 1) {
      const acked = d.acked.has(seq);
      if (acked) res.acked += 1;
      const failure = d.failed.get(seq);
      if (failure !== undefined) {
        res.callbackErrors += 1;
        example(`${d.id} seq ${seq}: publish callback error "${failure}"`);
      } else if (!acked) res.unacked += 1;
      if (acked && !byTs.has(seq)) {
        res.ackedButMissing += 1;
        example(`${d.id} seq ${seq} acknowledged but not stored`);
      }
    }
  });
  if (res.ackedButMissing > 0) res.problems.push(`${res.ackedButMissing} acknowledged messages are not in PostgreSQL`);
  if (res.seqMismatch > 0) res.problems.push(`${res.seqMismatch} rows carry another seq than the one published with their ts`);
  if (res.duplicates > 0) res.problems.push(`${res.duplicates} duplicate rows`);
  if (res.unacked > 0) res.problems.push(`${res.unacked} messages still unacknowledged after the drain`);
  return res;
}

// ---------------------------------------------------------------------------------------------

export function formatFaultTable(results: readonly FaultResult[]): string {
  const header = ['fault', 'sent', 'acked', 'stored', 'acked-but-missing', 'duplicates', 'unacked', 're-sent', 'seconds'];
  const body = results.map((r) => [r.fault, r.sent, r.acked, r.stored, r.ackedButMissing, r.duplicates, r.unacked, r.resent, r.seconds.toFixed(1)].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}
