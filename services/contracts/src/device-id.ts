import { z } from 'zod';

/**
 * Device identity (protocol v1). The character set deliberately excludes the MQTT
 * topic separators and wildcards (`/`, `+`, `#`, MQTT 3.1.1 §4.7.1) so an id can be
 * placed in a topic level without escaping and can never widen a subscription.
 */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const deviceIdSchema = z
  .string()
  .regex(DEVICE_ID_PATTERN, 'device id must match [A-Za-z0-9_-]{1,64}');

export type DeviceId = z.infer<typeof deviceIdSchema>;

export function isValidDeviceId(value: string): boolean {
  return DEVICE_ID_PATTERN.test(value);
}
