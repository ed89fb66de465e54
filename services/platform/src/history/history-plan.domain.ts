import { ROLLUP_LEVELS, type RollupLevel } from './rollup-levels.ts';

/** Half-open [lo, hi), epoch ms. */
export interface Span {
  lo: number;
  hi: number;
}

/** A level-aligned span answered from a level's stored buckets (minus the raw spans inside it). */
export interface StoredPart extends Span {
  level: RollupLevel;
}

/** How one chart read is answered: stored buckets over `stored`, raw samples over `raw`. */
export interface ReadPlan {
  /** Disjoint, in time order: the coarsest level where it is whole and stored, a finer one at its edges. */
  stored: StoredPart[];
  /** Sorted, disjoint spans read from raw samples: the unaligned edges, the not yet stored tail, the dirty buckets. */
  raw: Span[];
}

/** The stored levels whose buckets tile a chart bucket of `bucketMs`, coarsest first (none: raw only). */
export function levelsFor(bucketMs: number, levels: readonly RollupLevel[] = ROLLUP_LEVELS): RollupLevel[] {
  return levels.filter((l) => bucketMs >= l.ms && bucketMs % l.ms === 0);
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
 * Splits [fromMs, toMs) into what stored buckets answer and what raw samples must. The coarsest
 * level answers where its buckets are whole inside the range and stored (before its `storedUpToMs`);
 * each finer level then answers the edges around that, where its own buckets are whole and stored,
 * and raw samples the rest: the unaligned ends and the tail no level has stored yet. Buckets with
 * a pending late-sample marker (`dirty`: inclusive sample times) are read raw too, widened to the
 * coarsest level used, so the combined answer always equals raw bucketing.
 */
export function planRead(args: { fromMs: number; toMs: number; levels: ReadonlyArray<{ level: RollupLevel; storedUpToMs: number }>; dirty: readonly Span[] }): ReadPlan {
  const { fromMs, toMs } = args;
  const stored: StoredPart[] = [];
  for (const { level, storedUpToMs } of args.levels) {
    const lo = ceilTo(fromMs, level.ms);
    const hi = Math.min(floorTo(toMs, level.ms), floorTo(storedUpToMs, level.ms));
    if (hi <= lo) continue;
    if (stored.length === 0) {
      stored.push({ level, lo, hi });
      continue;
    }
    // Around what coarser levels answer: the head before them and the tail after them.
    const first = stored[0]!;
    const last = stored[stored.length - 1]!;
    if (lo < first.lo) stored.unshift({ level, lo, hi: Math.min(first.lo, hi) });
    if (hi > last.hi) stored.push({ level, lo: Math.max(last.hi, lo), hi });
  }
  if (stored.length === 0) return { stored, raw: [{ lo: fromMs, hi: toMs }] };
  const coarsest = args.levels.find((l) => stored.some((p) => p.level === l.level))!.level;
  const storedLo = stored[0]!.lo;
  const storedHi = stored[stored.length - 1]!.hi;
  const raw = mergeSpans([
    { lo: fromMs, hi: storedLo },
    { lo: storedHi, hi: toMs },
    ...args.dirty.map((d) => ({ lo: Math.max(storedLo, floorTo(d.lo, coarsest.ms)), hi: Math.min(storedHi, floorTo(d.hi, coarsest.ms) + coarsest.ms) })),
  ]);
  return { stored, raw };
}

/**
 * Sample-time spans (inclusive) widened to whole buckets of `levelMs`, merged, and cut at
 * `storedUpToMs` (buckets after it are not stored yet and will be built from the raw rows anyway).
 */
export function bucketSpans(spans: readonly Span[], levelMs: number, storedUpToMs: number): Span[] {
  return mergeSpans(spans.map((m) => ({ lo: floorTo(m.lo, levelMs), hi: Math.min(floorTo(m.hi, levelMs) + levelMs, storedUpToMs) })));
}

/** The stored buckets late samples made stale, per device (see bucketSpans). */
export function staleBuckets(markers: ReadonlyArray<Span & { deviceId: string }>, levelMs: number, storedUpToMs: number): Array<Span & { deviceId: string }> {
  const byDevice = new Map<string, Span[]>();
  for (const m of markers) {
    const spans = byDevice.get(m.deviceId);
    if (spans) spans.push(m);
    else byDevice.set(m.deviceId, [m]);
  }
  return [...byDevice].flatMap(([deviceId, spans]) => bucketSpans(spans, levelMs, storedUpToMs).map((s) => ({ deviceId, ...s })));
}
