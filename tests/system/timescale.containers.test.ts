import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContainerRuntimeClient } from 'testcontainers';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { METRIC_KEYS, telemetryTopic, telemetrySeriesSchema } from '@airfleet/contracts';
import { bucketSql, createTelemetryQueryRepository, createTelemetryRollupJob, createTelemetryRollupRepository, migrate, writeBatch } from '@airfleet/platform';
import { createLogger } from '@airfleet/runtime';
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

  it('makes telemetry a hypertable with 1-day chunks, compressed per device in time order', async () => {
    const { rows } = await sys.pool.query(`SELECT extract(epoch FROM d.time_interval)::int AS s FROM timescaledb_information.dimensions d WHERE d.hypertable_name = 'telemetry'`);
    expect(rows).toEqual([{ s: 86_400 }]);
    const { rows: settings } = await sys.pool.query(
      `SELECT attname, segmentby_column_index AS seg, orderby_column_index AS ord, orderby_asc AS asc
         FROM timescaledb_information.compression_settings WHERE hypertable_name = 'telemetry' ORDER BY attname`,
    );
    expect(settings).toEqual([
      { attname: 'device_id', seg: 1, ord: null, asc: null },
      { attname: 'ts', seg: null, ord: 1, asc: false },
    ]);
    const { rows: policy } = await sys.pool.query(
      `SELECT (config->>'compress_after')::interval = INTERVAL '8 days' AS ok FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression' AND hypertable_name = 'telemetry'`,
    );
    expect(policy).toEqual([{ ok: true }]);
  });

  it('keeps the history levels as real-time continuous aggregates with refresh policies', async () => {
    const { rows } = await sys.pool.query(
      `SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates WHERE view_name IN ('telemetry_5m', 'telemetry_1h') ORDER BY view_name`,
    );
    expect(rows).toEqual([
      { view_name: 'telemetry_1h', materialized_only: false },
      { view_name: 'telemetry_5m', materialized_only: false },
    ]);
    const { rows: jobs } = await sys.pool.query(
      `SELECT c.view_name FROM timescaledb_information.jobs j JOIN timescaledb_information.continuous_aggregates c ON c.materialization_hypertable_name = j.hypertable_name
        WHERE j.proc_name = 'policy_refresh_continuous_aggregate' ORDER BY 1`,
    );
    expect(jobs.map((j: { view_name: string }) => j.view_name)).toEqual(['telemetry_1h', 'telemetry_5m']);
  });

  it('answers chart reads from the aggregates as raw bucketing does, late samples included', async () => {
    const deviceId = sys.devices[1]!.id;
    const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 86_400_000;
    const rows = Array.from({ length: 2 * 8640 }, (_, i) => ({ deviceId, sample: { ts: start + i * 10_000 + (i % 7), seq: i, state: 'loaded' as const, metrics: { pressureBar: 7 + (i % 50) / 100, motorStarts: 100 + Math.floor(i / 500) } } }));
    const client = await sys.pool.connect();
    try {
      for (let i = 0; i < rows.length; i += 2000) await writeBatch(client, { telemetry: rows.slice(i, i + 2000), statuses: [], events: [], acks: [], deadLetters: [] });
    } finally {
      client.release();
    }
    const repo = createTelemetryQueryRepository(sys.pool);
    const job = createTelemetryRollupJob({ pool: sys.pool, rollup: createTelemetryRollupRepository(sys.pool), log: createLogger('timescale-test', { level: 'silent' }) });
    const p = METRIC_KEYS.indexOf('pressureBar');
    const m = METRIC_KEYS.indexOf('motorStarts');
    const check = async (): Promise<void> => {
      for (const bucketMs of [300_000, 3_600_000, 86_400_000]) {
        const q = { deviceId, fromMs: start - 1_234, toMs: start + 2 * 86_400_000 + 5_678, bucketMs };
        expect((await repo.plan(q)).stored.length).toBeGreaterThan(0);
        const got = await repo.buckets({ ...q, metrics: METRIC_KEYS });
        const { rows: want } = await sys.pool.query(bucketSql('timescale', METRIC_KEYS), [deviceId, new Date(q.fromMs), new Date(q.toMs), bucketMs]);
        expect(got.map((b) => [b.t, b.count, b.values.pressureBar?.min, b.values.pressureBar?.max, b.values.motorStarts?.avg])).toEqual(
          want.map((r: Record<string, unknown>) => [(r.bucket as Date).getTime(), r.n, r[`m${p}_min`], r[`m${p}_max`], r[`m${m}_avg`]]),
        );
      }
    };
    await job.runOnce();
    await check();
    // A replayed sample in an old hour: read raw until the job refreshed its span, then from the aggregate.
    const client2 = await sys.pool.connect();
    try {
      await writeBatch(client2, { telemetry: [{ deviceId, sample: { ts: start + 3_600_000 + 5_001, seq: 99_999, state: 'loaded', metrics: { pressureBar: 99, motorStarts: 1 } } }], statuses: [], events: [], acks: [], deadLetters: [] });
    } finally {
      client2.release();
    }
    await check();
    expect((await job.runOnce()).markers).toBe(1);
    await check();
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
