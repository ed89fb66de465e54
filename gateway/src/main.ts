import pg from 'pg';
import { Registry } from 'prom-client';
import { createLogger, maskUrl, onShutdown } from '@airfleet/runtime';
import { createGateway } from './broker.ts';
import { createPgCredentialStore } from './credential-store.pg.ts';
import { loadGatewayConfig } from './gateway.config.ts';

const config = loadGatewayConfig();
const log = createLogger('gateway', { level: config.logLevel });

const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 5 });
// An idle client's connection dropping (database restart) emits 'error' on the pool; without a
// listener that kills the process. Logins fail with CONNACK 3 until the database is back.
pool.on('error', (err) => log.warn({ err: err.message }, 'database connection lost'));

const gateway = createGateway({
  credentials: createPgCredentialStore(pool),
  service: config.service,
  limits: config.limits,
  log,
  registry: new Registry(),
});

onShutdown(log, [() => gateway.close(), () => pool.end()], config.limits.drainTimeoutMs + 5_000);

const ports = await gateway.listen({ mqttPort: config.mqttPort, httpPort: config.httpPort, host: config.host });
log.info(
  { mqttPort: ports.mqttPort, httpPort: ports.httpPort, host: config.host, database: maskUrl(config.databaseUrl), limits: config.limits },
  'gateway listening',
);
