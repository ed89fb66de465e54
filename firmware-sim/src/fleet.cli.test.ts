import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviceStatusSchema, eventsTopic, statusTopic, telemetryMessageSchema, telemetryTopic } from '@airfleet/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observe, startTestBroker, until, type TestBroker } from './agent/broker.test-support.ts';
import type { FleetFile } from './fleet/fleet-file.schema.ts';
import { deviceProfile, modelSpec } from './model/index.ts';

const CLI = fileURLToPath(new URL('./fleet.cli.ts', import.meta.url));

interface Run {
  code: Promise<number | null>;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function runCli(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stderr: () => stderr, kill: (s) => child.kill(s) };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'airfleet-cli-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A seed whose plant runs around the clock (no week timer), so the test does not depend on today's weekday. */
function alwaysOnSeed(modelId: string, from: number): number {
  let seed = from;
  while (deviceProfile(modelSpec(modelId), seed).weekTimer) seed += 1;
  return seed;
}

const fleet: FleetFile = {
  devices: [
    { id: 'AF22-000701', token: 't1', modelId: 'AF22', siteId: 'site-a', utcOffsetMinutes: 60, seed: 701 },
    { id: 'AF90V-000702', token: 't2', modelId: 'AF90V', siteId: 'site-a', utcOffsetMinutes: 60, seed: alwaysOnSeed('AF90V', 702), initial: { runningHours: 12_000, atMs: Date.now() - 3_600_000 } },
    { id: 'AF37-000703', token: 't3', modelId: 'AF37', siteId: 'site-b' },
  ],
};

describe('fleet CLI', () => {
  it('exits non-zero with a clear message when the fleet file is missing', async () => {
    const run = runCli([], { DATA_DIR: dataDir });
    expect(await run.code).toBe(66);
    expect(run.stderr()).toContain(`fleet file not found: ${path.join(dataDir, 'fleet.json')}`);
    expect(run.stderr()).toContain('--provision');
  });

  it('refuses an invalid fleet file, naming the problem', async () => {
    await writeFile(path.join(dataDir, 'fleet.json'), JSON.stringify({ devices: [{ id: 'bad/id', token: 'x', modelId: 'AF99' }] }));
    const run = runCli([], { DATA_DIR: dataDir });
    expect(await run.code).toBe(65);
    expect(run.stderr()).toMatch(/devices\.0\.id/);
    expect(run.stderr()).toMatch(/unknown compressor model/);
  });

  describe('against a broker', () => {
    let broker: TestBroker;
    beforeEach(async () => {
      broker = await startTestBroker();
    });
    afterEach(async () => {
      await broker.close();
    });

    it('runs the first N devices, publishes telemetry, and on SIGTERM leaves each one retained offline', async () => {
      await writeFile(path.join(dataDir, 'fleet.json'), JSON.stringify(fleet));
      const ids = fleet.devices.map((d) => d.id);
      const o = await observe(broker.url, ids.flatMap((id) => [telemetryTopic(id), statusTopic(id)]));
      const run = runCli(['--devices', '2', '--interval', '200', '--mqtt', broker.url], { DATA_DIR: dataDir });
      try {
        const telemetryFrom = (id: string) => o.messages.filter((m) => m.topic === telemetryTopic(id));
        await until(() => telemetryFrom(ids[0] as string).length >= 2 && telemetryFrom(ids[1] as string).length >= 2, 20_000, 'telemetry from both devices');
        for (const m of [...telemetryFrom(ids[0] as string), ...telemetryFrom(ids[1] as string)]) telemetryMessageSchema.parse(JSON.parse(m.payload));
        // The fleet file's counters were honoured (replayed from atMs to now).
        const vsd = JSON.parse((telemetryFrom(ids[1] as string)[0] as { payload: string }).payload) as { metrics: { runningHours: number } };
        expect(vsd.metrics.runningHours).toBeGreaterThan(12_000);
        expect(vsd.metrics.runningHours).toBeLessThan(12_002);
        run.kill('SIGTERM');
        expect(await run.code).toBe(0);
        expect(o.messages.some((m) => m.topic.includes(ids[2] as string))).toBe(false);
        const after = await observe(broker.url, ids.slice(0, 2).map((id) => statusTopic(id)));
        await until(() => after.messages.length === 2, 5000, 'retained statuses');
        for (const m of after.messages) {
          const status = deviceStatusSchema.parse(JSON.parse(m.payload));
          expect(status.online).toBe(false);
          // Sent by the clean stop (it carries ts), not the broker's last will (`{"online":false}`).
          expect(status.ts).toBeTypeOf('number');
        }
        await after.client.endAsync();
      } finally {
        run.kill('SIGKILL');
        await o.client.endAsync();
      }
    });

    it('injects faults from --fault and --scenario into the devices they name', async () => {
      await writeFile(path.join(dataDir, 'fleet.json'), JSON.stringify(fleet));
      const ids = fleet.devices.map((d) => d.id) as [string, string, string];
      await writeFile(path.join(dataDir, 'scenario.json'), JSON.stringify({ description: 'test', faults: [{ device: ids[1], kind: 'sensor_dropout', onset: '+0s', severity: 1, metric: 'flowM3Min' }] }));
      const o = await observe(broker.url, ids.slice(0, 2).flatMap((id) => [telemetryTopic(id), eventsTopic(id)]));
      const run = runCli(['--devices', '2', '--interval', '200', '--mqtt', broker.url, '--fault', '0:sensor_dropout/vibrationMmS:+0s:1', '--scenario', path.join(dataDir, 'scenario.json')], { DATA_DIR: dataDir });
      try {
        const samplesOf = (id: string) =>
          o.messages.filter((m) => m.topic === telemetryTopic(id)).flatMap((m) => {
            const p = telemetryMessageSchema.parse(JSON.parse(m.payload));
            return Array.isArray(p) ? p : [p];
          });
        await until(() => samplesOf(ids[0]).length >= 3 && samplesOf(ids[1]).length >= 3, 20_000, 'telemetry from both devices');
        // Onset "+0s" is the run start: from the second sample on, the metric is gone.
        expect(samplesOf(ids[0]).slice(1).every((s) => s.metrics.vibrationMmS === undefined && s.metrics.flowM3Min !== undefined)).toBe(true);
        expect(samplesOf(ids[1]).slice(1).every((s) => s.metrics.flowM3Min === undefined && s.metrics.vibrationMmS !== undefined)).toBe(true);
        run.kill('SIGTERM');
        expect(await run.code).toBe(0);
      } finally {
        run.kill('SIGKILL');
        await o.client.endAsync();
      }
    });
  });

  it('refuses an invalid scenario file (65), a missing one (66) and a fault for a device not being run (64)', async () => {
    await writeFile(path.join(dataDir, 'fleet.json'), JSON.stringify(fleet));
    await writeFile(path.join(dataDir, 'bad.json'), JSON.stringify([{ device: 0, kind: 'stuck_sensor', onset: '+1h', severity: 1 }]));
    const bad = runCli(['--scenario', path.join(dataDir, 'bad.json')], { DATA_DIR: dataDir });
    expect(await bad.code).toBe(65);
    expect(bad.stderr()).toMatch(/0\.metric: stuck_sensor needs a metric/);
    const missing = runCli(['--scenario', path.join(dataDir, 'nope.json')], { DATA_DIR: dataDir });
    expect(await missing.code).toBe(66);
    const noDevice = runCli(['--devices', '1', '--fault', '2:air_leak:+1h:1'], { DATA_DIR: dataDir });
    expect(await noDevice.code).toBe(64);
    expect(noDevice.stderr()).toMatch(/no device "2" among the 1 devices/);
  });

  it('provisions devices through the API and appends them with their tokens to the fleet file', async () => {
    const created: unknown[] = [];
    let cookieSeen = '';
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/api/auth/login') {
          const { email, password } = JSON.parse(body) as { email: string; password: string };
          if (email !== 'admin@airfleet.example' || password !== 'airfleet-demo') return void res.writeHead(401).end();
          res.writeHead(200, { 'set-cookie': 'af_session=s3cret; HttpOnly; Path=/', 'content-type': 'application/json' });
          return void res.end('{}');
        }
        if (req.headers.cookie !== 'af_session=s3cret') return void res.writeHead(401).end();
        cookieSeen = req.headers.cookie;
        if (req.method === 'GET' && req.url === '/api/sites') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ sites: [{ id: 'huadong-songjiang', name: 'Mill', customerId: 'huadong', customerName: 'Huadong', city: 'Shanghai', country: 'CN', timezone: 'Asia/Shanghai', region: 'APAC' }] }));
        }
        if (req.method === 'POST' && req.url === '/api/devices') {
          const b = JSON.parse(body) as { id: string; modelId: string; siteId: string; serial: string };
          // The first number is taken on the platform already.
          if (created.length === 0 && b.id.endsWith('900001')) {
            created.push('conflict');
            return void res.writeHead(409).end();
          }
          created.push(b);
          const now = new Date().toISOString();
          res.writeHead(201, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({
            device: { id: b.id, serial: b.serial, modelId: b.modelId, siteId: b.siteId, customerId: 'huadong', enabled: true, online: false, firmware: null, statusAt: null, lastSeenAt: null, latest: null, createdAt: now },
            token: `token-${b.id}`,
          }));
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      await writeFile(path.join(dataDir, 'fleet.json'), JSON.stringify({ devices: [fleet.devices[0]], writer: 'demo-seed' }));
      const run = runCli(['--provision', '2', '--model', 'AF75', '--site', 'huadong-songjiang', '--api', `http://127.0.0.1:${port}`, '--email', 'admin@airfleet.example', '--password', 'airfleet-demo'], { DATA_DIR: dataDir });
      expect(await run.code).toBe(0);
      expect(cookieSeen).toBe('af_session=s3cret');
      const file = JSON.parse(await readFile(path.join(dataDir, 'fleet.json'), 'utf8')) as FleetFile & { writer: string };
      expect(file.writer).toBe('demo-seed'); // unknown keys survive the rewrite
      expect(file.devices.map((d) => d.id)).toEqual(['AF22-000701', 'AF75-900002', 'AF75-900003']);
      expect(file.devices[1]).toMatchObject({ token: 'token-AF75-900002', modelId: 'AF75', siteId: 'huadong-songjiang', utcOffsetMinutes: 480 });
      expect(typeof file.devices[1]?.seed).toBe('number');

      const bad = runCli(['--provision', '1', '--model', 'AF75', '--site', 'huadong-songjiang', '--api', `http://127.0.0.1:${port}`, '--email', 'admin@airfleet.example', '--password', 'wrong'], { DATA_DIR: dataDir });
      expect(await bad.code).toBe(69);
      expect(bad.stderr()).toMatch(/login as admin@airfleet.example failed: 401/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
