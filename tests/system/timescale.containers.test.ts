import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContainerRuntimeClient } from 'testcontainers';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { telemetryTopic, telemetrySeriesSchema } from '@airfleet/contracts';
import { migrate } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The same ingest and bucketing path on TimescaleDB, when a container engine exists.
 * Without one (as on the small CI machines) the suite is skipped with a message; the
 * embedded PostgreSQL suites always run.
 */
async function engineAvailable(): Promise<string | undefined> {
  try {
    await getContainerRuntimeClient();
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

const noEngine = await engineAvailable();
if (noEngine) console.warn(`[timescale suite] skipped: no container engine found (${noEngine}). The embedded PostgreSQL suites cover the same paths.`);

describe.skipIf(Boolean(noEngine))('TimescaleDB tier (testcontainers)', () => {
  let container: StartedPostgreSqlContainer;
  let sys: System;

  beforeAll(async () => {
    container = await new PostgreSqlContainer('timescale/timescaledb:latest-pg17').start();
    await migrate(container.getConnectionUri());
    sys = await startSystem({ databaseUrl: container.getConnectionUri() });
  }, 300_000);
  afterAll(async () => {
    await sys?.close();
    await container?.stop();
  });

  it('makes telemetry a hypertable with 1-day chunks', async () => {
    const { rows } = await sys.pool.query(`SELECT d.time_interval FROM timescaledb_information.dimensions d WHERE d.hypertable_name = 'telemetry'`);
    expect(rows[0].time_interval.days ?? rows[0].time_interval).toBeTruthy();
  });

  it('ingests and buckets with time_bucket', async () => {
    const d = sys.devices[0]!;
    const c = await connectDevice(sys.mqttPort, d.id, d.token);
    const t0 = Date.now() - 120_000;
    for (let i = 0; i < 12; i++) await publishAsync(c, telemetryTopic(d.id), JSON.stringify({ ts: t0 + i * 10_000, seq: i, state: 'loaded', metrics: { pressureBar: 7 + i / 100 } }));
    await waitFor(async () => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [d.id])).rows[0].n === 12, 'rows');
    const cookie = await sys.login('operator@airfleet.example');
    const res = await sys.api(`/api/devices/${d.id}/telemetry?from=${t0}&to=${t0 + 120_000}&metrics=pressureBar&maxPoints=4`, cookie);
    const series = telemetrySeriesSchema.parse(await res.json());
    expect(series.count.reduce((a, b) => a + b, 0)).toBe(12);
    await c.endAsync();
  });
});
