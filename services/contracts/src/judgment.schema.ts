import { z } from 'zod';
import { epochMsSchema } from './telemetry.schema.ts';

export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export const SERVICE_LEVELS = ['first', 'A', 'B', 'C'] as const;
export const serviceLevelSchema = z.enum(SERVICE_LEVELS);

const base = {
  id: z.string().min(1).max(64),
  ts: epochMsSchema,
  severity: severitySchema,
  /** Plain-language reason, shown on the device display and in the dashboard. */
  reason: z.string().min(1).max(500),
  /** After this instant the device must not apply the judgment (it acks `ignored`). */
  expiresAt: epochMsSchema,
};

/** Cloud → device judgments. `params` is typed per kind so firmware can rely on it. */
export const judgmentSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...base,
    kind: z.literal('maintenance_due'),
    params: z.strictObject({ level: serviceLevelSchema, dueInHours: z.number(), dueInDays: z.number() }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('setpoint_advice'),
    params: z.strictObject({
      loadBar: z.number().min(0).max(25),
      unloadBar: z.number().min(0).max(25),
      expectedSavingPct: z.number().min(0).max(100),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('derate'),
    params: z.strictObject({
      maxLoadedDutyPct: z.number().min(0).max(100).optional(),
      maxPressureBar: z.number().min(0).max(25).optional(),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('inspect'),
    params: z.strictObject({
      check: z.string().min(1).max(64),
      value: z.number(),
      peerMedian: z.number(),
      percentile: z.number().min(0).max(100),
      peers: z.number().int().min(0),
      unit: z.string().max(32).optional(),
    }),
  }),
  z.strictObject({ ...base, kind: z.literal('shutdown_request'), params: z.strictObject({ code: z.string().max(64).optional() }) }),
  z.strictObject({
    ...base,
    kind: z.literal('service_reset'),
    params: z.strictObject({ level: serviceLevelSchema, workOrderId: z.string().max(64).optional() }),
  }),
]);
export type Judgment = z.infer<typeof judgmentSchema>;
export type JudgmentKind = Judgment['kind'];
export const JUDGMENT_KINDS = ['maintenance_due', 'setpoint_advice', 'derate', 'inspect', 'shutdown_request', 'service_reset'] as const satisfies readonly JudgmentKind[];
