import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, newToken, parseEnv } from '@airfleet/runtime';
import { DEMO_PASSWORD, DEMO_USERS, createPool, isDemoSeeded, migrate, seedDemo, syncCatalogue } from '@airfleet/platform';
import type { FleetFile } from '@airfleet/firmware-sim';
import { launcherEnvSchema } from './launcher.config.ts';
import { createProgress } from './progress.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDb } from './embedded-postgres.ts';
import { backfillHistory } from './history-backfill.ts';
import { GATEWAY_NODE_ARGS, spawnChild, stopChild, tail, waitForHttp, type Child } from './children.ts';
import { startMailCatcher, type MailCatcher } from './mail-catcher.ts';

// `npm start`: the embedded default. Database, migrations, demo seed with history, then
// the gateway, the platform and the simulated fleet as child processes.
const config = parseEnv(launcherEnvSchema, process.env, 'launcher');
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.resolve(config.DATA_DIR);
const logDir = path.join(dataDir, 'logs');
const fleetFile = path.join(dataDir, 'fleet.json');
const log = createLogger('launcher', { level: 'warn' });
const progress = createProgress(8);
const children: Child[] = [];
let embedded: EmbeddedDb | undefined;
let mailCatcher: MailCatcher | undefined;
const mailDir = path.join(dataDir, 'mail');
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    progress.info('\nstopping …');
    // Reverse start order: devices first, then the platform (it acknowledges what it has), then the broker.
    for (const child of [...children].reverse()) await stopChild(child);
    await mailCatcher?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    progress.info('stopped cleanly.');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/**
 * Secrets are never defaulted: the embedded database password and the device token pepper are
 * random, generated on the first start and kept beside the data they protect (mode 0600).
 */
async function localSecret(file: string, bytes = 24): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = newToken(bytes);
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}


/**
 * The dashboard's build-if-stale script (dashboard/scripts/ensure-build.ts) in its own
 * process, its progress lines relayed as notes. A fresh clone needs no separate build step.
 */
