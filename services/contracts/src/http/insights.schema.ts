import { z } from 'zod';

/**
 * Engagement insight (docs/customer-reports.md §5): which interactions are recorded and what the admin sees.
 * Stored per event: user, customer, kind, feature, time. No IP address, user agent or query text.
 */
export const ENGAGEMENT_KINDS = ['login', 'part_lookup', 'report_view', 'report_export', 'request', 'judgment_feedback', 'alarm_ack'] as const;
export const engagementKindSchema = z.enum(ENGAGEMENT_KINDS);
export type EngagementKind = z.infer<typeof engagementKindSchema>;

export const engagementResponseSchema = z.object({
  generatedAt: z.string().datetime(),
  /** Last 8 rolling 7-day windows ending now (weekStart = first day, UTC), oldest first. */
  weeklyActiveUsers: z.array(
    z.object({
      weekStart: z.string(),
      users: z.number().int(),
      customerUsers: z.number().int(),
      customers: z.number().int(),
      /** Anonymous interactions (public part lookups) that week. */
      anonymousEvents: z.number().int(),
    }),
  ),
  /** Customers with an interaction in at least 3 of the last 4 weeks. */
  customersBecameUsers: z.array(z.object({ customerId: z.string(), name: z.string(), activeWeeks: z.number().int() })),
  /** Customers that have machines but no interaction in the last 30 days. */
  dormantCustomers: z.array(
    z.object({ customerId: z.string(), name: z.string(), machines: z.number().int(), lastInteractionAt: z.string().datetime().nullable() }),
  ),
  /** Features by use over the last 4 weeks, most used first. */
  topFeatures: z.array(z.object({ kind: engagementKindSchema, feature: z.string(), count: z.number().int() })),
});
export type EngagementResponse = z.infer<typeof engagementResponseSchema>;
