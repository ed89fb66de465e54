import { COMPRESSOR_MODELS } from '@airfleet/contracts';
import { generateHistory } from './model/index.ts';

/**
 * History back-fill speed: 30 days × 60 s samples per device, per catalogue model.
 *   node --disable-warning=ExperimentalWarning firmware-sim/src/history.bench.ts [days] [devices]
 * Prints figures only (docs/architecture.md §10: tests never assert wall-clock speed).
 */
const days = Number(process.argv[2] ?? 30);
const devices = Number(process.argv[3] ?? 24);
const toMs = Date.UTC(2025, 10, 20);
const fromMs = toMs - days * 86_400_000;

function run(modelId: string, seed: number): { samples: number; ms: number } {
  const t0 = performance.now();
  let samples = 0;
  for (const _ of generateHistory({ modelId, seed, fromMs, toMs, sampleEveryMs: 60_000 })) samples += 1;
  return { samples, ms: performance.now() - t0 };
}

run('AF37', 0); // warm-up (JIT)
for (const model of COMPRESSOR_MODELS) {
  const r = run(model.id, 1);
  console.log(`${model.id.padEnd(6)} ${days} d × 60 s: ${r.samples} samples in ${r.ms.toFixed(0)} ms`);
}
const t0 = performance.now();
let total = 0;
for (let i = 0; i < devices; i += 1) total += run((COMPRESSOR_MODELS[i % COMPRESSOR_MODELS.length] as { id: string }).id, 100 + i).samples;
console.log(`fleet: ${devices} devices, ${total} samples in ${(performance.now() - t0).toFixed(0)} ms (one core)`);
