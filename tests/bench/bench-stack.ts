import { Registry } from 'prom-client';
import { createGatewayNode, type GatewayNode } from '@airfleet/gateway';
import { createDevicesRepository, createIngestPool, createPlatformEvents, createPools, createRulesRuntime, seedDemo, syncCatalogue, DEMO_CUSTOMERS, type RulesRuntime } from '@airfleet/platform';
import { createDeviceTokenHasher, createLogger, newToken } from '@airfleet/runtime';
import type pg from 'pg';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';

/** The benchmarks' pepper of device token hashes (a private throw-away database). */
export const BENCH_DEVICE_TOKEN_PEPPER = 'bench-pepper-for-device-tokens-not-for-production';

export interface BenchDevice {
  id: string;
  modelId: string;
  siteId: string;
  token: string;
}

export interface BenchStack {
  pg: ScratchPostgres;
  /** The platform's jobs pool (the rules runtime's; set-up and checks use it too). */
  pool: pg.Pool;
  /** The gateway node's own pool. */
  ingestPool: pg.Pool;
  /** Broker + ingest pipeline + rules in its transaction. */
  node: GatewayNode;
  /** The platform's side: sweeps (data gaps, expiry, pending judgments) and the fleet job. */
  rules: RulesRuntime;
  registry: Registry;
  mqttUrl: string;
  devices: BenchDevice[];
  close(): Promise<void>;
}

/** Registers benchmark devices (`B-<model>-<n>`) spread over the demo sites, sharing one token. */
export async function provisionBenchDevices(pool: pg.Pool, devicesPerModel: Record<string, number>, prefix = 'B'): Promise<BenchDevice[]> {
  const devicesRepo = createDevicesRepository(pool);
  const token = newToken();
  const tokenHash = createDeviceTokenHasher(BENCH_DEVICE_TOKEN_PEPPER).hash(token);
  const sites = DEMO_CUSTOMERS.flatMap((c) => c.sites.map((s) => s.id));
  const devices: BenchDevice[] = [];
  let n = 0;
  for (const [modelId, count] of Object.entries(devicesPerModel)) {
    for (let i = 0; i < count; i += 1) {
      const id = `${prefix}-${modelId}-${String(i).padStart(4, '0')}`;
      const siteId = sites[n % sites.length]!;
      n += 1;
      await devicesRepo.createWithCredential({ id, serial: id, modelId, siteId, tokenHash });
      devices.push({ id, modelId, siteId, token });
    }
  }
  return devices;
}

/**
 * A gateway node and the platform's rules runtime in one process on a private PostgreSQL,
 * with an injectable clock: an accelerated benchmark runs ingest and rules on the same fast
 * timeline as its devices, so the timestamp window and the sweeps see simulated time.
 */
export async function startBenchStack(opts: {
  devicesPerModel: Record<string, number>;
  clock?: () => number;
  batchWaitMs?: number;
  sweepIntervalMs?: number;
  say: (line: string) => void;
}): Promise<BenchStack> {
  const log = createLogger('bench', { level: 'warn' });
  opts.say('starting embedded PostgreSQL');
  const scratch = await startScratchPostgres('bench');
  // The pools as production has them (services/platform/src/db/pools.ts): the node ingests on its
  // own pool, the platform's rules runtime runs on the jobs pool (no HTTP API here).
  const pools = createPools(scratch.url, log);
  const pool = pools.jobs;
  const ingestPool = createIngestPool(scratch.url, log);
  await syncCatalogue(pool);
  await seedDemo(pool, { deviceTokenPepper: BENCH_DEVICE_TOKEN_PEPPER });

  const devices = await provisionBenchDevices(pool, opts.devicesPerModel);
  opts.say(`provisioned ${devices.length} devices`);

  const service = { username: 'airfleet-platform', password: newToken(24) };
  const registry = new Registry();
  const node = createGatewayNode({
    pool: ingestPool,
    log,
    registry,
    service,
    deviceTokenPepper: BENCH_DEVICE_TOKEN_PEPPER,
    // An accelerated fleet publishes far faster per device than a compressor does.
    limits: { connectBurstPerIp: 100_000, connectRatePerIpPerSec: 100_000, publishRatePerDevicePerSec: 1_000_000, publishBurstPerDevice: 1_000_000 },
    ingest: { batchMaxRows: 2000, batchWaitMs: opts.batchWaitMs ?? 10 },
    clock: opts.clock,
  });
  const { mqttPort } = await node.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });
  const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;

  // The platform side: its sweeps announce pending judgments; the node above sends them.
  const rules = createRulesRuntime({
    pool,
    log,
    registry: new Registry(),
    events: createPlatformEvents(),
    clock: opts.clock,
    wake: (ids) => void Promise.all(ids.map((id) => node.edge.rules.judgments.sendDueFor(id))).catch(() => undefined),
    sweepIntervalMs: opts.sweepIntervalMs ?? 1000,
    fleetCheckIntervalMs: 0,
  });
  await rules.start();
  return {
    pg: scratch,
    pool,
    ingestPool,
    node,
    rules,
    registry,
    mqttUrl,
    devices,
    async close() {
      await rules.stop();
      await node.close();
      await ingestPool.end();
      await pools.end();
      await scratch.dispose();
    },
  };
}
