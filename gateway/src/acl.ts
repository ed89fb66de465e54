import {
  allDevicesFilter,
  deviceTopic,
  isUplinkChannel,
  isValidDeviceId,
  parseDeviceTopic,
  UPLINK_CHANNELS,
} from '@airfleet/contracts';

/**
 * Who is on the other end of an MQTT connection, fixed at CONNECT time by authentication.
 * Devices act only on their own topics; the single internal service identity (the platform's
 * ingest and judgment publisher) reads every device's uplink and writes judgments.
 */
export type Identity =
  | { readonly kind: 'device'; readonly deviceId: string }
  | { readonly kind: 'service'; readonly username: string };

/**
 * Topics and filters beginning with `$` are reserved for the server (MQTT 3.1.1 §4.7.2); Aedes
 * publishes its heartbeats and client lists under `$SYS/`. Overriding Aedes' authorizePublish
 * drops its own `$SYS` guard, so the guard lives here and covers every `$` prefix.
 */
function isReserved(topicOrFilter: string): boolean {
  return topicOrFilter.startsWith('$');
}

/**
 * Only the canonical spelling counts: re-building the topic with the contracts' builder and
 * comparing strings rules out anything the parser might tolerate (there is nothing today, but
 * the ACL must not widen silently if the parser ever becomes more lenient).
 */
function canonicalUplink(topic: string): { deviceId: string } | null {
  const parsed = parseDeviceTopic(topic);
  if (!parsed || !isUplinkChannel(parsed.channel)) return null;
  return deviceTopic(parsed.deviceId, parsed.channel) === topic ? { deviceId: parsed.deviceId } : null;
}

function isJudgmentsTopic(topic: string): boolean {
  const parsed = parseDeviceTopic(topic);
  return parsed !== null && parsed.channel === 'judgments' && deviceTopic(parsed.deviceId, 'judgments') === topic;
}

/** May this identity PUBLISH to this (concrete) topic? Everything not listed is denied. */
export function canPublish(identity: Identity, topic: string): boolean {
  if (isReserved(topic)) return false;
  if (identity.kind === 'device') {
    if (!isValidDeviceId(identity.deviceId)) return false;
    const uplink = canonicalUplink(topic);
    return uplink !== null && uplink.deviceId === identity.deviceId;
  }
  // The service talks down to devices only through judgments (protocol v1 table).
  return isJudgmentsTopic(topic);
}

/** May this identity SUBSCRIBE with this filter? Wildcards are allowed only where listed. */
export function canSubscribe(identity: Identity, filter: string): boolean {
  if (isReserved(filter)) return false;
  if (identity.kind === 'device') {
    // Exact match only: a device filter containing `+` or `#` could see other devices' judgments.
    return isValidDeviceId(identity.deviceId) && filter === deviceTopic(identity.deviceId, 'judgments');
  }
  if (UPLINK_CHANNELS.some((channel) => filter === allDevicesFilter(channel))) return true;
  return canonicalUplink(filter) !== null;
}

/**
 * May a message on this concrete topic be delivered to this identity? Used by authorizeForward
 * as defence in depth: queued messages of a persistent session are replayed without a new
 * SUBSCRIBE, so delivery is re-checked against the same rules as subscription.
 */
export function canReceive(identity: Identity, topic: string): boolean {
  return canSubscribe(identity, topic);
}
