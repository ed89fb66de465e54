import { z } from 'zod';
import { epochMsSchema } from './telemetry.schema.ts';
import { serviceLevelSchema } from './judgment.schema.ts';

/**
 * Birth / last-will message, retained. The birth carries identity facts; the last
 * will (registered at CONNECT, MQTT 3.1.1 §3.1.2.5) is just `{"online":false}`.
 */
export const deviceStatusSchema = z.strictObject({
  online: z.boolean(),
  ts: epochMsSchema.optional(),
  firmware: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(64).optional(),
  /** Telemetry period, so the cloud can tell a data gap from a slow device. */
  telemetryIntervalMs: z.number().int().min(100).max(86_400_000).optional(),
  /** Device-side view of pending maintenance (set when a maintenance_due judgment is applied). */
  maintenanceDue: z
    .strictObject({ level: serviceLevelSchema, dueInHours: z.number().optional(), dueInDays: z.number().optional() })
    .optional(),
  /** Active local limit from a derate judgment, if any. */
  derate: z.strictObject({ maxLoadedDutyPct: z.number().optional(), maxPressureBar: z.number().optional() }).optional(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const DEVICE_EVENT_TYPES = ['trip', 'warning', 'start', 'stop', 'load', 'unload', 'reset', 'info'] as const;
export const deviceEventTypeSchema = z.enum(DEVICE_EVENT_TYPES);
export type DeviceEventType = z.infer<typeof deviceEventTypeSchema>;

export const deviceEventSchema = z.strictObject({
  ts: epochMsSchema,
  type: deviceEventTypeSchema,
  /** Controller code, e.g. `ADT_HIGH_TRIP`; upper snake case by convention. */
  code: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'code must be [A-Za-z0-9_.:-]+').optional(),
  message: z.string().max(500).optional(),
  /** Optional measured values that explain the event (e.g. {"elementTempC":120.4}). */
  values: z.record(z.string().max(64), z.number()).optional(),
});
export type DeviceEvent = z.infer<typeof deviceEventSchema>;

export const JUDGMENT_RESULTS = ['applied', 'rejected', 'ignored'] as const;

export const judgmentAckSchema = z.strictObject({
  judgmentId: z.string().min(1).max(64),
  ts: epochMsSchema,
  result: z.enum(JUDGMENT_RESULTS),
  reason: z.string().max(500).optional(),
});
export type JudgmentAck = z.infer<typeof judgmentAckSchema>;
