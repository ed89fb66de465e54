// The ingest pipeline as the gateway runs it: the one entry the gateway takes from the platform.
export { createEdgeIngest, type EdgeIngest, type EdgeIngestOptions } from './edge.runtime.ts';
export { createPool, waitForDatabase } from '../db/pool.ts';
