import { z } from 'zod';
import { POOL_DEFAULTS, type PoolBudget } from '@airfleet/platform/edge';
import { deviceTokenPepperSchema, parseEnv } from '@airfleet/runtime';
import { DEFAULT_LIMITS, type GatewayLimits } from './broker.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();

/**
 * The gateway's whole configuration. Units are in the names; the service password and the
 * device token pepper have no default on purpose (no secret has a default: a forgotten
 * setting must fail loudly, not run with a known value), in any mode: the local launcher generates both.
 */
export const gatewayEnvSchema = z.object({
  MQTT_PORT: port.default(1883),
  GATEWAY_HTTP_PORT: port.default(9100),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  MQTT_SERVICE_USERNAME: z.string().min(1).default('airfleet-platform'),
  MQTT_SERVICE_PASSWORD: z.string().min(16, 'must be at least 16 characters'),
  // HMAC key of stored device token hashes; must equal the platform's, which writes them.
  DEVICE_TOKEN_PEPPER: deviceTokenPepperSchema,
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.authCacheTtlMs),
  MAX_PACKET_BYTES: positiveInt.default(DEFAULT_LIMITS.maxPacketBytes),
  PUBLISH_RATE_PER_DEVICE_PER_S: z.coerce.number().positive().default(DEFAULT_LIMITS.publishRatePerDevicePerSec),
  PUBLISH_BURST_PER_DEVICE: positiveInt.default(DEFAULT_LIMITS.publishBurstPerDevice),
  CONNECT_RATE_PER_IP_PER_S: z.coerce.number().positive().default(DEFAULT_LIMITS.connectRatePerIpPerSec),
  CONNECT_BURST_PER_IP: positiveInt.default(DEFAULT_LIMITS.connectBurstPerIp),
  DRAIN_TIMEOUT_MS: positiveInt.default(DEFAULT_LIMITS.drainTimeoutMs),
  /** A batch commits at this many telemetry rows or after INGEST_BATCH_WAIT_MS, whichever first. */
  INGEST_BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(20_000).default(2000),
  INGEST_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(5000).default(10),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(4).max(100).default(POOL_DEFAULTS.ingest.size),
  /** Server-side limits of the gateway's own pool (the ingest never shares connections with the platform's API or jobs). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(POOL_DEFAULTS.ingest.statementTimeoutMs),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(POOL_DEFAULTS.ingest.idleInTransactionTimeoutMs),
  /** Received-but-uncommitted messages at which the gateway stops reading connections (resumes at half). */
  INGEST_MAX_PENDING: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  /** Batches written at once, each for its own share of the devices (and on its own connection). */
  INGEST_LANES: z.coerce.number().int().min(1).max(16).default(2),
  /** Dead letters stored in full per device (or topic) and reason in each window; the rest are only counted. */
  DEAD_LETTERS_KEPT_PER_WINDOW: z.coerce.number().int().min(0).max(100_000).default(10),
  DEAD_LETTER_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export interface GatewayConfig {
  mqttPort: number;
  httpPort: number;
  host: string;
  databaseUrl: string;
  service: { username: string; password: string };
  /** Secret: never log it (main.ts logs `limits`, which is why it is not in there). */
  deviceTokenPepper: string;
  limits: GatewayLimits;
  logLevel: GatewayEnv['LOG_LEVEL'];
  ingest: {
    batchMaxRows: number;
    batchWaitMs: number;
    maxPending: number;
    lanes: number;
    deadLetterSampling: { keepPerWindow: number; windowMs: number };
  };
  /** The ingest pool: size, statement timeout, idle-in-transaction timeout. */
  database: PoolBudget;
}

export function toGatewayConfig(env: GatewayEnv): GatewayConfig {
  return {
    mqttPort: env.MQTT_PORT,
    httpPort: env.GATEWAY_HTTP_PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    service: { username: env.MQTT_SERVICE_USERNAME, password: env.MQTT_SERVICE_PASSWORD },
    deviceTokenPepper: env.DEVICE_TOKEN_PEPPER,
    limits: {
      ...DEFAULT_LIMITS,
      authCacheTtlMs: env.AUTH_CACHE_TTL_MS,
      maxPacketBytes: env.MAX_PACKET_BYTES,
      publishRatePerDevicePerSec: env.PUBLISH_RATE_PER_DEVICE_PER_S,
      publishBurstPerDevice: env.PUBLISH_BURST_PER_DEVICE,
      connectRatePerIpPerSec: env.CONNECT_RATE_PER_IP_PER_S,
      connectBurstPerIp: env.CONNECT_BURST_PER_IP,
      drainTimeoutMs: env.DRAIN_TIMEOUT_MS,
    },
    logLevel: env.LOG_LEVEL,
    ingest: {
      batchMaxRows: env.INGEST_BATCH_MAX_ROWS,
      batchWaitMs: env.INGEST_BATCH_WAIT_MS,
      maxPending: env.INGEST_MAX_PENDING,
      lanes: env.INGEST_LANES,
      deadLetterSampling: { keepPerWindow: env.DEAD_LETTERS_KEPT_PER_WINDOW, windowMs: env.DEAD_LETTER_WINDOW_S * 1000 },
    },
    database: { size: env.DATABASE_POOL_SIZE, statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS },
  };
}

/** Parses the environment once at start; on any bad variable, lists them all and exits. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return toGatewayConfig(parseEnv(gatewayEnvSchema, env, 'gateway'));
}
