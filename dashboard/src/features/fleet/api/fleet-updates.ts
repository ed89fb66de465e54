import type { Device, LiveStatusItem, LiveTelemetryItem } from '@airfleet/contracts';

/** Applies live samples: a device's newest sample replaces its latest values (never an older one). */
export function applyTelemetry(devices: readonly Device[], items: readonly LiveTelemetryItem[]): Device[] {
  const byId = new Map(items.map((i) => [i.deviceId, i]));
  let changed = false;
  const next = devices.map((d) => {
    const item = byId.get(d.id);
    if (!item) return d;
    if (d.latest && Date.parse(d.latest.ts) > item.ts) return d;
    changed = true;
    return {
      ...d,
      // Telemetry only flows from a connected device.
      online: true,
      lastSeenAt: new Date(item.receivedAt).toISOString(),
      latest: { ts: new Date(item.ts).toISOString(), seq: item.seq, state: item.state, metrics: item.metrics },
    };
  });
  return changed ? next : (devices as Device[]);
}

export function applyStatus(devices: readonly Device[], items: readonly LiveStatusItem[]): Device[] {
  const byId = new Map(items.map((i) => [i.deviceId, i]));
  let changed = false;
  const next = devices.map((d) => {
    const item = byId.get(d.id);
    if (!item) return d;
    changed = true;
    // A last will carries no firmware: keep what the birth message said.
    return { ...d, online: item.online, firmware: item.firmware ?? d.firmware, statusAt: new Date(item.at).toISOString() };
  });
  return changed ? next : (devices as Device[]);
}