function ensureDashboard(note: (msg: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', path.join(root, 'dashboard/scripts/ensure-build.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) note(line.trim());
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dashboard build failed (exit ${code}):\n${errors.slice(-4000)}`))));
  });
}

async function main(): Promise<void> {
  await mkdir(logDir, { recursive: true });
  progress.info(`AirFleet — local platform (data in ${path.relative(process.cwd(), dataDir) || '.'})`);

  const databaseUrl = await progress.step(config.DATABASE_URL ? 'Connecting to PostgreSQL (DATABASE_URL)' : 'Starting embedded PostgreSQL', async (note) => {
    if (config.DATABASE_URL) return config.DATABASE_URL;
    const password = await localSecret(path.join(dataDir, 'pg-password'));
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: config.PG_PORT, password });
    note(embedded.firstStart ? `initialised a new cluster on port ${config.PG_PORT}` : `port ${config.PG_PORT}`);
    return ensureDatabase(embedded.url, 'airfleet');
  });

  // Must outlive the database it was used with: device token hashes are HMACs under it. A value
  // in the environment wins (a shared DATABASE_URL whose gateway already has one).
  const deviceTokenPepper = config.DEVICE_TOKEN_PEPPER ?? (await localSecret(path.join(dataDir, 'device-token-pepper'), 32));

  const pool = createPool(databaseUrl, log, 4);
  await progress.step('Migrating the database', async (note) => {
    const applied = await migrate(databaseUrl);
    await syncCatalogue(pool);
    note(applied.length ? `applied ${applied.length} migration(s)` : 'already up to date');
  });

  await progress.step('Demo fleet', async (note) => {
    if (!(await isDemoSeeded(pool))) {
      const devices = await seedDemo(pool, { deviceTokenPepper });
      note(`seeded 3 customers, 6 sites, ${devices.length} compressors, ${DEMO_USERS.length} demo users`);
      const toMs = Date.now() - config.TELEMETRY_INTERVAL_MS;
      const fromMs = toMs - config.HISTORY_DAYS * 86_400_000;
      const { rows, last } = await backfillHistory(pool, devices, { fromMs, toMs, sampleEveryMs: 60_000 }, (done, total, r) =>
        note(`history: ${done}/${total} compressors, ${r.toLocaleString('en')} samples`),
      );
      note(`${config.HISTORY_DAYS} days of history: ${rows.toLocaleString('en')} samples`);
      const fleet: FleetFile = {
        devices: devices.map((d) => {
          const s = last.get(d.id);
          const m = s?.metrics;
          // The live device continues the back-filled machine: same seed, counters and readings as of the last sample.
          const initial = m && s
            ? { runningHours: m.runningHours, loadedHours: m.loadedHours, motorStarts: m.motorStarts, loadCycles: m.loadCycles, separatorDpBar: m.separatorDpBar, airFilterDpMbar: m.airFilterDpMbar, atMs: s.ts }
            : undefined;
          return { id: d.id, token: d.token, modelId: d.modelId, serial: d.serial, siteId: d.siteId, utcOffsetMinutes: d.utcOffsetMinutes, ambientC: d.ambientC, seed: d.seed, initial };
        }),
      };
      await writeFile(fleetFile, JSON.stringify(fleet, null, 2), { mode: 0o600 });
      await chmod(fleetFile, 0o600);
    } else {
      note('already seeded');
    }
  });
  await pool.end();

  const servicePassword = newToken(24);
  const base = { ...process.env, LOG_LEVEL: config.LOG_LEVEL, NODE_ENV: process.env.NODE_ENV ?? 'development' };

  await progress.step('Starting the MQTT gateway', async (note) => {
    const gateway = spawnChild('gateway', path.join(root, 'gateway/src/main.ts'), {
      ...base,
      DATABASE_URL: databaseUrl,
      MQTT_PORT: String(config.MQTT_PORT),
      GATEWAY_HTTP_PORT: String(config.GATEWAY_HTTP_PORT),
      HOST: '127.0.0.1',
      MQTT_SERVICE_PASSWORD: servicePassword,
      DEVICE_TOKEN_PEPPER: deviceTokenPepper,
    }, logDir, GATEWAY_NODE_ARGS);
    children.push(gateway);
    await waitForHttp(`http://127.0.0.1:${config.GATEWAY_HTTP_PORT}/healthz`, gateway, 30_000);
    note(`mqtt://127.0.0.1:${config.MQTT_PORT}`);
  });

  await progress.step('Dashboard', ensureDashboard);

  const smtpUrl = await progress.step(config.SMTP_URL ? 'Outgoing mail (SMTP_URL)' : 'Starting the local mail catcher', async (note) => {
    if (config.SMTP_URL) return config.SMTP_URL;
    mailCatcher = await startMailCatcher(mailDir, config.MAIL_CATCHER_PORT);
    note(`notifications and reports are kept as .eml files in ${path.relative(process.cwd(), mailDir)}/`);
    return mailCatcher.url;
  });

  await progress.step('Starting the platform', async (note) => {
    const platform = spawnChild('platform', path.join(root, 'services/platform/src/main.ts'), {
      ...base,
      DATABASE_URL: databaseUrl,
      HTTP_PORT: String(config.HTTP_PORT),
      HOST: '127.0.0.1',
      DEVICE_TOKEN_PEPPER: deviceTokenPepper,
      SMTP_URL: smtpUrl,
      // Links in mails point at this dashboard (a PUBLIC_URL set in the environment wins).
      PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${config.HTTP_PORT}`,
    }, logDir);
    children.push(platform);
    await waitForHttp(`http://127.0.0.1:${config.HTTP_PORT}/readyz`, platform, 60_000);
    note(`http://localhost:${config.HTTP_PORT}`);
  });

  await progress.step('Starting the simulated fleet', async (note) => {
    if (!existsSync(fleetFile)) {
      note('no fleet file (the database was seeded elsewhere): no simulated devices');
      return;
    }
    const fleet = JSON.parse(await readFile(fleetFile, 'utf8')) as FleetFile;
    const count = Math.min(config.SIM_DEVICES ?? fleet.devices.length, fleet.devices.length);
    const sim = spawnChild('simulator', path.join(root, 'firmware-sim/src/fleet.cli.ts'), {
      ...base,
      MQTT_URL: `mqtt://127.0.0.1:${config.MQTT_PORT}`,
      DATA_DIR: dataDir,
      SIM_DEVICES: String(count),
      TELEMETRY_INTERVAL_MS: String(config.TELEMETRY_INTERVAL_MS),
    }, logDir);
    children.push(sim);
    note(`${count} compressors publishing every ${config.TELEMETRY_INTERVAL_MS / 1000} s`);
  });

  for (const child of children) {
    void child.exited.then(async (code) => {
      if (stopping) return;
      progress.info(`\n${child.name} exited unexpectedly (code ${code}). Last log lines (${child.logFile}):\n${await tail(child.logFile)}`);
      await shutdown(1);
    });
  }

  progress.info(`
AirFleet is ready in ${progress.elapsedS().toFixed(1)} s.
  Dashboard           http://localhost:${config.HTTP_PORT}/
  HTTP API            http://localhost:${config.HTTP_PORT}/api/
  API docs (Swagger)  http://localhost:${config.HTTP_PORT}/docs
  MQTT broker         mqtt://localhost:${config.MQTT_PORT}
  Gateway metrics     http://localhost:${config.GATEWAY_HTTP_PORT}/metrics
  Logs                ${path.relative(process.cwd(), logDir)}/
  Outgoing mail       ${mailCatcher ? `${path.relative(process.cwd(), mailDir)}/ (local catcher; set SMTP_URL to send for real)` : 'SMTP_URL'}

Demo logins (password "${DEMO_PASSWORD}"):
${DEMO_USERS.map((u) => `  ${u.email.padEnd(28)} ${u.role}`).join('\n')}

Press Ctrl-C to stop.`);
}

main().catch(async (err: unknown) => {
  // The message names the cause; the stack helps only when debugging the launcher itself.
  const debug = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  progress.info(`\nstart-up failed: ${err instanceof Error ? ((debug && err.stack) || err.message) : String(err)}`);
  for (const child of children) progress.info(`--- ${child.name} (${child.logFile})\n${await tail(child.logFile)}`);
  await shutdown(1);
});
