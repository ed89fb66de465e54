export { ensureDatabase, startEmbeddedPostgres, type EmbeddedDb } from './embedded-postgres.ts';
export { GATEWAY_NODE_ARGS, spawnChild, stopChild, waitForHttp, tail, type Child } from './children.ts';
