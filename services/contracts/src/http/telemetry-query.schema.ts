import { z } from 'zod';
import { METRIC_KEYS, isMetricKey, type MetricKey } from '../metrics.ts';

const instant = z.union([
  z.coerce.number().int().min(0),
  z.string().datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

export const telemetryQuerySchema = z
  .object({
    /** Epoch ms or ISO 8601. Defaults: the last 24 h. */
    from: instant.optional(),
    to: instant.optional(),
    /** Comma-separated metric keys; default: every known metric. */
    metrics: z
      .string()
      .optional()
      .transform((s, ctx): MetricKey[] => {
        if (!s) return [...METRIC_KEYS];
        const keys = s.split(',').map((k) => k.trim()).filter(Boolean);
        for (const key of keys) {
          if (!isMetricKey(key)) ctx.addIssue({ code: 'custom', message: `unknown metric ${JSON.stringify(key)}` });
        }
        return [...new Set(keys)] as MetricKey[];
      }),
    maxPoints: z.coerce.number().int().min(1).max(10_000).default(500),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to' });
export type TelemetryQuery = z.infer<typeof telemetryQuerySchema>;

/** Column-oriented so a chart library can take the arrays as they are. */
export const telemetrySeriesSchema = z.object({
  deviceId: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  bucketMs: z.number().int(),
  /** Bucket start times, epoch ms. */
  t: z.array(z.number()),
  /** Samples per bucket. */
  count: z.array(z.number().int()),
  series: z.record(
    z.string(),
    z.object({ avg: z.array(z.number().nullable()), min: z.array(z.number().nullable()), max: z.array(z.number().nullable()) }),
  ),
});
export type TelemetrySeries = z.infer<typeof telemetrySeriesSchema>;
