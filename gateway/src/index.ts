// Public API of @airfleet/gateway: the composition root, the credential stores and the pure ACL.
export { createGateway, DEFAULT_LIMITS } from './broker.ts';
export type { Gateway, GatewayDeps, GatewayLimits, ListenOptions } from './broker.ts';
export { canPublish, canSubscribe, canReceive } from './acl.ts';
export type { Identity } from './acl.ts';
export { createMemoryCredentialStore } from './credential-store.ts';
export type { CredentialStore, DeviceCredential, MemoryCredentialStore } from './credential-store.ts';
export { createPgCredentialStore } from './credential-store.pg.ts';
export { createDeviceAuthenticator } from './device-auth.ts';
export type { ServiceCredential } from './connect-auth.ts';
export { CONNACK } from './connect-auth.ts';
export { createConnectRateLimiter } from './connect-rate.limiter.ts';
export type { Clock } from './clock.ts';
export { gatewayEnvSchema, loadGatewayConfig } from './gateway.config.ts';
export { createGatewayNode, type GatewayNode, type GatewayNodeOptions } from './gateway-node.ts';
export type { UplinkSink } from './broker-hooks.ts';
