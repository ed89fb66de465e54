import { ROLLUP_LEVELS, type RollupLevel } from './rollup-levels.ts';

/** Half-open [lo, hi), epoch ms. */
export interface Span {
  lo: number;
  hi: number;
}

/** How one chart read is answered: stored buckets of `level` over `stored`, raw samples over `raw`. */
export interface ReadPlan {
  level: RollupLevel | null;
  /** Level-aligned span whose stored buckets are read (minus `raw`); null = none. */
  stored: Span | null;
  /** Sorted, disjoint spans read from raw samples: the unaligned edges, the not yet stored tail, the dirty buckets. */
  raw: Span[];
}

/** The coarsest stored level whose buckets tile a chart bucket of `bucketMs` (null: none does). */
export function levelFor(bucketMs: number, levels: readonly RollupLevel[] = ROLLUP_LEVELS): RollupLevel | null {
  return levels.find((l) => bucketMs >= l.ms && bucketMs % l.ms === 0) ?? null;
}

const floorTo = (ms: number, step: number): number => Math.floor(ms / step) * step;
const ceilTo = (ms: number, step: number): number => Math.ceil(ms / step) * step;

/** Sorted, merged copy (touching spans join). */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.hi > s.lo).sort((a, b) => a.lo - b.lo);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.lo <= last.hi) last.hi = Math.max(last.hi, s.hi);
    else out.push({ ...s });
  }
  return out;
}

/**
 * Splits [fromMs, toMs) into what stored buckets answer and what raw samples must. Stored buckets
 * are used only where they are whole inside the range, complete (before `storedUpToMs`) and
 * current (no pending late-sample marker: `dirty` spans, inclusive sample times, widened to
 * whole buckets). Everything else is read raw, so the combined answer equals raw bucketing.
 */
export function planRead(args: { fromMs: number; toMs: number; level: RollupLevel | null; storedUpToMs: number; dirty: readonly Span[] }): ReadPlan {
  const { fromMs, toMs, level } = args;
  if (!level) return { level: null, stored: null, raw: [{ lo: fromMs, hi: toMs }] };
  const lo = ceilTo(fromMs, level.ms);
  const hi = Math.min(floorTo(toMs, level.ms), floorTo(args.storedUpToMs, level.ms));
  if (hi <= lo) return { level: null, stored: null, raw: [{ lo: fromMs, hi: toMs }] };
  const spans: Span[] = [
    { lo: fromMs, hi: lo },
    { lo: hi, hi: toMs },
    ...args.dirty.map((d) => ({ lo: Math.max(lo, floorTo(d.lo, level.ms)), hi: Math.min(hi, floorTo(d.hi, level.ms) + level.ms) })),
  ];
  return { level, stored: { lo, hi }, raw: mergeSpans(spans) };
}

/**
 * The stored buckets late samples made stale: each device's marker spans (inclusive sample
 * times) widened to whole buckets of `levelMs`, merged, and cut at `storedUpToMs` (buckets after it
 * are not stored yet and will be built from the raw rows anyway).
 */
export function staleBuckets<T extends Span & { deviceId: string }>(markers: readonly T[], levelMs: number, storedUpToMs: number): Array<Span & { deviceId: string }> {
  const byDevice = new Map<string, Span[]>();
  for (const m of markers) {
    const lo = floorTo(m.lo, levelMs);
    const hi = Math.min(floorTo(m.hi, levelMs) + levelMs, storedUpToMs);
    if (hi <= lo) continue;
    const list = byDevice.get(m.deviceId) ?? [];
    list.push({ lo, hi });
    byDevice.set(m.deviceId, list);
  }
  return [...byDevice].flatMap(([deviceId, spans]) => mergeSpans(spans).map((s) => ({ deviceId, ...s })));
}
