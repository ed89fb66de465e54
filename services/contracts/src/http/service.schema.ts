import { z } from 'zod';
import { serviceLevelSchema, severitySchema } from '../judgment.schema.ts';
import { JUDGMENT_RESULTS } from '../device-messages.schema.ts';
import { CONDITION_TASKS, partQuantitySchema } from './maintenance.schema.ts';
import { requestKindSchema, requestStatusSchema } from './requests.schema.ts';

const actorSchema = z.object({ id: z.string(), name: z.string() });
const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');

// Service inbox ------------------------------------------------------------------------

export const INBOX_KINDS = ['alarm', 'maintenance', 'condition', 'inspect', 'request'] as const;
export const inboxKindSchema = z.enum(INBOX_KINDS);

/**
 * Priority classes, most urgent first (the order is the rank). The platform's inbox domain
 * explains the order.
 */
export const INBOX_CATEGORIES = ['critical_alarm', 'overdue', 'condition', 'major_alarm', 'request', 'due_soon', 'inspection'] as const;
export const inboxCategorySchema = z.enum(INBOX_CATEGORIES);

export const WORK_ORDER_STATUSES = ['open', 'scheduled', 'in_progress', 'done', 'cancelled'] as const;
export const workOrderStatusSchema = z.enum(WORK_ORDER_STATUSES);
export type WorkOrderStatus = z.infer<typeof workOrderStatusSchema>;

/** Stable item keys: `alarm:<id>`, `maintenance:<device>:<level>`, `condition:<device>:<task>`, `inspect:<judgment>`, `request:<id>`. */
export const inboxItemKeySchema = z
  .string()
  .max(160)
  .regex(/^(alarm:\d{1,18}|maintenance:[A-Za-z0-9_-]{1,64}:(first|A|B|C)|condition:[A-Za-z0-9_-]{1,64}:(separator|air_filter)|inspect:[^\s]{1,64}|request:\d{1,18})$/, 'not an inbox item key');

/**
 * What an inbox item is about, as data: the dashboard words titles and details from it in the
 * reader's language (`title` and `details` are the English wording, kept for API users).
 */
export const inboxSubjectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('alarm'),
    /** The alarm's stable type (`element_temp_warning`, `trip:SENSOR_FAULT`, `service_overdue_A`, …). */
    alarmType: z.string(),
    alarmSeverity: severitySchema,
  }),
  z.object({
    kind: z.literal('maintenance'),
    level: serviceLevelSchema,
    /** Lower levels the service includes (docs/domain.md §5: B = A + …); absent on older work orders. */
    includes: z.array(serviceLevelSchema).optional(),
    /** `overdue` / `due_soon` in the inbox; null on a work order (its title names only the level). */
    due: z.enum(['overdue', 'due_soon']).nullable(),
    nextDueHours: z.number().nullable(),
    nextDueByDate: z.string().datetime().nullable(),
    dueInHours: z.number().nullable(),
    dueInDays: z.number().nullable(),
    hoursPerDay: z.number().nullable(),
  }),
  z.object({
    kind: z.literal('condition'),
    task: z.enum(CONDITION_TASKS),
    value: z.number().nullable(),
    unit: z.enum(['bar', 'mbar']),
    replaceAt: z.number().nullable(),
  }),
  z.object({
    kind: z.literal('request'),
    requestKind: requestKindSchema,
    requestStatus: requestStatusSchema,
    /** The customer's own words (shown as written). */
    message: z.string(),
  }),
  z.object({
    kind: z.literal('inspect'),
    /** The fleet check that found the machine an outlier (`specific_power`, `adt_delta`, …). */
    check: z.string(),
    value: z.number().nullable(),
    peerMedian: z.number().nullable(),
    percentile: z.number().nullable(),
    peers: z.number().nullable(),
    unit: z.string().nullable(),
  }),
]);
export type InboxSubject = z.infer<typeof inboxSubjectSchema>;

/** The machine an inbox item or work order is about, and where it stands. */
const deviceRefShape = {
  deviceId: z.string(),
  deviceSerial: z.string(),
  modelId: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  customerId: z.string(),
  customerName: z.string(),
};

