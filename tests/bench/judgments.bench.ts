import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeviceAgent, acceleratedClock, GRADUAL_FAULT_KINDS, type FaultKind, type FaultSpec } from '@airfleet/firmware-sim';
import { createLogger } from '@airfleet/runtime';
import { startBenchStack, type BenchStack } from './bench-stack.ts';
import { runBench } from './run-bench.ts';

/**
 * How good are the judgments? An accelerated fleet (default 40 devices × 30 simulated days,
 * half with one injected fault each) runs through the real gateway, ingest and rules, with
 * the platform on the same fast-forward clock as the devices (event time). Prints per fault:
 * detected?, first judgment or alarm, lead time before the trip it causes, and the false
 * alarm rate on healthy devices.
 *   npm run bench -- judgments --devices 40 --days 30 --speed 5000
 */
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '40' },
    days: { type: 'string', default: '30' },
    speed: { type: 'string', default: '5000' },
    'interval-s': { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
  },
});
const DEVICES = Number(args.devices);
const DAYS = Number(args.days);
const SPEED = Number(args.speed);
const INTERVAL_MS = Number(args['interval-s']) * 1000;
const SEED = Number(args.seed);
const DAY = 86_400_000;
const START = Date.UTC(2026, 8, 7); // a Monday: shift patterns start at a week boundary
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);

const FAULT_ROTATION: FaultKind[] = ['cooler_fouling', 'separator_clogging', 'bearing_wear', 'air_filter_clogging', 'air_leak', 'stuck_sensor', 'sensor_dropout', 'network_outage'];

interface Run {
  id: string;
  modelId: string;
  fault?: FaultSpec;
  tripMs?: number;
  tripCode?: string;
}

let stack: BenchStack | undefined;
const agents: DeviceAgent[] = [];
let queueDir = '';

async function main(): Promise<void> {
  const models = ['AF22', 'AF37', 'AF75', 'AF90V'];
  const perModel = Object.fromEntries(models.map((m, i) => [m, Math.floor(DEVICES / models.length) + (i < DEVICES % models.length ? 1 : 0)]));
  const realMinutes = (DAYS * DAY) / SPEED / 60_000;
  say(`judgments benchmark: ${DEVICES} devices × ${DAYS} simulated days at ${SPEED}× (≈ ${realMinutes.toFixed(1)} real minutes), a sample every ${INTERVAL_MS / 1000} s of device time`);
  // One timeline for devices and platform: ingest's timestamp window and the sweeps run on it.
  const clock = acceleratedClock(START, SPEED);
  stack = await startBenchStack({ devicesPerModel: perModel, clock, sweepIntervalMs: 200, say: (l) => say(`  ${l}`) });
  queueDir = await mkdtemp(path.join(tmpdir(), 'airfleet-jb-'));

  // Every other device gets one fault, kinds in rotation, onset between day 3 and day 12.
  const runs: Run[] = stack.devices.map((d, i) => {
    if (i % 2 === 1) return { id: d.id, modelId: d.modelId };
    const k = Math.floor(i / 2);
    const kind = FAULT_ROTATION[k % FAULT_ROTATION.length]!;
    const onsetMs = START + (3 + ((k * 7 + SEED) % 10)) * DAY;
    const fault: FaultSpec = { kind, onsetMs, severity: 1, ...(kind === 'stuck_sensor' || kind === 'sensor_dropout' ? { metric: 'elementTempC' as const } : {}) };
    return { id: d.id, modelId: d.modelId, fault };
  });

  const log = createLogger('sim', { level: 'warn' });
  for (const [i, r] of runs.entries()) {
    const d = stack.devices[i]!;
    const agent = new DeviceAgent({
      deviceId: d.id,
      token: d.token,
      modelId: d.modelId,
      seed: SEED * 1000 + i,
      mqttUrl: stack.mqttUrl,
      queueDir,
      intervalMs: INTERVAL_MS,
      clock,
      clockSpeed: SPEED,
      initial: { atMs: clock() },
      faults: r.fault ? [r.fault] : [],
      log,
      onEvent: (e) => {
        if (e.type === 'trip' && r.tripMs === undefined) {
          r.tripMs = e.ts;
          r.tripCode = e.code;
        }
      },
    });
    agents.push(agent);
    await agent.start();
  }
  say(`  ${agents.length} devices running`);

  // The daily fleet job, on simulated midnights.
  let lastDay = Math.floor(clock() / DAY);
  const end = START + DAYS * DAY;
  while (clock() < end) {
    await new Promise((r) => setTimeout(r, 500));
    const day = Math.floor(clock() / DAY);
    if (day > lastDay) {
      for (let dd = lastDay; dd < day; dd += 1) {
        const iso = new Date(dd * DAY).toISOString().slice(0, 10);
        await stack.rules.fleet.runFleetAnalysis({ day: iso }).catch((err: Error) => say(`  fleet analysis ${iso} failed: ${err.message}`));
      }
      lastDay = day;
      const trips = runs.filter((r) => r.tripMs !== undefined).length;
      say(`  day ${day - Math.floor(START / DAY)}/${DAYS}: ${trips} trips so far`);
    }
  }
  for (const a of agents) await a.stop({ sendOffline: false });
  await new Promise((r) => setTimeout(r, 2000));
  await report(stack, runs);
}

