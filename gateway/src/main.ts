import { Registry, collectDefaultMetrics } from 'prom-client';
import { createIngestPool, waitForDatabase } from '@airfleet/platform/edge';
import { createLogger, maskUrl, onShutdown } from '@airfleet/runtime';
import { loadGatewayConfig } from './gateway.config.ts';
import { createGatewayNode } from './gateway-node.ts';

// Composition root of a gateway node: broker + ingest pipeline on the node's own pool.
const config = loadGatewayConfig();
const log = createLogger('gateway', { level: config.logLevel });

// The pool's error listener (createPool) keeps a dropped idle connection from killing the
// process; logins answer CONNACK 3 and batches retry until the database is back. The pool is
// this process's alone: however busy the platform's API pool is, the ingest never waits for it.
const pool = createIngestPool(config.databaseUrl, log, config.database);
await waitForDatabase(pool, log);

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const node = createGatewayNode({
  pool,
  log,
  registry,
  service: config.service,
  deviceTokenPepper: config.deviceTokenPepper,
  limits: config.limits,
  ingest: config.ingest,
});

onShutdown(log, [() => node.close(), () => pool.end()], config.limits.drainTimeoutMs + 10_000);

const ports = await node.listen({ mqttPort: config.mqttPort, httpPort: config.httpPort, host: config.host });
log.info(
  { nodeId: node.nodeId, mqttPort: ports.mqttPort, httpPort: ports.httpPort, host: config.host, database: maskUrl(config.databaseUrl), limits: config.limits, ingest: config.ingest },
  'gateway listening',
);
process.send?.({ type: 'ready', service: 'gateway', ...ports });
