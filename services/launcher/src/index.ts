export { ensureDatabase, startEmbeddedPostgres, type EmbeddedDb } from './embedded-postgres.ts';
export { spawnChild, stopChild, waitForHttp, tail, type Child } from './children.ts';