async function report(s: BenchStack, runs: Run[]): Promise<void> {
  // Service-plan notices (due/overdue by hours or calendar) come from the schedule, not from the
  // machine's condition: they are neither a detection of a fault nor a false alarm.
  const { rows: signals } = await s.pool.query<{ device_id: string; at: Date; what: string; severity: string; schedule: boolean }>(
    `SELECT device_id, started_at AS at, 'alarm ' || type AS what, severity, source = 'service' AS schedule FROM alarms
     UNION ALL
     SELECT device_id, ts AS at, 'judgment ' || kind AS what, severity, kind IN ('maintenance_due', 'service_reset') AS schedule FROM judgments
     ORDER BY at`,
  );
  const scheduleNotices = signals.filter((sg) => sg.schedule).length;
  const byDevice = new Map<string, typeof signals>();
  for (const sg of signals) byDevice.set(sg.device_id, [...(byDevice.get(sg.device_id) ?? []), sg]);
  const hours = (ms: number): string => `${(ms / 3_600_000).toFixed(1)} h`;

  say('\nfault                 device          detected  first signal                              lead before trip');
  const gradualLeads: number[] = [];
  let undetectedBeforeTrip = 0;
  for (const r of runs.filter((x) => x.fault)) {
    const f = r.fault!;
    const own = (byDevice.get(r.id) ?? []).filter((sg) => !sg.schedule && sg.at.getTime() >= f.onsetMs);
    // A signal only counts as detection if it came before the trip (the trip alarm itself doesn't).
    const before = own.filter((sg) => r.tripMs === undefined || sg.at.getTime() < r.tripMs);
    const first = before[0];
    let lead = 'no trip in window';
    if (r.tripMs !== undefined) {
      if (first) {
        const ms = r.tripMs - first.at.getTime();
        lead = `${hours(ms)} (trip ${r.tripCode}, ${hours(r.tripMs - f.onsetMs)} after onset)`;
        if (GRADUAL_FAULT_KINDS.includes(f.kind)) gradualLeads.push(ms);
      } else {
        lead = `none: tripped ${hours(r.tripMs - f.onsetMs)} after onset (${r.tripCode})`;
        undetectedBeforeTrip += 1;
      }
    }
    const firstText = first ? `${first.what} (${first.severity}) +${hours(first.at.getTime() - f.onsetMs)}` : '—';
    say(`${f.kind.padEnd(21)} ${r.id.padEnd(15)} ${(first ? 'yes' : 'no').padEnd(9)} ${firstText.padEnd(41)} ${lead}`);
  }
  const healthy = runs.filter((x) => !x.fault);
  const healthySignals = healthy.flatMap((r) => (byDevice.get(r.id) ?? []).filter((sg) => !sg.schedule && sg.what.startsWith('alarm ')));
  const byType = new Map<string, number>();
  for (const sg of healthySignals) byType.set(sg.what, (byType.get(sg.what) ?? 0) + 1);
  const deviceMonths = (healthy.length * DAYS) / 30;
  const critical = healthySignals.filter((sg) => sg.severity === 'critical');
  const healthyTrips = healthy.filter((r) => r.tripMs !== undefined).length;
  const tripped = runs.filter((r) => r.fault && r.tripMs !== undefined).length;
  gradualLeads.sort((a, b) => a - b);
  const median = gradualLeads.length ? gradualLeads[Math.floor((gradualLeads.length - 1) / 2)]! : undefined;
  say(`
summary
  faults detected before their trip        ${tripped - undetectedBeforeTrip} of ${tripped} that tripped
  median lead, gradual faults              ${median === undefined ? 'n/a' : hours(median)} (n = ${gradualLeads.length})
  false alarms on healthy devices          ${healthySignals.length} = ${(healthySignals.length / deviceMonths).toFixed(2)} per device-month (${[...byType].map(([t, n]) => `${t} × ${n}`).join(', ') || 'none'})
  false critical alarms on healthy devices ${critical.length}
  trips on healthy devices                 ${healthyTrips}
  service-plan notices (all devices)       ${scheduleNotices} (schedule-driven; counted neither as detection nor as false alarm)`);
}

async function cleanup(): Promise<void> {
  for (const a of agents) await a.stop({ sendOffline: false }).catch(() => undefined);
  await stack?.close();
  if (queueDir) await rm(queueDir, { recursive: true, force: true });
}

runBench(main, cleanup);
