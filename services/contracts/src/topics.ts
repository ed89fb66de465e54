import { isValidDeviceId } from './device-id.ts';

/**
 * Topic strings are built and parsed only here; the gateway ACL and the platform
 * ingest both use these functions, so a topic layout change cannot drift between them.
 */
export const PROTOCOL_VERSION = 'v1';

export const UPLINK_CHANNELS = ['telemetry', 'status', 'events', 'acks'] as const;
export const DOWNLINK_CHANNELS = ['judgments'] as const;
export const DEVICE_CHANNELS = [...UPLINK_CHANNELS, ...DOWNLINK_CHANNELS] as const;

export type UplinkChannel = (typeof UPLINK_CHANNELS)[number];
export type DownlinkChannel = (typeof DOWNLINK_CHANNELS)[number];
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

export function deviceTopic(deviceId: string, channel: DeviceChannel): string {
  if (!isValidDeviceId(deviceId)) throw new Error(`invalid device id: ${JSON.stringify(deviceId)}`);
  return `${PROTOCOL_VERSION}/devices/${deviceId}/${channel}`;
}

export const telemetryTopic = (deviceId: string): string => deviceTopic(deviceId, 'telemetry');
export const statusTopic = (deviceId: string): string => deviceTopic(deviceId, 'status');
export const eventsTopic = (deviceId: string): string => deviceTopic(deviceId, 'events');
export const acksTopic = (deviceId: string): string => deviceTopic(deviceId, 'acks');
export const judgmentsTopic = (deviceId: string): string => deviceTopic(deviceId, 'judgments');

/** Subscription filter covering one channel of every device (used by the platform's ingest). */
export function allDevicesFilter(channel: DeviceChannel): string {
  return `${PROTOCOL_VERSION}/devices/+/${channel}`;
}

export interface ParsedDeviceTopic {
  deviceId: string;
  channel: DeviceChannel;
}

/** Parses a concrete (wildcard-free) device topic; anything else yields null. */
export function parseDeviceTopic(topic: string): ParsedDeviceTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 4) return null;
  const [version, devices, deviceId, channel] = parts as [string, string, string, string];
  if (version !== PROTOCOL_VERSION || devices !== 'devices') return null;
  if (!isValidDeviceId(deviceId)) return null;
  if (!(DEVICE_CHANNELS as readonly string[]).includes(channel)) return null;
  return { deviceId, channel: channel as DeviceChannel };
}

export function isUplinkChannel(channel: DeviceChannel): channel is UplinkChannel {
  return (UPLINK_CHANNELS as readonly string[]).includes(channel);
}
