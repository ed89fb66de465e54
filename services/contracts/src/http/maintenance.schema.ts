import { z } from 'zod';
import { serviceLevelSchema } from '../judgment.schema.ts';

/** A part and how many of it: kits, parts planned, parts used, quote requests. */
export const partQuantitySchema = z.object({
  /** 10 digits, no separators (printed `NNNN NNNN NN`). */
  partNumber: z.string().regex(/^\d{10}$/, 'part number must be 10 digits'),
  quantity: z.number().int().min(1).max(10_000),
});
export type PartQuantity = z.infer<typeof partQuantitySchema>;

const actorSchema = z.object({ id: z.string(), name: z.string() });

/**
 * One plan level of one machine (docs/domain.md §5): hours OR calendar, whichever first.
 * `dueAt` is the earlier of the calendar date and the date predicted from the recent usage rate.
 */
export const maintenanceLevelSchema = z.object({
  level: serviceLevelSchema,
  description: z.string(),
  intervalHours: z.number(),
  intervalMonths: z.number().nullable(),
  /** Kit part numbers of this level (model catalogue). */
  kit: z.array(z.string()),
  /** Last service of this level; `seed` = assumed at first sight, `service` = really done. */
  lastServiceAt: z.string().datetime().nullable(),
  lastServiceHours: z.number().nullable(),
  lastSource: z.enum(['seed', 'service']).nullable(),
  hoursSince: z.number().nullable(),
  daysSince: z.number().nullable(),
  /** Running-hours reading at which the level is due. */
  nextDueHours: z.number().nullable(),
  dueInHours: z.number().nullable(),
  /** Calendar due date (null for levels without a calendar interval). */
  nextDueByDate: z.string().datetime().nullable(),
  /** When the hours will be reached at the recent usage rate. */
  predictedDueByHours: z.string().datetime().nullable(),
  /** The earlier of the two: the date to plan for. */
  dueAt: z.string().datetime().nullable(),
  dueInDays: z.number().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  /** The one-off first service has been done and never comes due again. */
  done: z.boolean(),
});
export type MaintenanceLevel = z.infer<typeof maintenanceLevelSchema>;

export const CONDITION_TASKS = ['separator', 'air_filter'] as const;

/** Condition overrides the plan (docs/domain.md §5): separator ΔP ≥ 0.7 bar, air-filter ΔP ≥ 50 mbar = replace now. */
export const conditionTaskSchema = z.object({
  task: z.enum(CONDITION_TASKS),
  value: z.number(),
  unit: z.enum(['bar', 'mbar']),
  warnAt: z.number(),
  replaceAt: z.number(),
  /** At or above the replace limit. */
  replaceNow: z.boolean(),
  /** At or above the warning limit but below the replace limit. */
  warning: z.boolean(),
  /** Sample time of the value. */
  ts: z.string().datetime(),
  title: z.string(),
});
export type ConditionTask = z.infer<typeof conditionTaskSchema>;

/**
 * The next service of a machine as one visit (docs/domain.md §5: a level includes every lower one):
 * at the earliest due date among the levels, the highest level due within the visit's
 * tolerance is performed, with its kit. Plan page, inbox, calendar, customer overview and the
 * parts lookup by serial all show this one answer.
 */
export const nextServiceSchema = z.object({
  /** The level to perform. */
  level: serviceLevelSchema,
  /** Lower open levels this service includes (reset with it). */
  includes: z.array(serviceLevelSchema),
  /** The levels due at this visit, lowest first (the performed one last). */
  dueLevels: z.array(serviceLevelSchema),
  description: z.string(),
  /** Kit part numbers of the performed level. */
  kit: z.array(z.string()),
  /** The visit date: the earliest due date among the levels (in the past when overdue). */
  dueAt: z.string().datetime(),
  dueInDays: z.number(),
  /** Running hours until the visit (negative: overdue by hours). */
  dueInHours: z.number(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
});
export type NextService = z.infer<typeof nextServiceSchema>;

export const deviceMaintenanceSchema = z.object({
  deviceId: z.string(),
  modelId: z.string(),
  siteId: z.string(),
  customerId: z.string(),
  /** Latest running hours reported (null: no telemetry yet). */
  runningHours: z.number().nullable(),
  /** Recent usage rate used for predictions. */
  hoursPerDay: z.number(),
  /** `telemetry`: measured over the window; `default`: too little data, a typical two-shift rate assumed. */
  usageSource: z.enum(['telemetry', 'default']),
  usageWindowDays: z.number().int(),
  horizon: z.object({ days: z.number(), hours: z.number() }),
  computedAt: z.string().datetime(),
  levels: z.array(maintenanceLevelSchema),
  /** Only tasks at warning or replace level. */
  conditionTasks: z.array(conditionTaskSchema),
  /** The next visit in short: its performed level, date and overdue flag (the same as `nextService`). */
  next: z.object({ level: serviceLevelSchema, dueAt: z.string().datetime().nullable(), overdue: z.boolean() }).nullable(),
  /** The next service: one visit, the highest level due at it, with its kit. */
  nextService: nextServiceSchema.nullable(),
});
export type DeviceMaintenance = z.infer<typeof deviceMaintenanceSchema>;

export const maintenanceQuerySchema = z.object({
  horizonDays: z.coerce.number().int().min(1).max(366).default(30),
  horizonHours: z.coerce.number().int().min(1).max(8000).default(200),
});
export type MaintenanceQuery = z.infer<typeof maintenanceQuerySchema>;

export const deviceIdParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** One line of a machine's service history: a completed work order or a recorded service. */
export const serviceHistoryEntrySchema = z.object({
  source: z.enum(['work_order', 'service_record']),
  at: z.string().datetime(),
  level: serviceLevelSchema.nullable(),
  /** Levels reset by this service (a level includes every lower one). */
  levelsReset: z.array(serviceLevelSchema),
  runningHours: z.number().nullable(),
  parts: z.array(partQuantitySchema),
  technician: actorSchema.nullable(),
  notes: z.string().nullable(),
  workOrderId: z.string().nullable(),
  /** The device's answer to the service_reset judgment, when there was one. */
  deviceAck: z.enum(['pending', 'sent', 'applied', 'rejected', 'ignored', 'expired']).nullable(),
});
export type ServiceHistoryEntry = z.infer<typeof serviceHistoryEntrySchema>;

export const serviceHistoryResponseSchema = z.object({ deviceId: z.string(), items: z.array(serviceHistoryEntrySchema) });
export type ServiceHistoryResponse = z.infer<typeof serviceHistoryResponseSchema>;
