import { EventEmitter } from 'node:events';
import type { DeviceEvent, DeviceStatus, JudgmentAck, Telemetry } from '@airfleet/contracts';

/**
 * In-process fan-out of what the platform just committed: the live WebSocket channel,
 * the rules engine's follow-ups and other listeners subscribe here. Events are emitted
 * only after the data is durable, so a listener never shows what could still roll back.
 */
export interface PlatformEventMap {
  /** Newest committed sample per device of one ingest batch (replays included). */
  telemetry: Array<{ deviceId: string; sample: Telemetry }>;
  status: { deviceId: string; status: DeviceStatus; receivedAtMs: number };
  deviceEvent: { deviceId: string; event: DeviceEvent };
  ack: { deviceId: string; ack: JudgmentAck };
  /** Free-form domain notifications added by later features (alarms, judgments, work orders). */
  domain: { type: string; deviceId?: string; customerId?: string; payload: unknown };
}

export interface PlatformEvents {
  emit<K extends keyof PlatformEventMap>(name: K, payload: PlatformEventMap[K]): void;
  on<K extends keyof PlatformEventMap>(name: K, listener: (payload: PlatformEventMap[K]) => void): () => void;
}

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
  };
}
