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
