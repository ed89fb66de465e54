import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { findModel } from '@airfleet/contracts';
import { FaultSpecError, parseFaultFlag, type FaultEntry } from './fleet/fault-scenario.schema.ts';

/**
 * Fleet simulator configuration: environment (parsed once with parseEnv, see
 * docs/architecture.md §2) overlaid by command-line flags. resolveSimConfig is pure so it can be tested
 * with tables of argv/env.
 */
export const simEnvSchema = z.object({
  DATA_DIR: z.string().min(1).default('./.data'),
  MQTT_URL: z.string().url().optional(),
  SIM_DEVICES: z.coerce.number().int().min(0).optional(),
  TELEMETRY_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).optional(),
  SIM_SEED: z.coerce.number().int().optional(),
  SIM_STAGGER_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  SIM_API_URL: z.string().url().optional(),
  SIM_API_EMAIL: z.string().optional(),
  SIM_API_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type SimEnv = z.infer<typeof simEnvSchema>;

export interface ProvisionConfig {
  count: number;
  apiUrl: string;
  modelId: string;
  siteId: string;
  email: string;
  password: string;
  /** Site UTC offset; looked up from the site's time zone when omitted. */
  utcOffsetMinutes?: number;
  /** Run the fleet after provisioning instead of exiting. */
  run: boolean;
}

export interface SimConfig {
  mqttUrl: string;
  fleetFile: string;
  queueDir: string;
  /** How many of the fleet file's devices to run; null = all. */
  devices: number | null;
  intervalMs: number;
  /** Base seed for devices without their own (and for provisioned ones). */
  seed: number;
  /** Pause between device starts: the gateway rate-limits CONNECTs per address. */
  staggerMs: number;
  logLevel: SimEnv['LOG_LEVEL'];
  provision: ProvisionConfig | null;
  /** Faults from `--fault` flags (onsets resolved against the run start later). */
  faults: FaultEntry[];
  /** `--scenario` file with more fault entries, or null. */
  scenarioFile: string | null;
  /** Reset a latched trip this long (device ms) after it once the machine has cooled; null = never (default). */
  autoResetTripAfterMs: number | null;
  help: boolean;
}

export class SimConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
    this.name = 'SimConfigError';
  }
}

export const USAGE = `Usage: npm run sim -- [options]

Runs simulated smart compressors from the fleet file against the MQTT gateway.

  --mqtt <url>          broker URL (MQTT_URL, default mqtt://127.0.0.1:1883)
  --devices <n>         run the first n devices of the fleet file (SIM_DEVICES, default all)
  --interval <ms>       telemetry interval (TELEMETRY_INTERVAL_MS, default 5000)
  --seed <n>            base seed for devices without one (SIM_SEED, default 1)
  --fleet <file>        fleet file (default $DATA_DIR/fleet.json; DATA_DIR default ./.data)
  --queue-dir <dir>     store-and-forward queues and saved state (default $DATA_DIR/sim-queue)
  --stagger-ms <ms>     pause between device connects (SIM_STAGGER_MS, default 25)

Fault injection (see firmware-sim/README.md):
  --fault <device>:<kind>[/<metric>]:<onset>:<severity>[/<developHours>[/<durationHours>]]
                        repeatable; device = id or 0-based index; onset = ISO time or +90m/+2h/+3d
                        kinds: cooler_fouling separator_clogging air_filter_clogging bearing_wear
                               air_leak stuck_sensor sensor_dropout network_outage
                        e.g. --fault 0:cooler_fouling:+2h:1  --fault 3:stuck_sensor/pressureBar:+1d:1
  --scenario <file>     JSON list of { device, kind, onset, severity, developHours?, durationHours?, metric? }
  --auto-reset <min>    reset a trip this many (device) minutes after it, once cooled (default: never)

Provisioning (creates devices through the platform API and appends them to the fleet file):
  --provision <n> --model <AF22|AF37|AF75|AF90V> --site <siteId>
  --api <url>           platform URL (SIM_API_URL, default http://127.0.0.1:8080)
  --email <e> --password <p>   an admin login (SIM_API_EMAIL / SIM_API_PASSWORD)
  --utc-offset <min>    site UTC offset (default: from the site's time zone)
  --run                 run the fleet afterwards instead of exiting
`;

