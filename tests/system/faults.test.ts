import { afterAll, beforeAll, describe, it } from 'vitest';
import { FAULTS, connectFleet, formatFaultTable, runFault, startFaultRig, type FaultResult, type FaultRig, type Fleet } from '../support/fault-rig.ts';
import { expectStoredExactlyOnce } from '../support/fault-expectations.ts';

/**
 * Fault injection with the deployed processes: embedded PostgreSQL, the gateway and the platform
 * as child processes, ten mqtt.js devices publishing telemetry at QoS 1 (200 msg/s in total).
 * Each fault runs under load; after a drain, every acknowledged message must be in PostgreSQL,
 * once, with the seq it was published with, and every message must have been acknowledged.
 * The larger version of the same faults: npm run bench:faults.
 */
const DEVICES = 10;
const RATE_PER_S = 200;
const LOAD_MS = 3_000;

describe('faults under load: an acknowledged message is stored exactly once', () => {
  let rig: FaultRig | undefined;
  let fleet: Fleet | undefined;
  const results: FaultResult[] = [];

  beforeAll(async () => {
    rig = await startFaultRig({ devices: DEVICES });
    fleet = await connectFleet(rig);
  });

  afterAll(async () => {
    if (results.length > 0) console.log(`faults (${DEVICES} devices, ${RATE_PER_S} msg/s):\n${formatFaultTable(results)}`);
    await fleet?.close();
    await rig?.close();
  });

  for (const fault of FAULTS) {
    it(fault.name, { timeout: 120_000 }, async () => {
      await rig!.ensureRunning();
      let result: FaultResult;
      try {
        result = await runFault(rig!, fleet!, fault, { ratePerSec: RATE_PER_S, durationMs: LOAD_MS, drainTimeoutMs: 30_000 });
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${await rig!.tails()}`, { cause: err });
      }
      results.push(result);
      await expectStoredExactlyOnce(rig!, fault.name, result, 'faults');
    });
  }
});
