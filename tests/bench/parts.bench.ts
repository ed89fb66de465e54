import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { telemetryTopic } from '@airfleet/contracts';
import { generatePartsCatalogue } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.ts';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { runBench } from './run-bench.ts';

/**
 * Public parts lookup latency (target p95 ≤ 10 ms): a realistic query mix over
 * HTTP against the real platform app and PostgreSQL (private embedded server, the full
 * generated catalogue, the demo fleet with service state). Prints p50/p95/p99 per kind and
 * overall, and the plans of the statements behind them (indexes used or not).
 *   npm run bench:parts [-- --requests 4000 --concurrency 1]
 */
const { values: args } = parseArgs({
  options: { requests: { type: 'string', default: '4000' }, concurrency: { type: 'string', default: '1' }, warmup: { type: 'string', default: '300' } },
});
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const WARMUP = Number(args.warmup);
const say = (msg: string): void => void process.stdout.write(`${msg}\n`);

// Deterministic mix: mulberry32, so two runs ask the same questions.
let seed = 0xbe9c4;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const print = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;
const fullWidth = (s: string) => [...s].map((c) => (c === ' ' ? '\u3000' : /\d/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');

const catalogue = generatePartsCatalogue();
const current = catalogue.parts.filter((p) => !p.superseded).map((p) => p.number);
const zeroLed = current.filter((n) => n.startsWith('0'));
const oldNumbers = catalogue.supersessions.map((s) => s.oldNumber);
const EN = ['oil fliter', 'seperator elment', 'minimum presure valve', 'thermostatic valve 70', 'air filter heavy duty', 'drain kit', 'AF37 service kit', 'solenoid valve 24 V DC', 'v belt spb', 'pressure transmiter 16 bar', 'coupling spider 48', 'oil cooler 75 kW', 'safety valve 9 bar', 'food grade oil 20 L', 'line filter 0.01 µm'];
const ZH = ['油过滤器', '油滤器', '空气滤芯', '空滤', '油气分离器', '油分芯', '最小压力伐', '温控阀', '电磁阀 24 V', '压力传感器', '排水器维修包', '联轴器弹性体', '润滑油 20 L', '三角带 SPB'];
// One or two Chinese characters: what people type first on a phone (油 = oil, 阀 = valve).
const SHORT_ZH = ['油', '阀', '滤', '带', '滤芯', '阀门', '皮带', '电机', '油滤', '黄油'];
const MODELS = ['AF22', 'AF37', 'AF75', 'AF90V'];

type Kind = 'exact' | 'messy' | 'prefix' | 'superseded' | 'fuzzy-en' | 'fuzzy-zh' | 'short-zh' | 'model' | 'serial' | 'by-path';
const MIX: Array<[Kind, number]> = [
  ['exact', 15], ['messy', 20], ['prefix', 8], ['superseded', 10], ['fuzzy-en', 15], ['fuzzy-zh', 12], ['short-zh', 8], ['model', 6], ['serial', 6], ['by-path', 8],
];

function request(kind: Kind, serials: readonly string[]): string {
  const lang = rand() < 0.3 ? '&lang=zh-CN' : '';
  switch (kind) {
    case 'exact':
      return `/api/parts/search?q=${pick(current)}${lang}`;
    case 'messy': {
      const n = rand() < 0.35 ? pick(zeroLed) : pick(current);
      const styles = [print(n), print(n).replaceAll(' ', '-'), print(n).replaceAll(' ', '.'), fullWidth(print(n)), n.startsWith('0') ? print(n).slice(1) : `P/N ${print(n)}`];
      return `/api/parts/search?q=${encodeURIComponent(pick(styles))}${lang}`;
    }
    case 'prefix':
      return `/api/parts/search?q=${encodeURIComponent(print(pick(current)).slice(0, 4 + Math.floor(rand() * 5)))}${lang}`;
    case 'superseded':
      return `/api/parts/search?q=${encodeURIComponent(print(pick(oldNumbers)))}${lang}`;
    case 'fuzzy-en':
      return `/api/parts/search?q=${encodeURIComponent(pick(EN))}${lang}`;
    case 'fuzzy-zh':
      return `/api/parts/search?q=${encodeURIComponent(pick(ZH))}&lang=zh-CN`;
    case 'short-zh':
      return `/api/parts/search?q=${encodeURIComponent(pick(SHORT_ZH))}&lang=zh-CN`;
    case 'model':
      return `/api/parts/search?modelId=${pick(MODELS)}${lang}`;
    case 'serial':
      return `/api/parts/search?serial=${encodeURIComponent(pick(serials))}${lang}`;
    case 'by-path':
      return `/api/parts/${encodeURIComponent(rand() < 0.5 ? pick(oldNumbers) : print(pick(current)))}${lang.replace('&', '?')}`;
  }
}

function drawKind(): Kind {
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [kind, w] of MIX) {
    r -= w;
    if (r < 0) return kind;
  }
  return 'exact';
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

let scratch: ScratchPostgres | undefined;
let sys: System | undefined;

async function explain(): Promise<void> {
  const plans: Array<[string, string, unknown[], string]> = [
    ['number prefix (LIKE)', `SELECT number FROM parts WHERE number LIKE $1 ORDER BY superseded, number LIMIT 40`, ['47110%'], 'parts_number_prefix_idx'],
    ['exact numbers', `SELECT number FROM parts WHERE number = ANY($1::bpchar[])`, [['4711003000', '0471010200']], 'parts_pkey'],
    ['supersession step', `SELECT new_number FROM part_supersessions WHERE old_number = $1`, ['4711500200'], 'part_supersessions_pkey'],
    ['word index', `SELECT part_number FROM part_words WHERE lang = 'en' AND word = ANY($1::text[])`, [['filter', 'oil']], 'part_words_pkey'],
    ['typo vocabulary (trigram)', `SELECT word FROM part_vocabulary WHERE word % $1`, ['seperator'], 'part_vocabulary_trgm_idx'],
    ['Chinese phrase (trigram)', `SELECT number FROM parts WHERE search_zh LIKE $1`, ['%油气分离器%'], 'parts_search_zh_trgm_idx'],
    ['1–2 Chinese characters', `SELECT number FROM parts WHERE NOT superseded AND strpos(search_zh, $1) > 0`, ['油'], 'Seq Scan on parts'],
    ['English phrase (trigram)', `SELECT number FROM parts WHERE search_en LIKE $1`, ['%separator element%'], 'parts_search_en_trgm_idx'],
    ['machine by serial', `SELECT model_id FROM devices WHERE regexp_replace(upper(serial), '[^A-Z0-9]', '', 'g') = $1`, ['AFS2020000107'], 'devices_serial_key_idx'],
  ];
  say('query plans (EXPLAIN ANALYZE; the planner may prefer a sequential scan of a small table):');
  const client = await sys!.pool.connect();
  try {
    for (const [name, sql, params, index] of plans) {
      const run = async () => {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        return { text, time: /Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? '?' };
      };
      const chosen = await run();
      if (chosen.text.includes(index)) {
        say(`  ${name.padEnd(28)} uses ${index} (${chosen.time} ms)`);
        continue;
      }
      // Show the index works for it: the same statement with sequential scans disabled.
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const forced = await run();
      await client.query('ROLLBACK');
      const node = /(Seq Scan|Index \w* ?Scan|Bitmap \w+ Scan)[^(]*/.exec(chosen.text)?.[0]?.trim();
      say(`  ${name.padEnd(28)} planner chose ${node} (${chosen.time} ms); forced: ${forced.text.includes(index) ? `uses ${index}` : 'index NOT usable'} (${forced.time} ms)`);
    }
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  say('starting embedded PostgreSQL and the platform (catalogue sync, demo fleet)');
  scratch = await startScratchPostgres('parts-bench');
  sys = await startSystem({ databaseUrl: scratch.url, partsRateLimitPerMin: 1_000_000 });
  const { rows } = await sys.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM parts WHERE NOT superseded');
  say(`catalogue: ${rows[0]!.n} current parts, ${oldNumbers.length} superseded numbers, ${sys.devices.length} machines`);

  // Service state for every demo machine (running hours via real telemetry), so serial lookups compute a next kit.
  for (const [i, d] of sys.devices.entries()) {
    const client = await connectDevice(sys.mqttPort, d.id, d.token);
    await publishAsync(client, telemetryTopic(d.id), JSON.stringify({ ts: Date.now(), seq: 1, state: 'loaded', metrics: { runningHours: 500 + i * 731 } }));
    await client.endAsync();
  }
  await waitFor(async () => (await sys!.pool.query('SELECT count(DISTINCT device_id)::int AS n FROM device_service')).rows[0].n === sys!.devices.length, 'service state');
  const serials = sys.devices.map((d) => (rand() < 0.5 ? d.serial.toLowerCase() : d.serial));

  await explain();

  const base = sys.baseUrl;
  /** Client-side latency over HTTP, and the platform's own time from its Server-Timing header. */
  const one = async (path: string): Promise<[number, number]> => {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`);
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200 && res.status !== 404) throw new Error(`${path}: HTTP ${res.status}`);
    return [ms, Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN)];
  };

  say(`warm-up: ${WARMUP} requests`);
  for (let i = 0; i < WARMUP; i++) await one(request(drawKind(), serials));

  say(`measuring: ${REQUESTS} requests, concurrency ${CONCURRENCY}`);
  const samples = new Map<Kind, number[]>();
  const serverSamples = new Map<Kind, number[]>();
  let done = 0;
  const startedAt = performance.now();
  const worker = async (): Promise<void> => {
    while (done < REQUESTS) {
      done += 1;
      const kind = drawKind();
      const [ms, serverMs] = await one(request(kind, serials));
      for (const [map, value] of [[samples, ms], [serverSamples, serverMs]] as const) {
        const list = map.get(kind) ?? [];
        list.push(value);
        map.set(kind, list);
      }
      if (done % 500 === 0) say(`  ${done}/${REQUESTS}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - startedAt) / 1000;

  const row = (name: string, xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${name.padEnd(11)} ${String(s.length).padStart(6)} ${quantile(s, 0.5).toFixed(2).padStart(8)} ${quantile(s, 0.95).toFixed(2).padStart(8)} ${quantile(s, 0.99).toFixed(2).padStart(8)}`;
  };
  const table = (title: string, map: Map<Kind, number[]>): number => {
    say(`\n${title}\n${'kind'.padEnd(11)} ${'n'.padStart(6)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}`);
    for (const [kind] of MIX) say(row(kind, map.get(kind) ?? []));
    const all = [...map.values()].flat();
    say(row('overall', all));
    return quantile([...all].sort((a, b) => a - b), 0.95);
  };
  const p95 = table('latency over HTTP, ms (client-side, keep-alive connection)', samples);
  const serverP95 = table('time in the platform, ms (Server-Timing: request received → response sent)', serverSamples);
  const [, loadAvg] = loadavg();
  say(`\nthroughput: ${(REQUESTS / seconds).toFixed(0)} requests/s on ${cpus().length} CPU(s), load average ${loadAvg?.toFixed(1)} (other work on this machine inflates the tail)`);
  say(`target p95 ≤ 10 ms over HTTP: ${p95 <= 10 ? 'met' : 'MISSED'} (${p95.toFixed(2)} ms; in the platform ${serverP95.toFixed(2)} ms)`);
}

runBench(main, async () => {
  await sys?.close();
  await scratch?.dispose();
});
