import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { GATEWAY_NODE_ARGS, spawnChild, stopChild, tail, waitForHttp, type Child } from '@airfleet/launcher';
import { createPool, seedDemo, syncCatalogue } from '@airfleet/platform';
import { createLogger, newToken } from '@airfleet/runtime';
import { freePorts } from '../support/free-port.ts';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';
import { BENCH_DEVICE_TOKEN_PEPPER, provisionBenchDevices, type BenchDevice } from './bench-stack.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface DeployedStack {
  pg: ScratchPostgres;
  pool: pg.Pool;
  gateway: Child;
  platform: Child;
  mqttUrl: string;
  /** The gateway's /metrics: ingest runs in the gateway. */
  metricsUrl: string;
  platformMetricsUrl: string;
  devices: BenchDevice[];
  /** Log tails of the children, for a failure report. */
  tails(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Gateway and platform as separate processes, as deployed (so CPU can be measured per
 * process), on a private embedded PostgreSQL with `devicesPerModel` bench devices.
 */
export async function startDeployedStack(opts: {
  devicesPerModel: Record<string, number>;
  platformEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Extra PostgreSQL settings (`name=value`). */
  pgSettings?: string[];
  say: (line: string) => void;
}): Promise<DeployedStack> {
  opts.say('starting embedded PostgreSQL');
  const scratch = await startScratchPostgres('bench', opts.pgSettings);
  const logDir = path.dirname(scratch.server.dataDir);
  const pool = createPool(scratch.url, createLogger('bench', { level: 'warn' }), 4);
  await syncCatalogue(pool);
  await seedDemo(pool, { deviceTokenPepper: BENCH_DEVICE_TOKEN_PEPPER });
  const devices = await provisionBenchDevices(pool, opts.devicesPerModel);
  opts.say(`provisioned ${devices.length} devices`);

  opts.say('starting gateway and platform processes');
  const [mqttPort, gwHttp, httpPort] = (await freePorts(3)) as [number, number, number];
  const env = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: scratch.url, MQTT_SERVICE_PASSWORD: newToken(24), DEVICE_TOKEN_PEPPER: BENCH_DEVICE_TOKEN_PEPPER, HOST: '127.0.0.1' };
  const gateway = spawnChild('gateway', path.join(root, 'gateway/src/main.ts'), { ...env, MQTT_PORT: String(mqttPort), GATEWAY_HTTP_PORT: String(gwHttp), CONNECT_BURST_PER_IP: '100000', CONNECT_RATE_PER_IP_PER_S: '100000',
    // Load generators publish far faster per device than a compressor does.
    PUBLISH_RATE_PER_DEVICE_PER_S: '100000', PUBLISH_BURST_PER_DEVICE: '100000', ...(process.env.AF_GW_NODE_OPTIONS ? { NODE_OPTIONS: process.env.AF_GW_NODE_OPTIONS } : {}), ...opts.gatewayEnv }, logDir,
    // V8 settings as deployed (AF_GW_NODE_OPTIONS adds profiling flags, e.g. --cpu-prof).
    GATEWAY_NODE_ARGS);
  const children: Child[] = [gateway];
  const stack = {
    pg: scratch,
    pool,
    gateway,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    metricsUrl: `http://127.0.0.1:${gwHttp}/metrics`,
    platformMetricsUrl: `http://127.0.0.1:${httpPort}/metrics`,
    devices,
    async tails() {
      const parts = await Promise.all(children.map(async (c) => `--- ${c.name}\n${await tail(c.logFile)}`));
      return parts.join('\n');
    },
    async close() {
      for (const child of [...children].reverse()) await stopChild(child);
      await pool.end().catch(() => undefined);
      await scratch.dispose();
    },
  };
  try {
    await waitForHttp(`http://127.0.0.1:${gwHttp}/healthz`, gateway, 30_000);
    const platform = spawnChild('platform', path.join(root, 'services/platform/src/main.ts'), { ...env, HTTP_PORT: String(httpPort), ...(process.env.AF_PF_NODE_OPTIONS ? { NODE_OPTIONS: process.env.AF_PF_NODE_OPTIONS } : {}), ...opts.platformEnv }, logDir);
    children.push(platform);
    await waitForHttp(`http://127.0.0.1:${httpPort}/readyz`, platform, 60_000);
    return { ...stack, platform };
  } catch (err) {
    opts.say(await stack.tails());
    await stack.close();
    throw err;
  }
}
