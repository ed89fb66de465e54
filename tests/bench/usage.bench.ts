import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { writeBatch, type IngestBatch } from '@airfleet/platform';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';
import { startSystem, type System } from '../support/system-harness.ts';
import { runBench } from './run-bench.ts';

/**
 * Customer usage report latency: a realistic site — the demo's Sheffield site
 * (4 machines, London time) — with `--days` of 60 s history written by the ingest batch writer,
 * then `GET /api/customer/usage` over HTTP for 7/30/90/365 days at day/week/month granularity,
 * cold (the daily rollup emptied first) and warm. Prints medians and p95 per case, and the plans
 * of the statements a warm report runs.
 *   npm run bench:usage [-- --days 372 --warm 15 --cold 2]
 */
const { values: args } = parseArgs({
  options: { days: { type: 'string', default: '372' }, warm: { type: 'string', default: '15' }, cold: { type: 'string', default: '2' }, site: { type: 'string', default: 'northwind-sheffield' } },
});
const DAYS = Number(args.days);
const WARM = Number(args.warm);
const COLD = Number(args.cold);
const SITE = args.site;
const STEP_MS = 60_000;
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

let scratch: ScratchPostgres | undefined;
let sys: System | undefined;

/**
 * Minute by minute: two shifts 06–22 on weekdays (loaded 3 minutes in 4, else unloaded), at night
 * and weekends a leak keeps one machine in four cycling (loaded 1 minute in 6), the others stopped.
 */
function sampleAt(ts: number, i: number, machine: number, ratedKw: number, fad: number, counters: { run: number; load: number }) {
  const d = new Date(ts);
  const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  const hour = d.getUTCHours();
  const production = weekday && hour >= 6 && hour < 22;
  let state: 'loaded' | 'unloaded' | 'stopped';
  if (production) state = (i + machine) % 4 === 3 ? 'unloaded' : 'loaded';
  else if (machine % 4 === 0) state = i % 6 === 0 ? 'loaded' : 'unloaded';
  else state = 'stopped';
  if (state !== 'stopped') counters.run += 1 / 60;
  if (state === 'loaded') counters.load += 1 / 60;
  const wobble = 1 + 0.03 * Math.sin(i / 37 + machine);
  const powerKw = state === 'loaded' ? ratedKw * wobble : state === 'unloaded' ? ratedKw * 0.25 : 0;
  const flowM3Min = state === 'loaded' ? fad * wobble : 0;
  return { ts, seq: i, state, metrics: { powerKw, flowM3Min, pressureBar: state === 'loaded' ? 7.2 : 7.4, runningHours: counters.run, loadedHours: counters.load } };
}

