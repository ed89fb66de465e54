import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { FaultResult, FaultRig } from './fault-rig.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * Every acknowledged message stored exactly once, and after the drain every message acknowledged.
 * On a problem the processes' logs are kept under tests/artifacts/<prefix>-<time> and quoted.
 */
export async function expectStoredExactlyOnce(rig: FaultRig, name: string, result: FaultResult, prefix: string): Promise<void> {
  let report = `${name}: sent ${result.sent}, acked ${result.acked}, stored ${result.stored}, re-sent ${result.resent}`;
  if (result.problems.length > 0) {
    const dir = path.join(artifacts, `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await mkdir(dir, { recursive: true });
    await rig.keepLogs(dir);
    report += `\nexamples: ${result.examples.join('; ')}\nlogs kept in ${dir}\n${await rig.tails()}`;
  }
  expect(
    { problems: result.problems, ackedButMissing: result.ackedButMissing, seqMismatch: result.seqMismatch, duplicates: result.duplicates, unacked: result.unacked, crashed: result.crashed },
    report,
  ).toEqual({ problems: [], ackedButMissing: 0, seqMismatch: 0, duplicates: 0, unacked: 0, crashed: [] });
  expect(result.acked, report).toBe(result.sent);
  expect(result.stored, report).toBe(result.sent);
}
