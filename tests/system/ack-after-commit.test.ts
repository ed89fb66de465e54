import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetryTopic } from '@airfleet/contracts';
import type { MqttClient } from 'mqtt';
import type { EmbeddedDb } from '@airfleet/launcher';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * At-least-once with ack after commit: the database goes away while devices publish.
 * The ingest must not acknowledge what it could not commit, so after the restart every
 * published seq is stored exactly once. This file runs its own PostgreSQL so stopping it
 * doesn't disturb other test files.
 */
describe('ack after commit: a database outage while devices publish loses nothing', () => {
  let scratch: ScratchPostgres;
  let pgServer: EmbeddedDb;
  let sys: System;
  const DEVICES = 4;

  beforeAll(async () => {
    scratch = await startScratchPostgres('ack');
    pgServer = scratch.server;
    sys = await startSystem({ databaseUrl: scratch.url });
  });
  afterAll(async () => {
    await sys?.close();
    await scratch?.dispose();
  });

  it('stores every published seq exactly once after the database restarts', async () => {
    const devices = sys.devices.slice(0, DEVICES);
    const clients: MqttClient[] = await Promise.all(devices.map((d) => connectDevice(sys.mqttPort, d.id, d.token)));
    const published = new Map<string, number>(devices.map((d) => [d.id, 0]));
    let running = true;
    const base = Date.now() - 30_000;
    const loops = devices.map(async (d, i) => {
      let seq = 0;
      while (running) {
        // The gateway PUBACKs on receipt: from the device's view the sample is delivered.
        await publishAsync(clients[i]!, telemetryTopic(d.id), JSON.stringify({ ts: base + seq, seq, state: 'loaded', metrics: { pressureBar: 7 } }));
        seq += 1;
        published.set(d.id, seq);
        await new Promise((r) => setTimeout(r, 10));
      }
    });

    await waitFor(async () => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry').catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n > 50, 'ingest running');
    await pgServer.stop();
    const failuresBefore = await counterValue(sys.registry, 'airfleet_ingest_commit_failures_total');
    await waitFor(async () => (await counterValue(sys.registry, 'airfleet_ingest_commit_failures_total')) > failuresBefore, 'commits failing while the database is down');
    await new Promise((r) => setTimeout(r, 1500));
    await pgServer.start();
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await Promise.all(loops);

    for (const d of devices) {
      const total = published.get(d.id)!;
      const row = await waitFor(async () => {
        const { rows } = await sys.pool.query('SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, min(seq)::int AS lo, max(seq)::int AS hi FROM telemetry WHERE device_id = $1', [d.id]);
        return rows[0].n >= total ? rows[0] : undefined;
      }, `all ${total} samples of ${d.id}`, 60_000);
      expect(row).toEqual({ n: total, distinct_seq: total, lo: 0, hi: total - 1 });
    }
    await Promise.all(clients.map((c) => c.endAsync()));
  });
});
