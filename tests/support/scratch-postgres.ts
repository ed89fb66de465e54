import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDb } from '@airfleet/launcher';
import { migrate } from '@airfleet/platform';
import { newToken } from '@airfleet/runtime';
import { freePort } from './free-port.ts';

export interface ScratchPostgres {
  server: EmbeddedDb;
  /** URL of a migrated `airfleet` database on it. */
  url: string;
  dispose(): Promise<void>;
}

/**
 * A private embedded PostgreSQL for a test file or benchmark that must stop and start its
 * database (or load it heavily) without disturbing the shared test server.
 */
export async function startScratchPostgres(prefix: string, settings?: string[]): Promise<ScratchPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), `airfleet-${prefix}-`));
  await chmod(dir, 0o755); // the postgres user must reach its data directory
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: newToken(12), settings });
  const url = await ensureDatabase(server.url, 'airfleet');
  await migrate(url);
  return {
    server,
    url,
    async dispose() {
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
