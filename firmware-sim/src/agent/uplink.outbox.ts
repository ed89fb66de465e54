import { SampleQueue } from './sample.queue.ts';
import type { Logger } from '@airfleet/runtime';
import path from 'node:path';

/**
 * Events and acks waiting for their PUBACK (protocol §7.3: "Events and acks should be queued
 * the same way, one message each"). Same disk-backed queue as telemetry, in an `outbox/`
 * folder next to it, so a trip raised while the platform is unreachable, or an ack whose
 * PUBACK was lost, survives a reconnect and a restart. Duplicates after a replay are harmless:
 * the platform deduplicates events on (device, ts, type, code) and acks on (device, judgmentId, ts).
 */
export type OutboxKind = 'event' | 'ack';

export interface OutboxEntry {
  kind: OutboxKind;
  payload: string;
}

// One character of kind, a separator, then the JSON payload (which JSON keeps free of newlines).
const PREFIX: Record<OutboxKind, string> = { event: 'E|', ack: 'A|' };

export function encodeOutboxEntry(entry: OutboxEntry): string {
  return `${PREFIX[entry.kind]}${entry.payload}`;
}

export function decodeOutboxEntry(line: string): OutboxEntry | null {
  if (line.startsWith(PREFIX.event)) return { kind: 'event', payload: line.slice(2) };
  if (line.startsWith(PREFIX.ack)) return { kind: 'ack', payload: line.slice(2) };
  return null;
}

/** Bound: far more than a device raises in the 7-day horizon; beyond it the oldest go. */
export const OUTBOX_MAX_ENTRIES = 20_000;

export function openOutbox(deviceDir: string, log: Logger): Promise<SampleQueue> {
  return SampleQueue.open({ dir: path.join(deviceDir, 'outbox'), maxSamples: OUTBOX_MAX_ENTRIES, segmentSamples: 500, log });
}
