export * from './credential-hash.ts';
export * from './logger.ts';
export * from './env.ts';
export * from './shutdown.ts';
export * from './device-token-hash.ts';
