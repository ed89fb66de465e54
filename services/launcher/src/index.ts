export { startEmbeddedPostgres, type EmbeddedDb } from './embedded-postgres.ts';
