import { z } from 'zod';
import { deviceEventSchema } from '../device-messages.schema.ts';
import { deviceIdSchema } from '../device-id.ts';
import { roleSchema } from './auth.schema.ts';
import { machineStateSchema, metricsSchema } from '../telemetry.schema.ts';

/**
 * The dashboard's live channel: one WebSocket per browser tab at `LIVE_PATH`, authenticated
 * at the upgrade by the session cookie. The server pushes only devices the user may see.
 *
 * Telemetry and status are *state*: the server keeps the newest value per device and sends
 * it on the next flush, so a slow client gets sampled values, never a growing backlog.
 * Device events and domain notifications are *messages*: queued up to a bound; when a
 * client falls behind that bound the queue is dropped and a `resync` tells the client to
 * refetch over HTTP.
 */
export const LIVE_PATH = '/live';

/** WebSocket close codes (4000–4999 are for applications, RFC 6455 §7.4.2). */
export const LIVE_CLOSE_CODES = {
  /** The session expired or was ended (logout); sign in again. */
  sessionEnded: 4401,
  /** The client did not read fast enough for too long; reconnect and refetch. */
  tooSlow: 4008,
  /** Server going away (restart); reconnect. RFC 6455 "going away". */
  goingAway: 1001,
} as const;

export const liveTelemetryItemSchema = z.object({
  deviceId: deviceIdSchema,
  /** Sample time, epoch ms. */
  ts: z.number().int(),
  seq: z.number().int(),
  state: machineStateSchema,
  metrics: metricsSchema,
  /** When the platform committed it, epoch ms (the fleet list's "last seen"). */
  receivedAt: z.number().int(),
});
export type LiveTelemetryItem = z.infer<typeof liveTelemetryItemSchema>;

export const liveStatusItemSchema = z.object({
  deviceId: deviceIdSchema,
  online: z.boolean(),
  firmware: z.string().nullable(),
  /** When the platform received the status, epoch ms. */
  at: z.number().int(),
});
export type LiveStatusItem = z.infer<typeof liveStatusItemSchema>;

export const liveServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    userId: z.string(),
    role: roleSchema,
    customerId: z.string().nullable(),
    serverTime: z.number().int(),
    /** How often the server flushes coalesced state to this connection. */
    flushIntervalMs: z.number().int(),
  }),
  /** Newest sample per device since the previous flush. */
  z.object({ type: z.literal('telemetry'), items: z.array(liveTelemetryItemSchema) }),
  /** Newest online/offline state per device since the previous flush. */
  z.object({ type: z.literal('status'), items: z.array(liveStatusItemSchema) }),
  /** A device's own event (trip, warning, start, …) as it sent it. */
  z.object({ type: z.literal('event'), deviceId: deviceIdSchema, event: deviceEventSchema }),
  /**
   * A platform notification, e.g. kind `alarm` when an alarm is raised, acknowledged or
   * cleared. The payload belongs to the feature that emits it; clients may just refetch.
   */
  z.object({ type: z.literal('domain'), kind: z.string(), deviceId: z.string().nullable(), payload: z.unknown() }),
  /** Queued messages were dropped for this connection: refetch what is shown. */
  z.object({ type: z.literal('resync'), reason: z.enum(['overflow']) }),
]);
export type LiveServerMessage = z.infer<typeof liveServerMessageSchema>;

export const LIVE_MAX_SUBSCRIBED_DEVICES = 1000;

export const liveClientMessageSchema = z.discriminatedUnion('type', [
  /**
   * Narrows telemetry and status to these devices (e.g. one machine's page); `null` = every
   * device the user may see (the default after connecting). Events and domain notifications
   * are always sent.
   */
  z.strictObject({
    type: z.literal('subscribe'),
    deviceIds: z.array(deviceIdSchema).max(LIVE_MAX_SUBSCRIBED_DEVICES).nullable(),
  }),
]);
export type LiveClientMessage = z.infer<typeof liveClientMessageSchema>;
