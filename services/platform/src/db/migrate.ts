import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Applies pending plain-SQL migrations. node-pg-migrate holds a PostgreSQL advisory
 * lock while it runs, so two platform instances starting together cannot race: the second
 * waits for the first (its default, 'fail', made it exit at start) and then finds nothing to do.
 */
export async function migrate(databaseUrl: string, log?: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    verbose: false,
    logger: {
      debug: () => undefined,
      info: (msg: string) => log?.debug({ msg }, 'migration'),
      warn: (msg: string) => log?.warn({ msg }, 'migration'),
      error: (msg: string) => log?.error({ msg }, 'migration'),
    },
  });
  return applied.map((m) => m.name);
}
