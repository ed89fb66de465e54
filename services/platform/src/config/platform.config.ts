import { z } from 'zod';
import { deviceTokenPepperSchema } from '@airfleet/runtime';
import { POOL_DEFAULTS } from '../db/pools.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * The platform's whole configuration. Secrets have no defaults in any mode: the local
 * launcher generates them per run, production must provide them.
 */
export const platformEnvSchema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL'),
    MQTT_SERVICE_USERNAME: z.string().min(1).default('airfleet-platform'),
    // HMAC key of device token hashes written at provisioning and rotation; must equal the gateway's.
    DEVICE_TOKEN_PEPPER: deviceTokenPepperSchema,
    SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 90).default(12),
    COOKIE_SECURE: bool.optional(),
    LOGIN_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(10),
    // Behind a load balancer (HAProxy), which proxies to trust for the client address in
    // X-Forwarded-For (rate limits are per client address): a number of hops (1 = the one proxy in
    // front), or a comma-separated list of addresses/CIDRs. Unset = the peer address is the client.
    TRUST_PROXY: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^(\d{1,2}|[0-9A-Fa-f.:/,\s]+|loopback|linklocal|uniquelocal)$/, 'TRUST_PROXY must be a hop count or a list of addresses/CIDRs')
        .transform((v): number | string[] => (/^\d+$/.test(v) ? Number(v) : v.split(',').map((a) => a.trim()).filter(Boolean)))
        .optional(),
    ),
    // Public parts lookup (no login): requests per minute per client address (token bucket, burst = the same).
    PARTS_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(120),
    // Email (notifications, digests, weekly reports). Unset SMTP_URL = email off, recorded as not sent.
    SMTP_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url('SMTP_URL must be smtp://user:pass@host:port or smtps://…').optional()),
    SMTP_FROM: z.string().min(3).default('AirFleet <no-reply@airfleet.example>'),
    // The dashboard's address as mail readers reach it; used only to build links in mails and webhooks. Unset = no links.
    PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().regex(/^https?:\/\//i, 'PUBLIC_URL must be an http:// or https:// URL').optional()),
    // Notifications: escalation of unacknowledged critical alarms, delivery retries, digests.
    ESCALATION_AFTER_MIN: z.coerce.number().min(1).max(24 * 60).default(15),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
    EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    NOTIFY_DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(7),
    // Retention (docs/operations.md "Retention"): how often the job runs, rows per DELETE, and the
    // age past which each table's rows go. An age of 0 keeps that table's rows for ever.
    RETENTION_INTERVAL_MIN: z.coerce.number().int().min(1).max(24 * 60).default(60),
    RETENTION_BATCH_ROWS: z.coerce.number().int().min(100).max(100_000).default(5000),
    RETENTION_DEAD_LETTERS_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
    // The newest this many dead letters per device are kept whatever their age says (0 = no cap).
    RETENTION_DEAD_LETTERS_PER_DEVICE: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
    // Expired sessions are deleted this long after they expired.
    RETENTION_SESSIONS_EXPIRED_HOURS: z.coerce.number().int().min(0).max(24 * 365).default(0),
    RETENTION_NOTIFICATIONS_DAYS: z.coerce.number().int().min(0).max(3650).default(180),
    RETENTION_ENGAGEMENT_DAYS: z.coerce.number().int().min(0).max(3650).default(400),
    RETENTION_DEVICE_EVENTS_DAYS: z.coerce.number().int().min(0).max(3650).default(400),
    RETENTION_DEVICE_ACKS_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
    // Telemetry: raw samples go a whole day (partition) at a time; the history levels live longer,
    // so old charts keep their shape at a coarser grain. Raw at least 8 days (store-and-forward).
    RETENTION_TELEMETRY_DAYS: z.coerce.number().int().refine((d) => d === 0 || d >= 8, 'RETENTION_TELEMETRY_DAYS must be 0 (keep) or at least 8').default(400),
    RETENTION_TELEMETRY_5M_DAYS: z.coerce.number().int().min(0).max(36_500).default(800),
    RETENTION_TELEMETRY_1H_DAYS: z.coerce.number().int().min(0).max(36_500).default(3650),
    // Database pools (db/pools.ts says why these defaults): the API's and the jobs' connections are
    // separate, each with a server-side statement timeout; the gateway holds the ingest's own pool.
    DATABASE_API_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(POOL_DEFAULTS.api.size),
    DATABASE_API_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(POOL_DEFAULTS.api.statementTimeoutMs),
    // LISTEN (2) + one lease per running job (8 leased jobs) + their work: fewer than 12 starves jobs of connections.
    DATABASE_JOBS_POOL_SIZE: z.coerce.number().int().min(12).max(200).default(POOL_DEFAULTS.jobs.size),
    DATABASE_JOBS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(POOL_DEFAULTS.jobs.statementTimeoutMs),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
    // Customer usage reports computed at once per user, and more waiting their turn; beyond both 429 REPORT_BUSY.
    REPORTS_PER_USER: z.coerce.number().int().min(1).max(50).default(2),
    REPORTS_QUEUED_PER_USER: z.coerce.number().int().min(0).max(100).default(4),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .transform((env) => ({ ...env, COOKIE_SECURE: env.COOKIE_SECURE ?? env.NODE_ENV === 'production' }));

export type PlatformConfig = z.infer<typeof platformEnvSchema>;
