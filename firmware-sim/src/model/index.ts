// @airfleet/firmware-sim/model — the pure compressor model (no I/O, no timers, no randomness
// but the seeded PRNG carried in the state). Safe to import from the platform's demo seed.
export * from './physics.model.ts';
export * from './compressor.model.ts';
export * from './operator.model.ts';
export * from './sample.model.ts';
export * from './history.generator.ts';
export * from './demand.model.ts';
export * from './device-profile.model.ts';
export * from './fault.model.ts';
export * from './service.model.ts';
export * from './judgment-policy.model.ts';
export { createRandom, hash32, seedKey } from './prng.model.ts';
