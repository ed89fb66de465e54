import { z } from 'zod';
import { parseEnv } from '@airfleet/runtime';
import { DEFAULT_LIMITS, type GatewayLimits } from './broker.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();

/**
 * The gateway's whole configuration. Units are in the names; the service password has no
 * default on purpose (DESIGN.md "Config": no default values for production secrets).
 */
export const gatewayEnvSchema = z.object({
  MQTT_PORT: port.default(1883),
  GATEWAY_HTTP_PORT: port.default(9100),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  MQTT_SERVICE_USERNAME: z.string().min(1).default('airfleet-platform'),
  MQTT_SERVICE_PASSWORD: z.string().min(16, 'must be at least 16 characters'),
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.authCacheTtlMs),
  MAX_PACKET_BYTES: positiveInt.default(DEFAULT_LIMITS.maxPacketBytes),
  CONNECT_RATE_PER_IP_PER_S: z.coerce.number().positive().default(DEFAULT_LIMITS.connectRatePerIpPerSec),
  CONNECT_BURST_PER_IP: positiveInt.default(DEFAULT_LIMITS.connectBurstPerIp),
  DRAIN_TIMEOUT_MS: positiveInt.default(DEFAULT_LIMITS.drainTimeoutMs),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export interface GatewayConfig {
  mqttPort: number;
  httpPort: number;
  host: string;
  databaseUrl: string;
  service: { username: string; password: string };
  limits: GatewayLimits;
  logLevel: GatewayEnv['LOG_LEVEL'];
}

export function toGatewayConfig(env: GatewayEnv): GatewayConfig {
  return {
    mqttPort: env.MQTT_PORT,
    httpPort: env.GATEWAY_HTTP_PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    service: { username: env.MQTT_SERVICE_USERNAME, password: env.MQTT_SERVICE_PASSWORD },
    limits: {
      ...DEFAULT_LIMITS,
      authCacheTtlMs: env.AUTH_CACHE_TTL_MS,
      maxPacketBytes: env.MAX_PACKET_BYTES,
      connectRatePerIpPerSec: env.CONNECT_RATE_PER_IP_PER_S,
      connectBurstPerIp: env.CONNECT_BURST_PER_IP,
      drainTimeoutMs: env.DRAIN_TIMEOUT_MS,
    },
    logLevel: env.LOG_LEVEL,
  };
}

/** Parses the environment once at start; on any bad variable, lists them all and exits. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return toGatewayConfig(parseEnv(gatewayEnvSchema, env, 'gateway'));
}
