/**
 * Deterministic randomness for the pure model. Nothing here reads a clock or Math.random:
 * the same seed always yields the same machine, so the model stays pure and deterministic.
 *
 * Two kinds are used:
 * - a carried PRNG (mulberry32, one uint32 of state kept inside CompressorState) for
 *   process noise that must evolve with the simulation (weather, vibration drift);
 * - stateless hashes of (key, time) for measurement and demand noise, so a sample or a
 *   demand value depends only on the instant, never on how the caller chunked its steps.
 */

/** Holder of a mulberry32 state; mutated in place by {@link nextRandom}. */
export interface RngHolder {
  rng: number;
}

/** Next uniform in [0, 1) from a carried mulberry32 state (public-domain algorithm by T. Ettinger). */
export function nextRandom(holder: RngHolder): number {
  const a = (holder.rng + 0x6d2b79f5) | 0;
  holder.rng = a;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A fresh sequence of uniforms for one-off draws (e.g. building a device profile). */
export function createRandom(seed: number): () => number {
  const holder: RngHolder = { rng: seedKey(seed) | 0 };
  return () => nextRandom(holder);
}

function mix(h: number, k: number): number {
  // MurmurHash3 body round (Appleby, public domain).
  let x = Math.imul(k | 0, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** 32-bit hash of up to three integers (each may exceed 32 bits; high bits are folded in). */
export function hash32(a: number, b = 0, c = 0): number {
  let h = 0x9747b28c;
  h = mix(h, a);
  h = mix(h, Math.floor(a / 4294967296));
  h = mix(h, b);
  h = mix(h, Math.floor(b / 4294967296));
  h = mix(h, c);
  return fmix(h);
}

/** Hash to a uniform in [0, 1). */
export function hashUnit(a: number, b = 0, c = 0): number {
  return hash32(a, b, c) / 4294967296;
}

/** Normalises any numeric seed (negative, fractional, > 2^32) to a well-mixed uint32 key. */
export function seedKey(seed: number): number {
  const s = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  return hash32(s, 0x5eed);
}

/**
 * Smooth value noise in [-1, 1] with knots every `periodMs` (cubic-smoothstep interpolation).
 * Stateless: a pure function of (key, channel, t), so it is identical whatever the step size.
 */
export function valueNoise(key: number, channel: number, tMs: number, periodMs: number): number {
  const x = tMs / periodMs;
  const i = Math.floor(x);
  const f = x - i;
  const a = hashUnit(key, i, channel);
  const b = hashUnit(key, i + 1, channel);
  const s = f * f * (3 - 2 * f);
  return (a + (b - a) * s) * 2 - 1;
}

/** Zero-mean triangular noise in [-1, 1] for one (key, channel, t): cheap, bounded measurement noise. */
export function sampleNoise(key: number, channel: number, tMs: number): number {
  return hashUnit(key, tMs, channel) + hashUnit(key ^ 0x2545f491, tMs, channel) - 1;
}
