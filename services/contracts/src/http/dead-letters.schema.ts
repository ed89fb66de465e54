import { z } from 'zod';

/** Stable reasons a message is dead-lettered (docs/protocol.md lists them for firmware teams). */
export const DEAD_LETTER_REASONS = [
  'malformed_json',
  'non_finite_number',
  'schema_invalid',
  'out_of_range',
  'payload_too_large',
  'batch_too_large',
  'ts_too_old',
  'ts_in_future',
  'unknown_device',
  'topic_invalid',
] as const;
export const deadLetterReasonSchema = z.enum(DEAD_LETTER_REASONS);
export type DeadLetterReason = z.infer<typeof deadLetterReasonSchema>;

export const deadLetterSchema = z.object({
  id: z.string(),
  receivedAt: z.string().datetime(),
  topic: z.string(),
  deviceId: z.string().nullable(),
  reason: deadLetterReasonSchema,
  detail: z.string(),
  /** The payload as received (UTF-8; oversized payloads are truncated, see payloadBytes). */
  payload: z.string(),
  payloadBytes: z.number().int(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const deadLettersQuerySchema = z.object({
  deviceId: z.string().max(64).optional(),
  reason: deadLetterReasonSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const deadLettersResponseSchema = z.object({ items: z.array(deadLetterSchema), total: z.number().int() });

/**
 * Dead letters per source (the device, or the topic when no device is known) and reason over the
 * last `hours`: how many were refused, how many of them were stored in full, how many only
 * counted (a device over its sampling limit). Counted whatever dead_letters' retention deleted since.
 */
export const deadLetterCountsQuerySchema = z.object({
  deviceId: z.string().max(64).optional(),
  reason: deadLetterReasonSchema.optional(),
  hours: z.coerce.number().int().min(1).max(24 * 90).default(24),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const deadLetterCountSchema = z.object({
  source: z.string(),
  deviceId: z.string().nullable(),
  reason: deadLetterReasonSchema,
  received: z.number().int(),
  kept: z.number().int(),
  dropped: z.number().int(),
  /** Start of the first sampling window with a dead letter in the range. */
  firstWindowAt: z.string().datetime(),
  lastAt: z.string().datetime(),
});
export type DeadLetterCount = z.infer<typeof deadLetterCountSchema>;
export const deadLetterCountsResponseSchema = z.object({
  from: z.string().datetime(),
  to: z.string().datetime(),
  /** Most received first; at most `limit`. */
  items: z.array(deadLetterCountSchema),
  /** Over all sources of the range (not only the listed ones). */
  totals: z.object({ received: z.number().int(), kept: z.number().int(), dropped: z.number().int() }),
});
