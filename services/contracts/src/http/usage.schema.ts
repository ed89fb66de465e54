import { z } from 'zod';

/**
 * Customer usage and energy (docs/customer-reports.md; docs/domain.md §4). Periods are calendar periods in the
 * SITE's time zone: a day, an ISO week (Monday start) or a month. Money is in the customer's
 * currency at its tariff; CO₂ at its grid factor.
 */
export const USAGE_GRANULARITIES = ['day', 'week', 'month'] as const;
export const usageGranularitySchema = z.enum(USAGE_GRANULARITIES);
export type UsageGranularity = z.infer<typeof usageGranularitySchema>;

export const REPORT_LOCALES = ['en', 'zh-CN'] as const;
export const reportLocaleSchema = z.enum(REPORT_LOCALES);
export type ReportLocale = z.infer<typeof reportLocaleSchema>;

/** `YYYY-MM-DD` (a local calendar day of the site) or a full ISO timestamp. */
const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const usageQuerySchema = z.object({
  deviceId: z.string().min(1).max(64).optional(),
  siteId: z.string().min(1).max(64).optional(),
  /** Inclusive. Default: 30 days before `to`. */
  from: dateOrDateTime.optional(),
  /** Exclusive (a date means the start of that local day). Default: now. */
  to: dateOrDateTime.optional(),
  granularity: usageGranularitySchema.default('day'),
  /** `csv` (or `Accept: text/csv`) answers the same table as a UTF-8 CSV file. */
  format: z.enum(['json', 'csv']).optional(),
  /** Which table the CSV holds: one row per period (default) or per machine over the range. */
  table: z.enum(['periods', 'machines']).default('periods'),
  lang: reportLocaleSchema.optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

/** The figures of one period (or the whole range) for one machine or a site. */
export const usageFiguresSchema = z.object({
  /** ∫ power dt (trapezoid); intervals longer than the gap cap are not integrated. */
  kwh: z.number(),
  runningHours: z.number(),
  loadedHours: z.number(),
  /** loaded / running hours; null without running hours. */
  loadFactor: z.number().nullable(),
  /** ∫ flow dt, m³ of free air. */
  airM3: z.number(),
  /** kWh per m³ delivered; null without air delivered. */
  specificEnergyKwhM3: z.number().nullable(),
  /** The model's rated figure: rated power / FAD (kWh/m³); a site's is weighted by each machine's air. */
  ratedSpecificEnergyKwhM3: z.number().nullable(),
  /** Median of same-model machines over the same range (fleet-wide), null without peers. */
  peerMedianSpecificEnergyKwhM3: z.number().nullable(),
  /** Unloaded hours × unloaded power: energy spent producing no air. */
  unloadedKwh: z.number(),
  /** Average flow during non-production hours (nights 22:00–05:00 and weekends, site time). */
  leakFlowM3Min: z.number().nullable(),
  cost: z.number(),
  co2Kg: z.number(),
  /** Hours covered by integrated samples, and hours of gaps left out. */
  coveredHours: z.number(),
  gapHours: z.number(),
});
export type UsageFigures = z.infer<typeof usageFiguresSchema>;

export const usageRowSchema = usageFiguresSchema.extend({
  /** Local label: `2026-11-02` (day, week's Monday) or `2026-11` (month). */
  period: z.string(),
  periodStart: z.string().datetime(),
  periodEnd: z.string().datetime(),
});
export type UsageRow = z.infer<typeof usageRowSchema>;

export const usageScopeSchema = z.object({
  kind: z.enum(['device', 'site']),
  id: z.string(),
  name: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  timezone: z.string(),
  customerId: z.string(),
});
export type UsageScope = z.infer<typeof usageScopeSchema>;

export const tariffSchema = z.object({
  currency: z.string(),
  tariffPerKwh: z.number(),
  gridCo2KgPerKwh: z.number(),
});
export type Tariff = z.infer<typeof tariffSchema>;

export const usageMachineSchema = z.object({
  deviceId: z.string(),
  serial: z.string(),
  modelId: z.string(),
  /** This machine's gap cap: 3 of its reporting intervals (docs/domain.md §7). */
  gapCapMinutes: z.number(),
  totals: usageFiguresSchema,
});

export const usageResponseSchema = z.object({
  scope: usageScopeSchema,
  tariff: tariffSchema,
  granularity: usageGranularitySchema,
  from: z.string().datetime(),
  to: z.string().datetime(),
  /** The largest of the machines' gap caps: samples further apart are a gap, nothing is integrated across it. */
  gapCapMinutes: z.number(),
  /** Machine-days answered from the daily rollup (the rest were integrated from raw samples now). */
  rolledUpDays: z.number().int(),
  rows: z.array(usageRowSchema),
  totals: usageFiguresSchema,
  /** Per machine over the whole range (one entry for a device scope). */
  machines: z.array(usageMachineSchema),
});
export type UsageResponse = z.infer<typeof usageResponseSchema>;

// Savings advice ---------------------------------------------------------------------------

export const SAVING_KINDS = ['pressure_band', 'unloaded_running', 'leaks'] as const;
export const savingKindSchema = z.enum(SAVING_KINDS);
export type SavingKind = z.infer<typeof savingKindSchema>;

export const savingsQuerySchema = z.object({
  deviceId: z.string().min(1).max(64).optional(),
  siteId: z.string().min(1).max(64).optional(),
  /** Days of history the yearly figures are extrapolated from (default 28). */
  days: z.coerce.number().int().min(1).max(366).default(28),
  lang: reportLocaleSchema.optional(),
});
export type SavingsQuery = z.infer<typeof savingsQuerySchema>;

export const savingOpportunitySchema = z.object({
  kind: savingKindSchema,
  /** The machine concerned; null for a site-wide opportunity (leaks). */
  deviceId: z.string().nullable(),
  title: z.string(),
  kwhPerYear: z.number(),
  moneyPerYear: z.number(),
  co2KgPerYear: z.number(),
  /** The assumptions behind the figures, in plain words (in the requested language). */
  assumptions: z.array(z.string()),
});
export type SavingOpportunity = z.infer<typeof savingOpportunitySchema>;

export const savingsResponseSchema = z.object({
  scope: usageScopeSchema,
  tariff: tariffSchema,
  basisFrom: z.string().datetime(),
  basisTo: z.string().datetime(),
  opportunities: z.array(savingOpportunitySchema),
  totalKwhPerYear: z.number(),
  totalMoneyPerYear: z.number(),
});
export type SavingsResponse = z.infer<typeof savingsResponseSchema>;

// Overview ---------------------------------------------------------------------------------

export const overviewQuerySchema = z.object({ lang: reportLocaleSchema.optional() });

export const overviewAlertSchema = z.object({
  id: z.string(),
  severity: z.string(),
  type: z.string(),
  /** Plain language, in the user's locale (or `lang`). */
  text: z.string(),
  since: z.string().datetime(),
});

/** A machine's next service (one visit: the highest level due at it, docs/domain.md §5). */
export const overviewMaintenanceSchema = z.object({
  level: z.string(),
  /** Lower levels the service includes (B = A + …). */
  includes: z.array(z.string()),
  /** Running hours left (negative: overdue by that much). */
  dueInHours: z.number().nullable(),
  /** Expected date from the machine's running hours per day or the calendar interval, whichever is first. */
  dueAt: z.string().datetime().nullable(),
  overdue: z.boolean(),
  text: z.string(),
});

export const overviewMachineSchema = z.object({
  deviceId: z.string(),
  serial: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  online: z.boolean().nullable(),
  /** Last reported machine state (loaded, unloaded, stopped, …), null without telemetry. */
  state: z.string().nullable(),
  lastSeenAt: z.string().datetime().nullable(),
  /** Latest daily health score (% of checks passed). */
  health: z.object({ day: z.string(), score: z.number() }).nullable(),
  alerts: z.array(overviewAlertSchema),
  maintenance: z.array(overviewMaintenanceSchema),
});
export type OverviewMachine = z.infer<typeof overviewMachineSchema>;

export const overviewResponseSchema = z.object({
  customerId: z.string().nullable(),
  machines: z.array(overviewMachineSchema),
});
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;

// Weekly report subscription -----------------------------------------------------------------

export const reportSubscriptionSchema = z.object({
  weeklyReport: z.boolean(),
  locale: reportLocaleSchema,
});
export type ReportSubscription = z.infer<typeof reportSubscriptionSchema>;

export const reportSubscriptionBodySchema = z.strictObject({
  weeklyReport: z.boolean(),
  locale: reportLocaleSchema.optional(),
});
export type ReportSubscriptionBody = z.infer<typeof reportSubscriptionBodySchema>;
