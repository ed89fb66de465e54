import { z } from 'zod';
import { deviceIdSchema } from '../device-id.ts';
import { machineStateSchema, metricsSchema } from '../telemetry.schema.ts';

export const latestSchema = z.object({
  ts: z.string().datetime(),
  seq: z.number().int(),
  state: machineStateSchema,
  metrics: metricsSchema,
});

export const deviceSchema = z.object({
  id: deviceIdSchema,
  serial: z.string(),
  modelId: z.string(),
  siteId: z.string(),
  customerId: z.string(),
  enabled: z.boolean(),
  /** From the retained birth message and the last will. */
  online: z.boolean(),
  firmware: z.string().nullable(),
  statusAt: z.string().datetime().nullable(),
  /** Receive time of the newest telemetry. */
  lastSeenAt: z.string().datetime().nullable(),
  latest: latestSchema.nullable(),
  createdAt: z.string().datetime(),
});
export type Device = z.infer<typeof deviceSchema>;

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const devicesQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  customerId: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  modelId: z.string().max(64).optional(),
  state: machineStateSchema.optional(),
  online: boolQuery.optional(),
  sort: z.enum(['id', 'lastSeenAt', 'site', 'model']).default('id'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DevicesQuery = z.infer<typeof devicesQuerySchema>;

export const devicesResponseSchema = z.object({
  items: z.array(deviceSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const deviceParamsSchema = z.object({ id: deviceIdSchema });

export const createDeviceBodySchema = z.strictObject({
  id: deviceIdSchema,
  modelId: z.string().min(1).max(64),
  siteId: z.string().min(1).max(64),
  serial: z.string().min(1).max(64).optional(),
});
export type CreateDeviceBody = z.infer<typeof createDeviceBodySchema>;

/** The token is returned once, at creation or rotation; only its hash is stored. */
export const deviceWithTokenSchema = z.object({ device: deviceSchema, token: z.string() });
export const rotatedTokenSchema = z.object({ deviceId: deviceIdSchema, token: z.string() });
