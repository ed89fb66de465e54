import { z } from 'zod';
import { deviceIdSchema } from '../device-id.ts';
import { deviceEventSchema, deviceStatusSchema } from '../device-messages.schema.ts';
import { alarmSchema } from '../http/alarms.schema.ts';
import { storedJudgmentSchema } from '../http/judgments-api.schema.ts';
import { serviceRequestSchema } from '../http/requests.schema.ts';
import { workOrderSchema } from '../http/service.schema.ts';

/**
 * What one process tells the others after a commit: the rows of the `outbox` table, relayed to
 * every platform instance (live channel) and to the once-only consumers (notifications, work
 * order audit). One union, so producer and consumers cannot disagree on a shape.
 */
const domainBase = { deviceId: deviceIdSchema.optional(), customerId: z.string().optional() };

export const domainEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('alarm'), ...domainBase, payload: alarmSchema }),
  z.object({ type: z.literal('judgment'), ...domainBase, payload: storedJudgmentSchema }),
  z.object({ type: z.literal('service_request'), ...domainBase, payload: serviceRequestSchema }),
  z.object({ type: z.literal('work_order'), ...domainBase, payload: workOrderSchema }),
]);
export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventType = DomainEvent['type'];

export const platformEventSchema = z.discriminatedUnion('name', [
  /**
   * Devices whose newest committed sample changed in one ingest batch. Only the ids travel: the
   * live channel reads the values from `device_latest` when somebody is watching, so a busy
   * ingest does not copy every sample through the outbox.
   */
  z.object({ name: z.literal('telemetry'), payload: z.object({ deviceIds: z.array(deviceIdSchema) }) }),
  z.object({ name: z.literal('status'), payload: z.object({ deviceId: deviceIdSchema, status: deviceStatusSchema, receivedAtMs: z.number() }) }),
  z.object({ name: z.literal('deviceEvent'), payload: z.object({ deviceId: deviceIdSchema, event: deviceEventSchema }) }),
  z.object({ name: z.literal('domain'), payload: domainEventSchema }),
]);
export type PlatformEvent = z.infer<typeof platformEventSchema>;
/** Event name → payload, for typed emitters and listeners. */
export type PlatformEventMap = { [E in PlatformEvent as E['name']]: E['payload'] };

/**
 * PostgreSQL NOTIFY channels: outbox rows were committed; judgments wait for their device; a
 * device connected to a gateway node (payload `<deviceId> <nodeId>`: any other node holding a
 * connection with that client id closes it, MQTT 3.1.1 §3.1.4 across nodes).
 */
export const OUTBOX_CHANNEL = 'airfleet_outbox';
export const DOWNLINK_CHANNEL = 'airfleet_downlink';
export const CONNECTED_CHANNEL = 'airfleet_connected';

/** A device's token was rotated, or the device disabled or deleted (database triggers): close its connection. */
export const CREDENTIALS_CHANNEL = 'airfleet_credentials';
