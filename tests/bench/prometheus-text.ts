/** Minimal reader of the Prometheus text format, enough for benchmark deltas. */
export type Scrape = Map<string, number>;

export async function scrape(url: string): Promise<Scrape> {
  const text = await (await fetch(url)).text();
  const out: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

export function sumOf(s: Scrape, name: string): number {
  let total = 0;
  for (const [k, v] of s) if (k === name || k.startsWith(`${name}{`)) total += v;
  return total;
}

/** Quantile from the difference of two histogram scrapes (linear inside a bucket, as histogram_quantile does). */
export function histogramQuantile(before: Scrape, after: Scrape, name: string, q: number): number | undefined {
  const buckets: Array<{ le: number; count: number }> = [];
  for (const [k, v] of after) {
    const m = k.match(new RegExp(`^${name}_bucket\\{.*le="([^"]+)"`));
    if (!m) continue;
    const le = m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]);
    buckets.push({ le, count: v - (before.get(k) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe;
      const inBucket = b.count - prevCount;
      return prevLe + (inBucket === 0 ? 0 : ((rank - prevCount) / inBucket) * (b.le - prevLe));
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return undefined;
}
