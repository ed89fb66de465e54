import { Registry } from 'prom-client';
import { createGateway, createPgCredentialStore, type Gateway } from '@airfleet/gateway';
import {
  createDevicesRepository,
  createIngest,
  createIngestMetrics,
  createPlatformEvents,
  createPool,
  createRulesRuntime,
  ingestHooks,
  seedDemo,
  syncCatalogue,
  DEMO_CUSTOMERS,
  type Ingest,
  type RulesRuntime,
} from '@airfleet/platform';
import { createLogger, hashSecret, newToken } from '@airfleet/runtime';
import type pg from 'pg';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';

export interface BenchDevice {
  id: string;
  modelId: string;
  siteId: string;
  token: string;
}

export interface BenchStack {
  pg: ScratchPostgres;
  pool: pg.Pool;
  gateway: Gateway;
  ingest: Ingest;
  rules: RulesRuntime;
  registry: Registry;
  mqttUrl: string;
  devices: BenchDevice[];
  close(): Promise<void>;
}

/**
 * Registers benchmark devices (`B-<model>-<n>`) spread over the demo sites. They share one
 * token with a cheap scrypt cost: provisioning hundreds must not dominate the run.
 */
export async function provisionBenchDevices(pool: pg.Pool, devicesPerModel: Record<string, number>, prefix = 'B'): Promise<BenchDevice[]> {
  const devicesRepo = createDevicesRepository(pool);
  const token = newToken();
  const tokenHash = await hashSecret(token, { N: 1024, r: 8, p: 1 });
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
 * Gateway, ingest and rules in one process on a private PostgreSQL, with an injectable
 * clock: an accelerated benchmark runs the platform on the same fast timeline as its
 * devices, so the ingest's timestamp window and the sweeps see simulated time.
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
  const pool = createPool(scratch.url, log, 10);
  await syncCatalogue(pool);
  await seedDemo(pool);

  const devices = await provisionBenchDevices(pool, opts.devicesPerModel);
  opts.say(`provisioned ${devices.length} devices`);

  const servicePassword = newToken(24);
  const service = { username: 'airfleet-platform', password: servicePassword };
  const gateway = createGateway({
    credentials: createPgCredentialStore(pool),
    service,
    log,
    registry: new Registry(),
    limits: { connectBurstPerIp: 100_000, connectRatePerIpPerSec: 100_000 },
  });
  const { mqttPort } = await gateway.listen({ mqttPort: 0, httpPort: 0, host: '127.0.0.1' });
  const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;

  const registry = new Registry();
  const events = createPlatformEvents();
  const rules = createRulesRuntime({
    pool,
    log,
    registry,
    events,
    clock: opts.clock,
    mqtt: { url: mqttUrl, ...service },
    sweepIntervalMs: opts.sweepIntervalMs ?? 1000,
    fleetCheckIntervalMs: 0,
  });
  const ingest = createIngest({
    mqttUrl,
    ...service,
    clientId: 'airfleet-ingest',
    pool,
    log,
    metrics: createIngestMetrics(registry),
    batchMaxRows: 1000,
    batchWaitMs: opts.batchWaitMs ?? 20,
    maxPending: 20_000,
    clock: opts.clock,
    ...ingestHooks(rules, events),
  });
  await ingest.start();
  await rules.start();
  return {
    pg: scratch,
    pool,
    gateway,
    ingest,
    rules,
    registry,
    mqttUrl,
    devices,
    async close() {
      await rules.stop();
      await ingest.stop();
      await gateway.close();
      await pool.end();
      await scratch.dispose();
    },
  };
}
