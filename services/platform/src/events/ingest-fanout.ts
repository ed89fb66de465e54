import type { Telemetry } from '@airfleet/contracts';
import type { BatchResult, IngestBatch } from '../ingest/ingest-store.repository.ts';
import type { PlatformEvents } from './platform-events.ts';

/** Turns a committed ingest batch into platform events (ingest's afterCommit hook). */
export function ingestFanout(events: PlatformEvents): (batch: IngestBatch, result: BatchResult) => void {
  return (batch) => {
    if (batch.telemetry.length > 0) {
      const newest = new Map<string, Telemetry>();
      for (const { deviceId, sample } of batch.telemetry) {
        const cur = newest.get(deviceId);
        if (!cur || cur.ts < sample.ts) newest.set(deviceId, sample);
      }
      events.emit('telemetry', [...newest].map(([deviceId, sample]) => ({ deviceId, sample })));
    }
    for (const s of batch.statuses) events.emit('status', s);
    for (const e of batch.events) events.emit('deviceEvent', e);
    for (const a of batch.acks) events.emit('ack', a);
  };
}
