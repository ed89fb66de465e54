import { z } from 'zod';
import { deviceTokenPepperSchema } from '@airfleet/runtime';

export const launcherEnvSchema = z.object({
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  MQTT_PORT: z.coerce.number().int().min(1).max(65535).default(1883),
  GATEWAY_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(9100),
  DATA_DIR: z.string().default('./.data'),
  /** When set, that server is used and no embedded PostgreSQL is started. */
  DATABASE_URL: z.string().url().optional(),
  PG_PORT: z.coerce.number().int().min(1).max(65535).default(5488),
  /** How many demo devices the simulator runs (default: the whole demo fleet). */
  SIM_DEVICES: z.coerce.number().int().min(0).optional(),
  TELEMETRY_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  HISTORY_DAYS: z.coerce.number().min(0).max(60).default(30),
  /** Outgoing mail: a real server when set; otherwise a local catcher keeps every mail under DATA_DIR/mail. */
  SMTP_URL: z.string().url().optional(),
  /** HMAC key of device token hashes; unset = generated once and kept in DATA_DIR/device-token-pepper. */
  DEVICE_TOKEN_PEPPER: deviceTokenPepperSchema.optional(),
  MAIL_CATCHER_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type LauncherConfig = z.infer<typeof launcherEnvSchema>;
