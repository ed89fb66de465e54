// Public surface for the local launcher, tests and benchmarks. Deployables never import this.
export { migrate } from './db/migrate.ts';
export { createPool, waitForDatabase, hasTimescale } from './db/pool.ts';
export { writeBatch, type IngestBatch } from './ingest/ingest-store.repository.ts';
export { createIngest, type Ingest, type IngestOptions } from './ingest/ingest.service.ts';
export { createIngestMetrics } from './observability/ingest.metrics.ts';
export { platformEnvSchema, type PlatformConfig } from './config/platform.config.ts';
export { seedDemo, isDemoSeeded, type SeededDevice } from './demo/demo-seed.repository.ts';
export { DEMO_CUSTOMERS, DEMO_USERS, DEMO_PASSWORD, demoDevices } from './demo/demo-fleet.data.ts';
export { syncCatalogue } from './repositories/catalogue.repository.ts';
export { buildApp, type AppDeps } from './http/app.ts';
export { createDevicesRepository } from './repositories/devices.repository.ts';
export { createPlatformEvents, type PlatformEvents, type PlatformEventMap } from './events/platform-events.ts';
export { ingestFanout } from './events/ingest-fanout.ts';
