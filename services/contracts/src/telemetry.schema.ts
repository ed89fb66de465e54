import { z } from 'zod';
import { EXTRA_METRIC_KEY_PATTERN, METRICS, type MetricKey } from './metrics.ts';
import { PROTOCOL_LIMITS } from './protocol-limits.ts';

export const MACHINE_STATES = ['stopped', 'standby', 'unloaded', 'loaded', 'tripped'] as const;
export const machineStateSchema = z.enum(MACHINE_STATES);
export type MachineState = z.infer<typeof machineStateSchema>;

/** Epoch milliseconds (UTC). Bounded to years 2000..2100 so a seconds-vs-ms mix-up is caught. */
export const epochMsSchema = z
  .number()
  .int('timestamp must be integer epoch milliseconds')
  .min(946_684_800_000, 'timestamp must be epoch milliseconds after 2000-01-01')
  .max(4_102_444_800_000, 'timestamp must be epoch milliseconds before 2100-01-01');

function metricSchema(key: MetricKey): z.ZodNumber {
  const def = METRICS[key];
  // zod 4's z.number() already refuses NaN and ±Infinity.
  const schema = z
    .number({ error: `${key} must be a finite number` })
    .min(def.min, `${key} below ${def.min} ${def.unit}`)
    .max(def.max, `${key} above ${def.max} ${def.unit}`);
  return def.integer ? schema.int(`${key} must be an integer`) : schema;
}

const knownMetricShape = Object.fromEntries(
  (Object.keys(METRICS) as MetricKey[]).map((key) => [key, metricSchema(key).optional()]),
) as { [K in MetricKey]: z.ZodOptional<z.ZodNumber> };

/**
 * Known metrics are range-checked; unknown keys must carry a finite number and are
 * kept as extras. Any other value (string, object, null) rejects the whole sample.
 */
export const metricsSchema = z
  .object(knownMetricShape)
  .catchall(z.number({ error: 'extra metrics must be finite numbers' }))
  .superRefine((metrics, ctx) => {
    let extras = 0;
    for (const key of Object.keys(metrics)) {
      if (Object.hasOwn(METRICS, key)) continue;
      extras += 1;
      if (!EXTRA_METRIC_KEY_PATTERN.test(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `extra metric name ${JSON.stringify(key)} is not [A-Za-z][A-Za-z0-9_]{0,63}` });
      }
    }
    if (extras > PROTOCOL_LIMITS.maxExtraMetrics) {
      ctx.addIssue({ code: 'custom', message: `at most ${PROTOCOL_LIMITS.maxExtraMetrics} extra metrics per sample` });
    }
  });

export type Metrics = z.infer<typeof metricsSchema>;

export const telemetrySchema = z.strictObject({
  ts: epochMsSchema,
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  state: machineStateSchema,
  metrics: metricsSchema,
});
export type Telemetry = z.infer<typeof telemetrySchema>;

/** A telemetry message is one sample or a replay array of up to 500. */
export const telemetryMessageSchema = z.union([
  telemetrySchema,
  z.array(telemetrySchema).min(1, 'empty telemetry array').max(PROTOCOL_LIMITS.maxBatchSamples, `at most ${PROTOCOL_LIMITS.maxBatchSamples} samples per message`),
]);
export type TelemetryMessage = z.infer<typeof telemetryMessageSchema>;

/** Splits a sample's metrics into the typed (known) ones and the extras. */
export function splitMetrics(metrics: Metrics): { known: Partial<Record<MetricKey, number>>; extras: Record<string, number> } {
  const known: Partial<Record<MetricKey, number>> = {};
  const extras: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (value === undefined) continue;
    if (Object.hasOwn(METRICS, key)) known[key as MetricKey] = value;
    else extras[key] = value;
  }
  return { known, extras };
}
