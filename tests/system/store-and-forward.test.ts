import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceAgent } from '@airfleet/firmware-sim';
import { createLogger } from '@airfleet/runtime';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Store-and-forward through the real gateway, ingest and PostgreSQL: a simulated
 * compressor keeps sampling while its network is down, then replays. Every sample it
 * took must be stored exactly once.
 */
describe('store-and-forward: samples taken offline are all stored exactly once after reconnect', () => {
  let sys: System;
  let queueDir: string;

  beforeAll(async () => {
    sys = await startSystem();
    queueDir = await mkdtemp(path.join(tmpdir(), 'airfleet-sf-'));
  });
  afterAll(async () => {
    await sys?.close();
    await rm(queueDir, { recursive: true, force: true });
  });

  const agentFor = (i: number) => {
    const d = sys.devices[i]!;
    return new DeviceAgent({ deviceId: d.id, token: d.token, modelId: d.modelId, seed: d.seed, mqttUrl: `mqtt://127.0.0.1:${sys.mqttPort}`, queueDir, intervalMs: 10, reconnectPeriodMs: 200, log: createLogger('sim', { level: 'silent' }) });
  };

  async function stored(deviceId: string): Promise<{ n: number; distinct: number; lo: number; hi: number }> {
    const { rows } = await sys.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct, coalesce(min(seq), -1)::int AS lo, coalesce(max(seq), -1)::int AS hi FROM telemetry WHERE device_id = $1',
      [deviceId],
    );
    return rows[0];
  }

  it('replays an outage of more than one batch (> 500 samples) without loss or duplicates', async () => {
    const agent = agentFor(8);
    await agent.start();
    await waitFor(async () => (await stored(sys.devices[8]!.id)).n > 20, 'live samples stored');
    agent.simulateOutage();
    const atOutage = agent.stats.seq;
    await waitFor(() => agent.stats.seq - atOutage > 700, () => `samples taken while offline (${JSON.stringify(agent.stats)})`, 60_000);
    expect(agent.stats.connected).toBe(false);
    const atRestore = agent.stats.seq;
    agent.restoreNetwork();
    // Everything taken up to the restore has been acknowledged (live samples keep coming meanwhile).
    await waitFor(() => agent.stats.acked >= atRestore, () => `offline samples acknowledged (${atRestore}; ${JSON.stringify(agent.stats)})`, 60_000);
    await agent.stop();
    // Under load a few of the newest samples may still sit in the device's queue at stop (they stay
    // on its disk for the next start): everything acknowledged must be stored, contiguously, once.
    const acked = agent.stats.acked;
    const taken = agent.stats.seq;
    expect(acked).toBeGreaterThanOrEqual(atRestore);
    const row = await waitFor(async () => {
      const s = await stored(sys.devices[8]!.id);
      return s.n >= acked ? s : undefined;
    }, () => `all ${acked} acknowledged samples stored (${taken} taken)`, 60_000);
    expect(row.distinct).toBe(row.n);
    expect(row.lo).toBe(0);
    expect(row.hi).toBe(row.n - 1);
    expect(row.n).toBeLessThanOrEqual(taken);
    // The replay went out as arrays, not one message per sample.
    expect(agent.stats.published).toBeLessThan(agent.stats.acked);
  }, 180_000);

  it('keeps the offline queue across a device restart and delivers it after reconnect', async () => {
    const first = agentFor(9);
    await first.start();
    await waitFor(async () => (await stored(sys.devices[9]!.id)).n > 5, 'live samples stored');
    first.simulateOutage();
    const atOutage = first.stats.seq;
    await waitFor(() => first.stats.seq - atOutage > 100, 'samples taken while offline');
    await first.stop({ sendOffline: false });
    const takenByFirst = first.stats.seq;
    const lastTsOfFirst = first.modelState!.tMs;
    expect(first.stats.acked).toBeLessThan(takenByFirst);

    // A new process for the same device and queue directory (the restart); seq starts again at 0.
    const second = agentFor(9);
    await second.start();
    await waitFor(() => second.stats.acked >= takenByFirst - first.stats.acked, 'queue drained after restart', 30_000);
    await second.stop();
    const firstBoot = await waitFor(async () => {
      const { rows } = await sys.pool.query(
        'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct, max(seq)::int AS hi FROM telemetry WHERE device_id = $1 AND ts <= to_timestamp($2 / 1000.0)',
        [sys.devices[9]!.id, lastTsOfFirst],
      );
      return rows[0].n >= takenByFirst ? rows[0] : undefined;
    }, 'first boot samples stored');
    expect(firstBoot).toEqual({ n: takenByFirst, distinct: takenByFirst, hi: takenByFirst - 1 });
  }, 180_000);
});
