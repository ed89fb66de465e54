import { z } from 'zod';

/** Alarm severities. Judgments add `info`; alarms never carry it. */
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export const alarmSeveritySchema = z.enum(ALARM_SEVERITIES);
export type AlarmSeverity = z.infer<typeof alarmSeveritySchema>;

/** Where an alarm came from: a cloud rule, a device event, connectivity, or the service plan. */
export const ALARM_SOURCES = ['rule', 'device', 'connectivity', 'service'] as const;
export const alarmSourceSchema = z.enum(ALARM_SOURCES);

/** Lifecycle: active or cleared × unacknowledged or acknowledged. */
export const ALARM_STATES = ['active', 'cleared'] as const;

const actorSchema = z.object({ id: z.string(), name: z.string() });

export const alarmSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  siteId: z.string(),
  customerId: z.string(),
  /** Stable machine-readable type, e.g. `element_temp_warning`, `device_offline`, `trip:SENSOR_FAULT`. */
  type: z.string(),
  severity: alarmSeveritySchema,
  source: alarmSourceSchema,
  message: z.string(),
  state: z.enum(ALARM_STATES),
  acknowledged: z.boolean(),
  /** How often the condition was raised while this alarm stayed active. */
  count: z.number().int(),
  /** Latest measured value, and the limit it was compared with, when the alarm has one. */
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  /** Event time (device clock) when the alarm was raised and last confirmed. */
  startedAt: z.string().datetime(),
  lastSeenAt: z.string().datetime(),
  /** When the condition ended (automatic clear), if it did. */
  endedAt: z.string().datetime().nullable(),
  acknowledgedAt: z.string().datetime().nullable(),
  acknowledgedBy: actorSchema.nullable(),
  clearedAt: z.string().datetime().nullable(),
  /** Null with clearedAt set: cleared by the system because the condition ended. */
  clearedBy: actorSchema.nullable(),
});
export type Alarm = z.infer<typeof alarmSchema>;

export const ALARM_STATE_FILTERS = ['active', 'cleared', 'unacknowledged', 'acknowledged', 'all'] as const;

export const alarmsQuerySchema = z.object({
  deviceId: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  state: z.enum(ALARM_STATE_FILTERS).default('active'),
  severity: alarmSeveritySchema.optional(),
  type: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AlarmsQuery = z.infer<typeof alarmsQuerySchema>;

export const alarmsResponseSchema = z.object({
  items: z.array(alarmSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const alarmParamsSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, 'alarm id must be a positive integer') });

export const alarmCountsQuerySchema = z.object({
  groupBy: z.enum(['device', 'site']).default('device'),
  /** Which alarms to count; default the active ones. */
  state: z.enum(ALARM_STATE_FILTERS).default('active'),
  siteId: z.string().max(64).optional(),
});
export type AlarmCountsQuery = z.infer<typeof alarmCountsQuerySchema>;

export const alarmCountSchema = z.object({
  /** The device id or the site id, per `groupBy`. */
  key: z.string(),
  total: z.number().int(),
  critical: z.number().int(),
  major: z.number().int(),
  minor: z.number().int(),
  warning: z.number().int(),
  unacknowledged: z.number().int(),
});
export const alarmCountsResponseSchema = z.object({ groupBy: z.enum(['device', 'site']), items: z.array(alarmCountSchema) });
export type AlarmCounts = z.infer<typeof alarmCountsResponseSchema>;