export const inboxItemSchema = z.object({
  key: z.string(),
  kind: inboxKindSchema,
  category: inboxCategorySchema,
  /** Position of the category (0 = most urgent); items sort by it, then by due date. */
  priority: z.number().int(),
  severity: severitySchema,
  ...deviceRefShape,
  region: z.string(),
  /** English wording of `subject`. */
  title: z.string(),
  details: z.string(),
  subject: inboxSubjectSchema,
  /** Service level for maintenance items (and requests/work orders that name one). */
  level: serviceLevelSchema.nullable(),
  /** When it is due (maintenance: plan date; others: null). */
  dueAt: z.string().datetime().nullable(),
  /** When the need arose (alarm start, request time, judgment time, or now for plan items). */
  since: z.string().datetime(),
  assignee: actorSchema.nullable(),
  /**
   * The item's work order. For a maintenance visit: a live maintenance order of the machine
   * whatever level it was made for; `levelBelowDue` when its level is lower than the visit's
   * now (made for A, B has come due since): raise the order's level.
   */
  workOrder: z.object({ id: z.string(), status: workOrderStatusSchema, level: serviceLevelSchema.nullable(), levelBelowDue: z.boolean() }).nullable(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

const stringBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const inboxQuerySchema = z.object({
  region: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  customerId: z.string().max(64).optional(),
  assigneeId: z.uuid().optional(),
  /** Only items nobody is assigned to. */
  unassigned: stringBool.optional(),
  kind: inboxKindSchema.optional(),
  /** Due-soon maintenance within this many days (or `horizonHours` running hours). */
  horizonDays: z.coerce.number().int().min(1).max(366).default(30),
  horizonHours: z.coerce.number().int().min(1).max(8000).default(200),
  /** Include items whose work order is already scheduled or in progress (default yes). */
  includeInWork: stringBool.default(true),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

export const inboxResponseSchema = z.object({
  items: z.array(inboxItemSchema),
  total: z.number().int(),
  generatedAt: z.string().datetime(),
  horizonDays: z.number().int(),
});
export type InboxResponse = z.infer<typeof inboxResponseSchema>;

export const inboxAssignBodySchema = z.strictObject({
  itemKey: inboxItemKeySchema,
  /** A service technician's (or admin's) user id; null removes the assignment. */
  assigneeId: z.uuid().nullable(),
});
export type InboxAssignBody = z.infer<typeof inboxAssignBodySchema>;

export const inboxAssignResponseSchema = z.object({ itemKey: z.string(), assignee: actorSchema.nullable() });

export const technicianSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['service', 'admin']) });
export type Technician = z.infer<typeof technicianSchema>;
export const techniciansResponseSchema = z.object({ items: z.array(technicianSchema) });

// Work orders --------------------------------------------------------------------------

export const workOrderSchema = z.object({
  id: z.string(),
  ...deviceRefShape,
  title: z.string(),
  description: z.string(),
  /** What the inbox item it was made from is about (null for one made by hand). */
  subject: inboxSubjectSchema.nullable(),
  /** `title` / `description` are still the English wording of `subject` (nobody typed them): show `subject` in the reader's language. */
  titleGenerated: z.boolean(),
  descriptionGenerated: z.boolean(),
  level: serviceLevelSchema.nullable(),
  status: workOrderStatusSchema,
  /** The inbox item it was created from, if any. */
  itemKey: z.string().nullable(),
  /** The customer request it answers, if any. */
  requestId: z.string().nullable(),
  partsPlanned: z.array(partQuantitySchema),
  scheduledFor: z.string().datetime().nullable(),
  technician: actorSchema.nullable(),
  createdBy: actorSchema.nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
  startedAt: z.string().datetime().nullable(),
  completedAt: z.string().datetime().nullable(),
  cancelledAt: z.string().datetime().nullable(),
  cancelReason: z.string().nullable(),
  completion: z
    .object({
      runningHours: z.number(),
      level: serviceLevelSchema,
      partsUsed: z.array(partQuantitySchema),
      notes: z.string(),
      technician: actorSchema,
    })
    .nullable(),
  /** The service_reset judgment sent on completion, with the device's answer (protocol §10). */
  serviceReset: z
    .object({
      judgmentId: z.string(),
      status: z.enum(['pending', 'sent', 'applied', 'rejected', 'ignored', 'expired']),
      ack: z.object({ result: z.enum(JUDGMENT_RESULTS), reason: z.string().nullable(), ts: z.string().datetime() }).nullable(),
    })
    .nullable(),
});
export type WorkOrder = z.infer<typeof workOrderSchema>;

/** One audited change: who, when, what (before/after per changed field). */
export const workOrderAuditEntrySchema = z.object({
  id: z.string(),
  at: z.string().datetime(),
  actor: actorSchema.nullable(),
  action: z.enum(['create', 'update', 'schedule', 'start', 'complete', 'cancel', 'device_ack']),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
});
export type WorkOrderAuditEntry = z.infer<typeof workOrderAuditEntrySchema>;

export const workOrderDetailSchema = workOrderSchema.extend({ audit: z.array(workOrderAuditEntrySchema) });
export type WorkOrderDetail = z.infer<typeof workOrderDetailSchema>;

/** From an inbox item (`itemKey`; device, title and level are taken from it unless given) or by hand (`deviceId` + `title`). */
export const createWorkOrderBodySchema = z
  .strictObject({
    itemKey: inboxItemKeySchema.optional(),
    deviceId: z.string().min(1).max(64).optional(),
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(4000).optional(),
    level: serviceLevelSchema.optional(),
    /** Default: the level's kit. */
    partsPlanned: z.array(partQuantitySchema).max(200).optional(),
  })
  .refine((b) => b.itemKey !== undefined || (b.deviceId !== undefined && b.title !== undefined), {
    message: 'give an itemKey, or a deviceId and a title',
    path: ['itemKey'],
  });
export type CreateWorkOrderBody = z.infer<typeof createWorkOrderBodySchema>;

export const patchWorkOrderBodySchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(4000).optional(),
    level: serviceLevelSchema.nullable().optional(),
    partsPlanned: z.array(partQuantitySchema).max(200).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type PatchWorkOrderBody = z.infer<typeof patchWorkOrderBodySchema>;

export const scheduleWorkOrderBodySchema = z.strictObject({
  scheduledFor: z.iso.datetime({ offset: true }),
  technicianId: z.uuid(),
});
export type ScheduleWorkOrderBody = z.infer<typeof scheduleWorkOrderBodySchema>;

export const completeWorkOrderBodySchema = z.strictObject({
  /** Running hours read at the service. */
  runningHours: z.number().min(0).max(1_000_000),
  level: serviceLevelSchema,
  /** Default: the level's kit. */
  partsUsed: z.array(partQuantitySchema).max(200).optional(),
  notes: z.string().trim().max(4000).default(''),
  /** Who did the work; default the caller. */
  technicianId: z.uuid().optional(),
});
export type CompleteWorkOrderBody = z.infer<typeof completeWorkOrderBodySchema>;

export const cancelWorkOrderBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export type CancelWorkOrderBody = z.infer<typeof cancelWorkOrderBodySchema>;

export const workOrderParamsSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, 'work order id must be a positive integer') });

