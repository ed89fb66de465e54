import { EventEmitter } from 'node:events';
import type { PlatformEvent, PlatformEventMap as OutboxEventMap, Telemetry } from '@airfleet/contracts';

/**
 * The outbox's events by name, except telemetry: the outbox says which devices changed, and a
 * relay with telemetry listeners hands them the newest samples of those devices.
 */
export type PlatformEventMap = Omit<OutboxEventMap, 'telemetry'> & { telemetry: Array<{ deviceId: string; sample: Telemetry }> };

/**
 * Typed events of `@airfleet/contracts` (PlatformEvent). `emit` hands an event to its
 * producer side (in a deployment: the outbox, so every instance learns it); `on` listens to
 * what a relay delivers in this process. Both sides carry committed changes only.
 */
export interface PlatformEvents {
  emit<K extends keyof PlatformEventMap>(name: K, payload: PlatformEventMap[K]): void;
  on<K extends keyof PlatformEventMap>(name: K, listener: (payload: PlatformEventMap[K]) => void): () => void;
  /** How many listeners an event has (the live channel reads values only when someone watches). */
  listeners(name: keyof PlatformEventMap): number;
}

/** In-process bus: what `emit` is given, `on` hears at once. Relays and tests use it as the local side. */
export function createPlatformEvents(): PlatformEvents {
  const emitter = new EventEmitter();
  // Many WebSocket connections listen at once; the default cap of 10 would warn spuriously.
  emitter.setMaxListeners(0);
  return {
    emit(name, payload) {
      emitter.emit(name, payload);
    },
    on(name, listener) {
      emitter.on(name, listener as (p: unknown) => void);
      return () => emitter.off(name, listener as (p: unknown) => void);
    },
    listeners: (name) => emitter.listenerCount(name),
  };
}

export type LatestSamples = (deviceIds: readonly string[]) => Promise<PlatformEventMap['telemetry']>;

/**
 * Delivers outbox events to a local bus, in order. Telemetry ids become samples only when
 * somebody listens (the live channel subscribes while it has viewers).
 */
export async function emitAll(bus: PlatformEvents, events: readonly PlatformEvent[], latest?: LatestSamples): Promise<void> {
  for (const e of events) {
    if (e.name === 'telemetry') {
      if (latest && bus.listeners('telemetry') > 0 && e.payload.deviceIds.length > 0) bus.emit('telemetry', await latest(e.payload.deviceIds));
      continue;
    }
    (bus.emit as (n: string, p: unknown) => void)(e.name, e.payload);
  }
}
