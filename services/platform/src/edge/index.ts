// The ingest pipeline as the gateway runs it: the one entry the gateway takes from the platform.
export { createEdgeIngest, type EdgeIngest, type EdgeIngestOptions } from './edge.runtime.ts';
export { createPool, waitForDatabase } from '../db/pool.ts';
export { createIngestPool, POOL_DEFAULTS, type PoolBudget } from '../db/pools.ts';
// LISTEN with reconnect (the gateway's cross-node takeover listens with it too).
export { listenChannel, type ChannelListener, type ListenChannelOptions } from '../db/pg-listen.ts';