function int(value: string | undefined, name: string, problems: string[], min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`--${name} must be an integer between ${min} and ${max} (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return n;
}

export function resolveSimConfig(argv: string[], env: SimEnv): SimConfig {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        mqtt: { type: 'string' },
        devices: { type: 'string' },
        interval: { type: 'string' },
        seed: { type: 'string' },
        fleet: { type: 'string' },
        'queue-dir': { type: 'string' },
        'stagger-ms': { type: 'string' },
        provision: { type: 'string' },
        api: { type: 'string' },
        model: { type: 'string' },
        site: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        'utc-offset': { type: 'string' },
        run: { type: 'boolean' },
        fault: { type: 'string', multiple: true },
        scenario: { type: 'string' },
        'auto-reset': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new SimConfigError([(err as Error).message]);
  }
  const s = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const problems: string[] = [];
  const mqttUrl = s('mqtt') ?? env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  if (!/^(mqtts?|tcp|ssl):\/\//.test(mqttUrl)) problems.push(`--mqtt must be an mqtt:// or mqtts:// URL (got ${JSON.stringify(mqttUrl)})`);
  const devices = int(s('devices'), 'devices', problems, 0) ?? env.SIM_DEVICES ?? null;
  const intervalMs = int(s('interval'), 'interval', problems, 100, 86_400_000) ?? env.TELEMETRY_INTERVAL_MS ?? 5000;
  const seed = int(s('seed'), 'seed', problems, -(2 ** 31), 2 ** 31) ?? env.SIM_SEED ?? 1;
  const staggerMs = int(s('stagger-ms'), 'stagger-ms', problems, 0, 60_000) ?? env.SIM_STAGGER_MS ?? 25;
  const autoResetMin = int(s('auto-reset'), 'auto-reset', problems, 0, 7 * 24 * 60);
  const faults: FaultEntry[] = [];
  for (const flag of Array.isArray(values.fault) ? values.fault : []) {
    try {
      faults.push(parseFaultFlag(flag));
    } catch (err) {
      if (!(err instanceof FaultSpecError)) throw err;
      problems.push(err.message);
    }
  }

  let provision: ProvisionConfig | null = null;
  const count = int(s('provision'), 'provision', problems, 1, 10_000);
  if (count !== undefined) {
    const modelId = s('model');
    const siteId = s('site');
    const email = s('email') ?? env.SIM_API_EMAIL;
    const password = s('password') ?? env.SIM_API_PASSWORD;
    if (!modelId || !findModel(modelId)) problems.push(`--model must be one of the catalogue models (got ${JSON.stringify(modelId ?? '')})`);
    if (!siteId) problems.push('--site is required with --provision');
    if (!email || !password) problems.push('--email and --password (or SIM_API_EMAIL / SIM_API_PASSWORD) are required with --provision');
    const apiUrl = s('api') ?? env.SIM_API_URL ?? 'http://127.0.0.1:8080';
    if (!/^https?:\/\//.test(apiUrl)) problems.push(`--api must be an http(s) URL (got ${JSON.stringify(apiUrl)})`);
    const utcOffsetMinutes = int(s('utc-offset'), 'utc-offset', problems, -840, 840);
    provision = {
      count,
      apiUrl,
      modelId: modelId ?? '',
      siteId: siteId ?? '',
      email: email ?? '',
      password: password ?? '',
      run: values.run === true,
      ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }),
    };
  } else {
    for (const flag of ['api', 'model', 'site', 'email', 'password', 'utc-offset']) {
      if (s(flag) !== undefined) problems.push(`--${flag} only applies with --provision`);
    }
  }
  if (problems.length > 0) throw new SimConfigError(problems);
  return {
    mqttUrl,
    fleetFile: path.resolve(s('fleet') ?? path.join(env.DATA_DIR, 'fleet.json')),
    queueDir: path.resolve(s('queue-dir') ?? path.join(env.DATA_DIR, 'sim-queue')),
    devices,
    intervalMs,
    seed,
    staggerMs,
    logLevel: env.LOG_LEVEL,
    provision,
    faults,
    scenarioFile: s('scenario') === undefined ? null : path.resolve(s('scenario') as string),
    autoResetTripAfterMs: autoResetMin === undefined ? null : autoResetMin * 60_000,
    help: values.help === true,
  };
}
