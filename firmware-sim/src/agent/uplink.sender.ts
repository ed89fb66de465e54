import { PROTOCOL_LIMITS } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import type { MqttClient } from 'mqtt';
import { SampleQueue } from './sample.queue.ts';
import { decodeOutboxEntry, encodeOutboxEntry, openOutbox, type OutboxKind } from './uplink.outbox.ts';

/** Replay arrays stay below the 64 KiB protocol cap with room for the topic and MQTT header. */
export const DEFAULT_BATCH_MAX_BYTES = 60 * 1024;

export interface UplinkTopics {
  telemetry: string;
  events: string;
  acks: string;
}

export interface UplinkOptions {
  dir: string;
  topics: UplinkTopics;
  log: Logger;
  maxQueueSamples: number;
  maxBatchSamples?: number;
  maxBatchBytes?: number;
}

/**
 * The device's store-and-forward uplink (protocol §7): telemetry samples in one disk queue,
 * events and acks in the outbox, sent over whatever connection is current, one message in
 * flight. The outbox goes first: a trip or an ack should not wait behind days of backlog.
 */
export class UplinkSender {
  readonly counts = { published: 0, acked: 0, events: 0, acks: 0 };
  private readonly o: UplinkOptions;
  private queue: SampleQueue | null = null;
  private outbox: SampleQueue | null = null;
  private client: MqttClient | null = null;
  private sending = false;
  private closed = false;

  constructor(opts: UplinkOptions) {
    this.o = opts;
  }

  async open(): Promise<void> {
    this.queue = await SampleQueue.open({ dir: this.o.dir, maxSamples: this.o.maxQueueSamples, log: this.o.log });
    this.outbox = await openOutbox(this.o.dir, this.o.log);
  }

  /** The connection to send on (set once; mqtt.js reconnects it in place). */
  attach(client: MqttClient): void {
    this.client = client;
  }

  get pendingSamples(): number {
    return this.queue?.size ?? 0;
  }
  get droppedSamples(): number {
    return this.queue?.dropped ?? 0;
  }
  get pendingOutbox(): number {
    return this.outbox?.size ?? 0;
  }

  async appendSample(json: string): Promise<void> {
    if (!this.queue) throw new Error('uplink not open');
    await this.queue.append(json);
    void this.pump();
  }

  /** Appends an event or ack (in call order: the queue serialises appends) and kicks the sender. */
  enqueue(kind: OutboxKind, payload: string): void {
    const outbox = this.outbox;
    if (!outbox) return;
    outbox.append(encodeOutboxEntry({ kind, payload })).then(
      () => void this.pump(),
      (err: unknown) => {
        if (!this.closed) this.o.log.error({ err, kind }, 'outbox append failed');
      },
    );
  }

  /** Stops sending; what is queued stays on disk for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue?.close();
    await this.outbox?.close();
  }

  /**
   * Drains the outbox (one message each) and then the telemetry queue: single samples when
   * caught up, arrays of ≤ maxBatchSamples and ≤ maxBatchBytes after an outage, oldest first.
   * An entry leaves its queue only after its PUBACK; an in-flight message interrupted by a
   * disconnect is resent by mqtt.js on reconnect, so the await simply spans the outage.
   */
  async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    let failed = false;
    try {
      while (!this.closed && this.client?.connected && this.queue && this.outbox) {
        if (this.outbox.size > 0) {
          const head = await this.outbox.peek(1, PROTOCOL_LIMITS.maxPayloadBytes);
          const entry = head.lines[0] === undefined ? null : decodeOutboxEntry(head.lines[0]);
          if (entry) {
            await this.client.publishAsync(entry.kind === 'ack' ? this.o.topics.acks : this.o.topics.events, entry.payload, { qos: 1 });
            if (entry.kind === 'ack') this.counts.acks += 1;
            else this.counts.events += 1;
          }
          await this.outbox.commit(head.end);
          continue;
        }
        if (this.queue.size === 0) break;
        const batch = await this.queue.peek(this.o.maxBatchSamples ?? PROTOCOL_LIMITS.maxBatchSamples, this.o.maxBatchBytes ?? DEFAULT_BATCH_MAX_BYTES);
        if (batch.lines.length === 0) break;
        const payload = batch.lines.length === 1 ? (batch.lines[0] as string) : `[${batch.lines.join(',')}]`;
        await this.client.publishAsync(this.o.topics.telemetry, payload, { qos: 1 });
        await this.queue.commit(batch.end);
        this.counts.published += 1;
        this.counts.acked += batch.lines.length;
      }
    } catch (err) {
      failed = true;
      if (!this.closed) this.o.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'uplink send interrupted');
    } finally {
      this.sending = false;
    }
    // A message queued while the loop was finishing must not wait for the next sample.
    if (!failed && !this.closed && this.client?.connected && this.pendingSamples + this.pendingOutbox > 0) setImmediate(() => void this.pump());
  }
}
