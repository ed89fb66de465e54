import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSimConfig, simEnvSchema, SimConfigError } from './sim.config.ts';

const env = (vars: Record<string, string> = {}) => simEnvSchema.parse(vars);

describe('resolveSimConfig', () => {
  it('defaults: all devices, 5 s, local broker, files under ./.data', () => {
    const c = resolveSimConfig([], env());
    expect(c).toMatchObject({ mqttUrl: 'mqtt://127.0.0.1:1883', devices: null, intervalMs: 5000, seed: 1, staggerMs: 25, provision: null });
    expect(c.fleetFile).toBe(path.resolve('.data/fleet.json'));
    expect(c.queueDir).toBe(path.resolve('.data/sim-queue'));
  });

  it('reads the environment and lets flags win', () => {
    const e = env({ MQTT_URL: 'mqtt://gw:1883', SIM_DEVICES: '7', TELEMETRY_INTERVAL_MS: '2000', DATA_DIR: '/tmp/af' });
    expect(resolveSimConfig([], e)).toMatchObject({ mqttUrl: 'mqtt://gw:1883', devices: 7, intervalMs: 2000, fleetFile: '/tmp/af/fleet.json', queueDir: '/tmp/af/sim-queue' });
    const c = resolveSimConfig(['--devices', '50', '--interval', '5000', '--seed', '1', '--mqtt', 'mqtt://other:1884', '--fleet', '/x/f.json', '--queue-dir', '/x/q'], e);
    expect(c).toMatchObject({ mqttUrl: 'mqtt://other:1884', devices: 50, intervalMs: 5000, seed: 1, fleetFile: '/x/f.json', queueDir: '/x/q' });
  });

  it.each([
    [['--devices', 'many'], /--devices must be an integer/],
    [['--interval', '5'], /--interval must be an integer between 100/],
    [['--mqtt', 'http://x'], /--mqtt must be an mqtt/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--model', 'AF37'], /--model only applies with --provision/],
    [['--provision', '3', '--model', 'AF99', '--site', 's'], /--model must be one of the catalogue models/],
    [['--provision', '3', '--model', 'AF37'], /--site is required/],
    [['--provision', '3', '--model', 'AF37', '--site', 's'], /--email and --password/],
  ])('rejects %j', (argv, message) => {
    expect(() => resolveSimConfig(argv, env())).toThrow(SimConfigError);
    expect(() => resolveSimConfig(argv, env())).toThrow(message);
  });

  it('provision mode collects the API login and target', () => {
    const c = resolveSimConfig(['--provision', '3', '--model', 'AF90V', '--site', 'lakeside-madison', '--api', 'http://127.0.0.1:9999', '--run'], env({ SIM_API_EMAIL: 'admin@airfleet.example', SIM_API_PASSWORD: 'pw' }));
    expect(c.provision).toEqual({ count: 3, apiUrl: 'http://127.0.0.1:9999', modelId: 'AF90V', siteId: 'lakeside-madison', email: 'admin@airfleet.example', password: 'pw', run: true });
  });
});