export const workOrdersQuerySchema = z.object({
  status: workOrderStatusSchema.optional(),
  deviceId: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  customerId: z.string().max(64).optional(),
  assigneeId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type WorkOrdersQuery = z.infer<typeof workOrdersQuerySchema>;

export const workOrdersResponseSchema = z.object({
  items: z.array(workOrderSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type WorkOrdersResponse = z.infer<typeof workOrdersResponseSchema>;

// Planning calendar --------------------------------------------------------------------

export const calendarQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
  technicianId: z.uuid().optional(),
  siteId: z.string().max(64).optional(),
});
export type CalendarQuery = z.infer<typeof calendarQuerySchema>;

export const calendarEntrySchema = z.object({
  /** `predicted`: a plan level falls due (nobody has scheduled it yet); `scheduled`: a work order's date. */
  kind: z.enum(['predicted', 'scheduled']),
  date: isoDateSchema,
  at: z.string().datetime(),
  deviceId: z.string(),
  deviceSerial: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  customerId: z.string(),
  level: serviceLevelSchema.nullable(),
  title: z.string(),
  /** For a scheduled work order whose title nobody typed: what it is about (see workOrderSchema). */
  subject: inboxSubjectSchema.nullable(),
  overdue: z.boolean(),
  technician: actorSchema.nullable(),
  workOrderId: z.string().nullable(),
  workOrderStatus: workOrderStatusSchema.nullable(),
});
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

export const calendarResponseSchema = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  /** Overdue plan items are placed on `from` (today). Sorted by date. */
  entries: z.array(calendarEntrySchema),
});
export type CalendarResponse = z.infer<typeof calendarResponseSchema>;
