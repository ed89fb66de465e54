import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULTS, connectFleet, formatFaultTable, runFault, startFaultRig, type FaultResult, type FaultRig, type Fleet } from '../support/fault-rig.ts';
import { runBench } from './run-bench.ts';

/**
 * The faults of tests/system/faults.test.ts at a larger scale: gateway and platform as child
 * processes on an embedded PostgreSQL, each fault injected under load, then drained and checked.
 *   npm run bench:faults -- --devices 50 --rate 1000 --duration 10
 * Exits 1 when an acknowledged message is missing, duplicated, or never acknowledged.
 */
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
  },
});
const DEVICES = Number(args.devices);
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);

let rig: FaultRig | undefined;
let fleet: Fleet | undefined;

async function main(): Promise<void> {
  say(`fault benchmark: ${DEVICES} devices, ${RATE} msg/s, ${DURATION_S} s of load per fault`);
  rig = await startFaultRig({ devices: DEVICES, say: (l) => say(`      ${l}`) });
  fleet = await connectFleet(rig);
  const results: FaultResult[] = [];
  for (const fault of FAULTS) {
    await rig.ensureRunning();
    const result = await runFault(rig, fleet, fault, { ratePerSec: RATE, durationMs: DURATION_S * 1000, drainTimeoutMs: 120_000, say: (l) => say(`      ${l}`) });
    results.push(result);
    say(`      ${fault.name}: sent ${result.sent}, acked ${result.acked}, stored ${result.stored}${result.problems.length > 0 ? ` — ${result.problems.join('; ')}` : ''}`);
  }
  say(`\nresult (${DEVICES} devices, ${RATE} msg/s, ${DURATION_S} s of load per fault)\n${formatFaultTable(results)}`);
  const failed = results.filter((r) => r.problems.length > 0);
  if (failed.length > 0) {
    const dir = fileURLToPath(new URL(`../artifacts/faults-bench-${new Date().toISOString().replace(/[:.]/g, '-')}/`, import.meta.url));
    await mkdir(dir, { recursive: true });
    await rig.keepLogs(dir);
    for (const r of failed) say(`\n${r.fault}:\n  ${r.problems.join('\n  ')}${r.examples.length > 0 ? `\n  e.g. ${r.examples.join('; ')}` : ''}`);
    say(`\nlogs kept in ${path.relative(process.cwd(), dir)}`);
    process.exitCode = 1;
  }
}

async function cleanup(): Promise<void> {
  await fleet?.close();
  await rig?.close();
}

runBench(main, cleanup, async () => rig?.tails());
