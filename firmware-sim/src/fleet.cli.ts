import { readFile } from 'node:fs/promises';
import { createLogger, onShutdown, parseEnv } from '@airfleet/runtime';
import { faultScenarioSchema, FaultSpecError, resolveFaults, type FaultEntry } from './fleet/fault-scenario.schema.ts';
import { FleetFileError, appendFleetDevices, readFleetFile } from './fleet/fleet-file.store.ts';
import { runFleet } from './fleet/fleet.runner.ts';
import { ProvisionError, provisionDevices } from './fleet/provision.client.ts';
import { resolveSimConfig, simEnvSchema, SimConfigError, USAGE } from './sim.config.ts';

/**
 * Fleet CLI: `npm run sim -- --devices 50 --interval 5000 --seed 1`, or `--provision N …`.
 * Also spawned by the local launcher (progress goes to it over IPC when there is a channel).
 * Exit codes follow sysexits: 64 usage, 66 fleet file missing, 65 fleet file invalid,
 * 69 platform API unavailable/refused (provisioning). A scenario file that is missing is 66,
 * invalid 65; a fault naming a device that is not being run is 64.
 */
function fail(code: number, message: string): never {
  process.stderr.write(`firmware-sim: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const env = parseEnv(simEnvSchema, process.env, 'firmware-sim');
  let config;
  try {
    config = resolveSimConfig(process.argv.slice(2), env);
  } catch (err) {
    if (err instanceof SimConfigError) fail(64, `${err.message}\n\n${USAGE}`);
    throw err;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = createLogger('firmware-sim', { level: config.logLevel });

  if (config.provision) {
    let existing = new Set<string>();
    try {
      existing = new Set((await readFleetFile(config.fleetFile)).devices.map((d) => d.id));
    } catch (err) {
      if (!(err instanceof FleetFileError && err.kind === 'missing')) throw err;
    }
    try {
      const created = await provisionDevices(config.provision, { log, existingIds: existing, baseSeed: config.seed });
      await appendFleetDevices(config.fleetFile, created);
      log.info({ created: created.length, fleetFile: config.fleetFile }, 'provisioned devices appended to the fleet file');
    } catch (err) {
      if (err instanceof ProvisionError) fail(69, err.message);
      throw err;
    }
    if (!config.provision.run) return;
  }

  let fleet;
  try {
    fleet = await readFleetFile(config.fleetFile);
  } catch (err) {
    if (err instanceof FleetFileError && err.kind === 'missing') {
      fail(
        66,
        `${err.message}\n` +
          '  The demo seed writes it on the first `npm start`. Or provision devices:\n' +
          '  npm run sim -- --provision 5 --model AF37 --site <siteId> --email <admin> --password <password>\n' +
          '  (or point --fleet / DATA_DIR at an existing fleet file)',
      );
    }
    if (err instanceof FleetFileError) fail(65, err.message);
    throw err;
  }
  const devices = fleet.devices.slice(0, config.devices ?? fleet.devices.length);
  if (config.devices !== null && config.devices > fleet.devices.length) {
    log.warn({ requested: config.devices, available: fleet.devices.length }, 'fewer devices in the fleet file than requested; running all');
  }
  if (devices.length === 0) fail(66, `no devices to run (fleet file ${config.fleetFile} has ${fleet.devices.length})`);

  const entries: FaultEntry[] = [...config.faults];
  if (config.scenarioFile) {
    let text: string;
    try {
      text = await readFile(config.scenarioFile, 'utf8');
    } catch {
      fail(66, `scenario file not found: ${config.scenarioFile}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      fail(65, `scenario file ${config.scenarioFile} is not JSON: ${(err as Error).message}`);
    }
    const parsed = faultScenarioSchema.safeParse(json);
    if (!parsed.success) {
      fail(65, `scenario file ${config.scenarioFile} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    }
    entries.push(...parsed.data);
  }
  let faults;
  try {
    // Relative onsets (+2h) count from now: the start of this run.
    faults = resolveFaults(entries, devices, Date.now());
  } catch (err) {
    if (err instanceof FaultSpecError) fail(64, err.message);
    throw err;
  }
  for (const [deviceId, specs] of faults) log.info({ deviceId, faults: specs }, 'fault injected');

  log.info({ devices: devices.length, mqtt: config.mqttUrl, intervalMs: config.intervalMs, queueDir: config.queueDir }, 'starting simulated fleet');
  const running = runFleet(config, devices, log, (p) => process.send?.(p), faults);
  onShutdown(log, [() => running.stop()]);
}

main().catch((err: unknown) => {
  process.stderr.write(`firmware-sim: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
