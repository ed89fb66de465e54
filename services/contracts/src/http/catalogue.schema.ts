import { z } from 'zod';
import { SERVICE_LEVELS } from '../judgment.schema.ts';

/** Warning/shutdown limits of one model (docs/domain.md §2), stored as data with the model. */
export const modelLimitsSchema = z.object({
  elementTempWarnC: z.number(),
  elementTempTripC: z.number(),
  /** Alarm when net pressure exceeds maxPressureBar + this margin. */
  highPressureMarginBar: z.number(),
  separatorDpWarnBar: z.number(),
  separatorDpReplaceBar: z.number(),
  airFilterDpWarnMbar: z.number(),
  airFilterDpReplaceMbar: z.number(),
  /** Upper edge of the normal zone (ISO 10816 class II B/C): sustained above it, a bearing is going. */
  vibrationNormalMaxMmS: z.number(),
  vibrationWarnMmS: z.number(),
  vibrationTripMmS: z.number(),
  /** Multiples of full-load amps. */
  motorCurrentWarnFactor: z.number(),
  motorCurrentTripFactor: z.number(),
  maxStartsPerHour: z.number().int(),
  minStopTimeS: z.number().int(),
});
export type ModelLimits = z.infer<typeof modelLimitsSchema>;

export const servicePlanLevelSchema = z.object({
  level: z.enum(SERVICE_LEVELS),
  intervalHours: z.number().positive(),
  /** Calendar interval; the service is due at whichever comes first. */
  intervalMonths: z.number().positive().nullable(),
  /** Part numbers of the kit (10 digits). */
  kit: z.array(z.string().regex(/^\d{10}$/)),
  description: z.string(),
});
export const servicePlanSchema = z.object({ levels: z.array(servicePlanLevelSchema) });
export type ServicePlan = z.infer<typeof servicePlanSchema>;

export const compressorModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  drive: z.enum(['fixed', 'vsd']),
  ratedPowerKw: z.number(),
  /** Free air delivery at the rated pressure, m³/min. */
  fadM3Min: z.number(),
  ratedPressureBar: z.number(),
  maxPressureBar: z.number(),
  /** Full-load amps at 400 V. */
  flaA: z.number(),
  /** Unloaded input power as a fraction of loaded. */
  unloadedPowerFraction: z.number(),
  /** Receiver plus piping volume assumed by the reference installation, m³. */
  receiverM3: z.number(),
  defaultLoadBar: z.number(),
  defaultUnloadBar: z.number(),
  limits: modelLimitsSchema,
  servicePlan: servicePlanSchema,
});
export type CompressorModel = z.infer<typeof compressorModelSchema>;

export const modelsResponseSchema = z.object({ models: z.array(compressorModelSchema) });

export const siteSchema = z.object({
  id: z.string(),
  name: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  city: z.string(),
  country: z.string(),
  timezone: z.string(),
  region: z.string(),
});
export type Site = z.infer<typeof siteSchema>;
export const sitesResponseSchema = z.object({ sites: z.array(siteSchema) });
