import { z } from 'zod';
import { serviceLevelSchema } from '../judgment.schema.ts';

/** Customer requests: they land in the service inbox; the customer follows the status. */
export const REQUEST_KINDS = ['service', 'parts_quote'] as const;
export const requestKindSchema = z.enum(REQUEST_KINDS);

/** open → in_review → quoted | scheduled → closed | rejected (rejected possible from any open state). */
export const REQUEST_STATUSES = ['open', 'in_review', 'quoted', 'scheduled', 'closed', 'rejected'] as const;
export const requestStatusSchema = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof requestStatusSchema>;

/**
 * A part number as people type it (spaces, dashes, dots, a lost leading zero) becomes the
 * canonical 10 digits (docs/domain.md §6).
 */
export const typedPartNumberSchema = z
  .string()
  .trim()
  .max(32)
  .transform((s) => s.replace(/[\s.\-/]/g, ''))
  .pipe(z.string().regex(/^\d{1,10}$/, 'part number must be up to 10 digits'))
  .transform((s) => s.padStart(10, '0'));

export const requestPartSchema = z.object({
  partNumber: typedPartNumberSchema,
  quantity: z.number().int().min(1).max(10_000),
});

export const requestAttachmentSchema = z
  .strictObject({
    /** A lookup result: part numbers with quantities. */
    parts: z.array(requestPartSchema).max(100).optional(),
    /** A service kit of the plan. */
    kit: z.strictObject({ modelId: z.string().min(1).max(32), level: serviceLevelSchema }).optional(),
  })
  .refine((a) => (a.parts?.length ?? 0) > 0 || a.kit !== undefined, { message: 'attach parts or a kit' });
export type RequestAttachment = z.infer<typeof requestAttachmentSchema>;

export const createRequestBodySchema = z
  .strictObject({
    deviceId: z.string().min(1).max(64),
    kind: requestKindSchema,
    message: z.string().trim().min(1).max(4000),
    attachment: requestAttachmentSchema.optional(),
  })
  .refine((b) => b.kind !== 'parts_quote' || b.attachment !== undefined, {
    message: 'a parts quote needs parts or a kit attached',
    path: ['attachment'],
  });
export type CreateRequestBody = z.input<typeof createRequestBodySchema>;

const actorSchema = z.object({ id: z.string(), name: z.string() });

export const requestHistoryEntrySchema = z.object({
  at: z.string().datetime(),
  status: requestStatusSchema,
  /** Visible to the customer. */
  note: z.string().nullable(),
  actor: actorSchema.nullable(),
});

export const serviceRequestSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceSerial: z.string(),
  modelId: z.string(),
  siteId: z.string(),
  customerId: z.string(),
  kind: requestKindSchema,
  message: z.string(),
  attachment: z
    .object({
      parts: z.array(z.object({ partNumber: z.string(), quantity: z.number().int() })).optional(),
      kit: z.object({ modelId: z.string(), level: serviceLevelSchema, partNumbers: z.array(z.string()) }).optional(),
    })
    .nullable(),
  status: requestStatusSchema,
  /** The latest note from the service team, visible to the customer. */
  statusNote: z.string().nullable(),
  createdBy: actorSchema.nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
  /** Work order created from this request, if any. */
  workOrderId: z.string().nullable(),
  history: z.array(requestHistoryEntrySchema),
});
export type ServiceRequest = z.infer<typeof serviceRequestSchema>;

export const requestStatusBodySchema = z.strictObject({
  status: z.enum(['in_review', 'quoted', 'scheduled', 'closed', 'rejected']),
  note: z.string().trim().max(2000).optional(),
});
export type RequestStatusBody = z.infer<typeof requestStatusBodySchema>;

export const requestParamsSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, 'request id must be a positive integer') });

export const requestsQuerySchema = z.object({
  status: requestStatusSchema.optional(),
  kind: requestKindSchema.optional(),
  deviceId: z.string().max(64).optional(),
  customerId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RequestsQuery = z.infer<typeof requestsQuerySchema>;

export const requestsResponseSchema = z.object({
  items: z.array(serviceRequestSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type RequestsResponse = z.infer<typeof requestsResponseSchema>;
