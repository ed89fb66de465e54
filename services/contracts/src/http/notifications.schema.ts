import { z } from 'zod';
import { SEVERITIES, severitySchema } from '../judgment.schema.ts';

/**
 * What a notification is about (docs/notifications.md). Users pick kinds in their preferences; webhooks
 * filter on them. `escalation` is a critical alarm nobody acknowledged in time; `report` is a
 * mail another feature sends through the notification engine (e.g. the weekly usage report);
 * `digest` is a user's daily summary mail; `test` is a webhook test delivery.
 */
export const NOTIFICATION_KINDS = [
  'alarm',
  'service_due',
  'inspection',
  'work_order',
  'service_request',
  'escalation',
  'report',
  'digest',
  'test',
] as const;
export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** Kinds a user may subscribe to (digests follow the delivery mode; test deliveries go to webhooks only). */
export const SUBSCRIBABLE_KINDS = ['alarm', 'service_due', 'inspection', 'work_order', 'service_request', 'escalation', 'report'] as const;
export const subscribableKindSchema = z.enum(SUBSCRIBABLE_KINDS);

export const NOTIFICATION_SEVERITIES = SEVERITIES;
export const notificationSeveritySchema = severitySchema;

export const NOTIFICATION_CHANNELS = ['email', 'webhook'] as const;
export const notificationChannelSchema = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

/**
 * pending → sent | failed (will retry at nextAttemptAt) → dead (gave up, lastError says why);
 * skipped = deliberately not sent (e.g. SMTP not configured, user disabled email), with the reason;
 * digest_queued = waits for the user's daily digest (then sent with it).
 */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'dead', 'skipped', 'digest_queued'] as const;
export const notificationStatusSchema = z.enum(NOTIFICATION_STATUSES);
export type NotificationStatus = z.infer<typeof notificationStatusSchema>;

export const DELIVERY_MODES = ['immediate', 'digest'] as const;

/** The signed-in user's own preferences. */
export const notificationPreferencesSchema = z.object({
  /** Kinds the user wants; an empty list means none. */
  kinds: z.array(subscribableKindSchema),
  /** Lowest severity that still notifies (`info` = everything). */
  minSeverity: severitySchema,
  emailEnabled: z.boolean(),
  /** immediate = one mail per notification; digest = one mail a day at digestHourUtc. Critical always goes immediately. */
  delivery: z.enum(DELIVERY_MODES),
  digestHourUtc: z.number().int().min(0).max(23),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

export const notificationPreferencesResponseSchema = z.object({
  preferences: notificationPreferencesSchema,
  /** True while the user never saved preferences: the role's defaults apply. */
  isDefault: z.boolean(),
  /** Whether the platform can send email at all (SMTP configured). */
  emailAvailable: z.boolean(),
});
export type NotificationPreferencesResponse = z.infer<typeof notificationPreferencesResponseSchema>;

export const updateNotificationPreferencesBodySchema = z.strictObject({
  kinds: z.array(subscribableKindSchema).max(NOTIFICATION_KINDS.length),
  minSeverity: severitySchema,
  emailEnabled: z.boolean(),
  delivery: z.enum(DELIVERY_MODES),
  digestHourUtc: z.number().int().min(0).max(23),
});
export type UpdateNotificationPreferencesBody = z.infer<typeof updateNotificationPreferencesBodySchema>;

/** What the notification refers to (the alarm, work order, …), when it refers to something. */
export const notificationRefSchema = z.object({
  type: z.enum(['alarm', 'judgment', 'work_order', 'service_request', 'report', 'webhook']),
  id: z.string(),
});
export type NotificationRef = z.infer<typeof notificationRefSchema>;

/** One row of the notification log: one notification for one recipient (user or webhook endpoint). */
export const notificationSchema = z.object({
  id: z.string(),
  kind: notificationKindSchema,
  severity: severitySchema,
  channel: notificationChannelSchema,
  status: notificationStatusSchema,
  subject: z.string(),
  /** Recipient: a user (email) or a webhook endpoint. */
  userId: z.string().nullable(),
  userEmail: z.string().nullable(),
  webhookId: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  deviceId: z.string().nullable(),
  customerId: z.string().nullable(),
  ref: notificationRefSchema.nullable(),
  /** 0 = first notice; 1, 2, … = escalation levels. */
  escalationLevel: z.number().int(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().datetime().nullable(),
  /** Why the last attempt failed, or why it was skipped / dead-lettered. */
  lastError: z.string().nullable(),
  createdAt: z.string().datetime(),
  sentAt: z.string().datetime().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsQuerySchema = z.object({
  status: notificationStatusSchema.optional(),
  kind: notificationKindSchema.optional(),
  channel: notificationChannelSchema.optional(),
  /** Admins only; other users always see their own notifications. */
  userId: z.string().uuid().optional(),
  deviceId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type NotificationsQuery = z.infer<typeof notificationsQuerySchema>;

export const notificationsResponseSchema = z.object({
  items: z.array(notificationSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type NotificationsResponse = z.infer<typeof notificationsResponseSchema>;

export const notificationParamsSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, 'notification id must be a positive integer') });

export const notificationResponseSchema = z.object({ notification: notificationSchema });

/** A webhook endpoint. Its secret is shown once, in the creation response, and never again. */
export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  /** Kinds delivered to this endpoint; empty = all kinds. */
  kinds: z.array(notificationKindSchema),
  /** Only this customer's machines; null = every customer. */
  customerId: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.string().datetime(),
  lastDeliveryAt: z.string().datetime().nullable(),
  lastStatus: notificationStatusSchema.nullable(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhooksResponseSchema = z.object({ items: z.array(webhookSchema) });

const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'webhook url must be http:// or https://');

export const createWebhookBodySchema = z.strictObject({
  url: webhookUrlSchema,
  description: z.string().trim().max(200).optional(),
  kinds: z.array(notificationKindSchema).max(NOTIFICATION_KINDS.length).default([]),
  customerId: z.string().max(64).nullable().default(null),
  enabled: z.boolean().default(true),
  /** Optional shared secret (≥ 24 characters); generated when absent. */
  secret: z.string().min(24).max(200).optional(),
});
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const createWebhookResponseSchema = z.object({
  webhook: webhookSchema,
  /** HMAC-SHA256 key for X-AirFleet-Signature; shown only in this response. */
  secret: z.string(),
});
export type CreateWebhookResponse = z.infer<typeof createWebhookResponseSchema>;

export const webhookParamsSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, 'webhook id must be a positive integer') });

/** Result of POST /api/webhooks/{id}/test: the test delivery's log row after one attempt. */
export const webhookTestResponseSchema = z.object({ notification: notificationSchema });

/** The JSON body POSTed to webhook endpoints (header X-AirFleet-Event carries `kind`). */
export const webhookPayloadSchema = z.object({
  id: z.string(),
  kind: notificationKindSchema,
  severity: severitySchema,
  subject: z.string(),
  text: z.string(),
  /** The dashboard page the notice is about (PUBLIC_URL set); absent otherwise. */
  url: z.string().url().optional(),
  deviceId: z.string().nullable(),
  customerId: z.string().nullable(),
  ref: notificationRefSchema.nullable(),
  escalationLevel: z.number().int(),
  createdAt: z.string().datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
