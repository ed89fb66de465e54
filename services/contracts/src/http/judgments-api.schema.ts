import { z } from 'zod';
import { JUDGMENT_RESULTS } from '../device-messages.schema.ts';
import { JUDGMENT_KINDS, judgmentSchema, severitySchema } from '../judgment.schema.ts';

/** pending → sent → applied | rejected | ignored | expired (docs/protocol.md §9–10). */
export const JUDGMENT_STATUSES = ['pending', 'sent', 'applied', 'rejected', 'ignored', 'expired'] as const;
export const judgmentStatusSchema = z.enum(JUDGMENT_STATUSES);
export type JudgmentStatus = z.infer<typeof judgmentStatusSchema>;

export const JUDGMENT_SOURCES = ['rule', 'fleet', 'manual'] as const;

const actorSchema = z.object({ id: z.string(), name: z.string() });

/** A judgment as the platform keeps it: the exact message sent to the device plus its delivery history. */
export const storedJudgmentSchema = z.object({
  deviceId: z.string(),
  /** The message as published on v1/devices/{id}/judgments. */
  judgment: judgmentSchema,
  status: judgmentStatusSchema,
  /** Why the status is what it is when the device did not say (e.g. `superseded`, `expired before delivery`). */
  statusReason: z.string().nullable(),
  source: z.enum(JUDGMENT_SOURCES),
  createdBy: actorSchema.nullable(),
  createdAt: z.string().datetime(),
  firstSentAt: z.string().datetime().nullable(),
  lastSentAt: z.string().datetime().nullable(),
  sendCount: z.number().int(),
  /** The device's answer (protocol §10). */
  ack: z.object({ result: z.enum(JUDGMENT_RESULTS), reason: z.string().nullable(), ts: z.string().datetime() }).nullable(),
  feedback: z.object({
    useful: z.number().int(),
    notUseful: z.number().int(),
    /** The caller's own rating, if any. */
    mine: z.object({ useful: z.boolean(), comment: z.string().nullable() }).nullable(),
  }),
});
export type StoredJudgment = z.infer<typeof storedJudgmentSchema>;

export const deviceJudgmentsQuerySchema = z.object({
  status: judgmentStatusSchema.optional(),
  kind: z.enum(JUDGMENT_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DeviceJudgmentsQuery = z.infer<typeof deviceJudgmentsQuerySchema>;

export const judgmentsResponseSchema = z.object({
  items: z.array(storedJudgmentSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** Params of each kind, taken from the wire schema so the two can never drift apart. */
function paramsSchemaOf(kind: string): z.ZodType | undefined {
  const option = judgmentSchema.options.find((o) => o.shape.kind.value === kind);
  return option?.shape.params;
}

/** A judgment made by hand (admin, service), e.g. `service_reset` after a work order. */
export const createJudgmentBodySchema = z
  .strictObject({
    kind: z.enum(JUDGMENT_KINDS),
    params: z.record(z.string(), z.unknown()),
    severity: severitySchema.default('info'),
    reason: z.string().trim().min(1).max(500),
    /** Validity from now; the device never applies it afterwards. */
    expiresInHours: z.number().positive().max(24 * 90).default(24 * 7),
  })
  .superRefine((body, ctx) => {
    const result = paramsSchemaOf(body.kind)?.safeParse(body.params);
    if (result && !result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...issue.path.map(String)], message: issue.message });
    }
  });
export type CreateJudgmentBody = z.infer<typeof createJudgmentBodySchema>;

export const judgmentParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const judgmentFeedbackBodySchema = z.strictObject({
  useful: z.boolean(),
  comment: z.string().trim().max(1000).optional(),
});
export type JudgmentFeedbackBody = z.infer<typeof judgmentFeedbackBodySchema>;

export const judgmentFeedbackSchema = z.object({
  judgmentId: z.string(),
  userId: z.string(),
  useful: z.boolean(),
  comment: z.string().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

// Fleet intelligence and health (docs/architecture.md §5) --------------------------------

/** Peer checks of the daily fleet job: this machine against same-model peers (median/MAD). */
export const FLEET_CHECKS = ['specific_power', 'adt_delta', 'unloaded_share', 'separator_dp_growth'] as const;

export const fleetRunBodySchema = z
  .strictObject({
    /** UTC calendar day `YYYY-MM-DD`; default yesterday. */
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  })
  .optional();

export const fleetRunResponseSchema = z.object({
  day: z.string(),
  devices: z.number().int(),
  outliers: z.array(
    z.object({
      deviceId: z.string(),
      check: z.string(),
      value: z.number(),
      peerMedian: z.number(),
      percentile: z.number(),
      peers: z.number().int(),
      robustZ: z.number(),
      unit: z.string(),
    }),
  ),
  judgments: z.number().int(),
  healthScores: z.number().int(),
});
export type FleetRunResponse = z.infer<typeof fleetRunResponseSchema>;

export const healthCheckResultSchema = z.object({
  check: z.string(),
  passed: z.boolean(),
  detail: z.string(),
});

export const deviceHealthDaySchema = z.object({
  day: z.string(),
  /** Percent of the day's checks passed (0–100). */
  score: z.number(),
  passed: z.number().int(),
  total: z.number().int(),
  checks: z.array(healthCheckResultSchema),
});

export const healthQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

export const deviceHealthResponseSchema = z.object({ deviceId: z.string(), days: z.array(deviceHealthDaySchema) });
export type DeviceHealthResponse = z.infer<typeof deviceHealthResponseSchema>;

export const siteHealthResponseSchema = z.object({
  siteId: z.string(),
  /** Site score per day: the average of its machines' scores. */
  days: z.array(z.object({ day: z.string(), score: z.number(), devices: z.number().int() })),
  /** Each machine's latest daily score. */
  devices: z.array(z.object({ deviceId: z.string(), day: z.string(), score: z.number() })),
});
export type SiteHealthResponse = z.infer<typeof siteHealthResponseSchema>;

export const siteParamsSchema = z.object({ id: z.string().min(1).max(64) });