async function seed(devices: Array<{ id: string; rated: number; fad: number }>, endMs: number): Promise<void> {
  const startMs = endMs - DAYS * 86_400_000;
  const perDevice = Math.floor((endMs - startMs) / STEP_MS);
  const total = perDevice * devices.length;
  say(`seeding ${devices.length} machines × ${DAYS} days of 60 s samples = ${total.toLocaleString('en')} rows through writeBatch`);
  await sys!.pool.query(`UPDATE device_status SET telemetry_interval_ms = $2 WHERE device_id = ANY($1::text[])`, [devices.map((d) => d.id), STEP_MS]);
  await sys!.pool.query(
    `INSERT INTO device_status (device_id, online, telemetry_interval_ms, payload, updated_at)
     SELECT id, true, $2, '{}', now() FROM unnest($1::text[]) AS id ON CONFLICT (device_id) DO UPDATE SET telemetry_interval_ms = EXCLUDED.telemetry_interval_ms`,
    [devices.map((d) => d.id), STEP_MS],
  );
  const counters = devices.map((_, k) => ({ run: 1000 + k * 500, load: 800 + k * 400 }));
  const client = await sys!.pool.connect();
  const t0 = performance.now();
  let written = 0;
  let lastReport = t0;
  try {
    const CHUNK = 1440; // a day per machine and batch: 4–8 k rows, one statement
    for (let i = 0; i < perDevice; i += CHUNK) {
      const telemetry: IngestBatch['telemetry'] = [];
      for (const [k, d] of devices.entries()) {
        for (let j = i; j < Math.min(i + CHUNK, perDevice); j++) telemetry.push({ deviceId: d.id, sample: sampleAt(startMs + j * STEP_MS, j, k, d.rated, d.fad, counters[k]!) });
      }
      await writeBatch(client, { telemetry, statuses: [], events: [], acks: [], deadLetters: [] });
      written += telemetry.length;
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        const rate = written / ((lastReport - t0) / 1000);
        say(`  ${written.toLocaleString('en')} / ${total.toLocaleString('en')} rows (${Math.round(rate).toLocaleString('en')}/s, ~${Math.round((total - written) / rate)} s left)`);
      }
    }
  } finally {
    client.release();
  }
  await sys!.pool.query('ANALYZE telemetry');
  say(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function explain(deviceIds: string[], nowMs: number): Promise<void> {
  say('\nplans (EXPLAIN ANALYZE) of what a warm 30-day report reads:');
  const from = new Date(nowMs - 30 * 86_400_000);
  const plans: Array<[string, string, unknown[]]> = [
    ['rollup rows (30 days, with validity checks)', `SELECT count(*) FROM usage_daily r WHERE r.device_id = ANY($1::text[]) AND r.day_start >= $2 AND NOT EXISTS (SELECT 1 FROM usage_rollup_dirty m WHERE m.device_id = r.device_id AND (r.next_ts IS NULL OR m.ts_lo <= r.next_ts) AND (r.prev_ts IS NULL OR m.ts_hi >= r.prev_ts) AND NOT pg_visible_in_snapshot(m.xid, r.snap))`, [deviceIds, from]],
    ['edge day, one machine (raw samples)', `SELECT count(*) FROM telemetry WHERE device_id = $1 AND ts >= $2 AND ts < $3`, [deviceIds[0], new Date(nowMs - 86_400_000), new Date(nowMs)]],
    ['former peer median (every same-model machine’s raw samples, 30 days)', `SELECT t.device_id, sum(t.power_kw) / nullif(60 * sum(t.flow_m3_min), 0) FROM telemetry t JOIN devices d ON d.id = t.device_id WHERE d.model_id = ANY($1::text[]) AND t.ts >= $2 GROUP BY t.device_id`, [['AF75', 'AF37', 'AF90V'], from]],
    ['peer median now (day rows)', `SELECT r.device_id, sum(r.kwh) / nullif(sum(r.air_m3), 0) FROM usage_daily r JOIN devices d ON d.id = r.device_id WHERE d.model_id = ANY($1::text[]) AND r.day_start >= $2 GROUP BY r.device_id`, [['AF75', 'AF37', 'AF90V'], from]],
  ];
  for (const [name, sql, params] of plans) {
    const { rows } = await sys!.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
    const text = rows.map((r) => r['QUERY PLAN']);
    const time = /Execution Time: ([\d.]+) ms/.exec(text.join('\n'))?.[1] ?? '?';
    const scan = text.find((l) => /Scan/.test(l))?.trim().replace(/\s+\(actual.*$/, '');
    say(`  ${name.padEnd(72)} ${time.padStart(9)} ms  ${scan ?? ''}`);
  }
}

async function main(): Promise<void> {
  say('starting embedded PostgreSQL and the platform (demo fleet)');
  scratch = await startScratchPostgres('usage-bench');
  sys = await startSystem({ databaseUrl: scratch.url });
  const { rows: devices } = await sys.pool.query<{ id: string; rated: number; fad: number }>(
    `SELECT d.id, m.rated_power_kw AS rated, m.fad_m3_min AS fad FROM devices d JOIN compressor_models m ON m.id = d.model_id WHERE d.site_id = $1 ORDER BY d.id`,
    [SITE],
  );
  if (devices.length === 0) throw new Error(`site ${SITE} has no machines`);
  const nowMs = Date.now();
  await seed(devices, nowMs);
  const cookie = await sys.login('buyer@northwind.example');

  const one = async (days: number, granularity: string): Promise<number> => {
    const from = new Date(Date.now() - days * 86_400_000).toISOString();
    const t0 = performance.now();
    const res = await fetch(`${sys!.baseUrl}/api/customer/usage?siteId=${SITE}&from=${from}&granularity=${granularity}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`usage ${days} d ${granularity}: HTTP ${res.status}`);
    return performance.now() - t0;
  };
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${quantile(s, 0.5).toFixed(1).padStart(8)} ${quantile(s, 0.95).toFixed(1).padStart(8)}`;
  };

  say(`\nGET /api/customer/usage?siteId=${SITE} (${devices.length} machines), ms over HTTP`);
  say(`${'range'.padEnd(6)} ${'gran.'.padEnd(6)} ${'cold n'.padStart(6)} ${'median'.padStart(8)} ${'p95'.padStart(8)}   ${'warm n'.padStart(6)} ${'median'.padStart(8)} ${'p95'.padStart(8)}`);
  for (const days of [7, 30, 90, 365]) {
    for (const granularity of ['day', 'week', 'month']) {
      const cold: number[] = [];
      for (let i = 0; i < COLD; i++) {
        await sys.pool.query('TRUNCATE usage_daily');
        cold.push(await one(days, granularity));
      }
      const warm: number[] = [];
      await one(days, granularity);
      for (let i = 0; i < WARM; i++) warm.push(await one(days, granularity));
      say(`${`${days} d`.padEnd(6)} ${granularity.padEnd(6)} ${String(cold.length).padStart(6)} ${stats(cold)}   ${String(warm.length).padStart(6)} ${stats(warm)}`);
    }
  }
  await explain(devices.map((d) => d.id), Date.now());
  const [, loadAvg] = loadavg();
  say(`\n${cpus().length} CPU(s), load average ${loadAvg?.toFixed(1)} (other work on this machine inflates the figures)`);
}

runBench(main, async () => {
  await sys?.close();
  await scratch?.dispose();
});
