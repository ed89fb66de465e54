/** Wall-clock source, injected so limiter and cache tests control time instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
