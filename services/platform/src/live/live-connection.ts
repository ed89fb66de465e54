import { LIVE_CLOSE_CODES, type LiveServerMessage, type LiveStatusItem, type LiveTelemetryItem } from '@airfleet/contracts';

/** The part of a `ws` WebSocket a connection needs (tests pass a fake). */
export interface LiveSocket {
  send(data: string): void;
  /** Bytes accepted by send() but not yet written to the kernel. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
  terminate(): void;
}

export interface LiveLimits {
  /** Flush period of coalesced state. */
  flushIntervalMs: number;
  /** Above this many unsent bytes nothing more is queued for the socket. */
  highWaterBytes: number;
  /** A client that stays above the high-water mark this long is disconnected. */
  dropAfterMs: number;
  /** Telemetry/status items per frame, which bounds one frame's size. */
  maxItemsPerFrame: number;
  /** Bytes of queued events/domain messages before they are dropped for a `resync`. */
  maxQueuedBytes: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  flushIntervalMs: 250,
  highWaterBytes: 1024 * 1024,
  dropAfterMs: 15_000,
  maxItemsPerFrame: 250,
  maxQueuedBytes: 256 * 1024,
};

export type FlushOutcome = 'idle' | 'sent' | 'held' | 'dropped';

export interface LiveConnectionStats {
  /** Highest bufferedAmount seen right after a send. */
  maxBufferedBytes: number;
  framesSent: number;
  /** Samples replaced by a newer one before they were sent (the "sampling" of a slow client). */
  coalesced: number;
  /** Queued messages discarded because the client fell behind. */
  messagesDropped: number;
}

/**
 * One browser tab's view of the live stream. Telemetry and status are state, kept as the
 * newest value per device: memory is bounded by the number of devices the user may see,
 * however slow the client. Events and domain messages are a byte-bounded queue. Nothing is
 * written while the socket holds more than `highWaterBytes`, so the socket's own buffer is
 * bounded by that plus one frame.
 */
export function createLiveConnection(socket: LiveSocket, limits: LiveLimits) {
  const telemetry = new Map<string, LiveTelemetryItem>();
  const status = new Map<string, LiveStatusItem>();
  let queue: string[] = [];
  let queuedBytes = 0;
  let overflowed = false;
  let interest: Set<string> | null = null;
  let slowSince: number | null = null;
  let closed = false;
  const stats: LiveConnectionStats = { maxBufferedBytes: 0, framesSent: 0, coalesced: 0, messagesDropped: 0 };

  const send = (message: LiveServerMessage | string): void => {
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    stats.framesSent += 1;
    stats.maxBufferedBytes = Math.max(stats.maxBufferedBytes, socket.bufferedAmount);
  };
  const roomLeft = (): boolean => socket.bufferedAmount <= limits.highWaterBytes;

  const takeItems = <T>(map: Map<string, T>): T[] => {
    const items: T[] = [];
    for (const [key, item] of map) {
      items.push(item);
      map.delete(key);
      if (items.length >= limits.maxItemsPerFrame) break;
    }
    return items;
  };

  return {
    stats,
    get closed(): boolean {
      return closed;
    },
    /** Items must already be filtered to what this user may see. */
    offerTelemetry(items: readonly LiveTelemetryItem[]): void {
      for (const item of items) {
        if (interest && !interest.has(item.deviceId)) continue;
        const current = telemetry.get(item.deviceId);
        // Replays can commit after newer live samples: never move a device backwards.
        if (current && current.ts > item.ts) continue;
        if (current) stats.coalesced += 1;
        telemetry.set(item.deviceId, item);
      }
    },
    offerStatus(item: LiveStatusItem): void {
      if (interest && !interest.has(item.deviceId)) return;
      status.set(item.deviceId, item);
    },
    offerMessage(message: LiveServerMessage): void {
      if (overflowed) {
        stats.messagesDropped += 1;
        return;
      }
      const text = JSON.stringify(message);
      if (queuedBytes + text.length > limits.maxQueuedBytes) {
        stats.messagesDropped += queue.length + 1;
        queue = [];
        queuedBytes = 0;
        overflowed = true;
        return;
      }
      queue.push(text);
      queuedBytes += text.length;
    },
    /** null = every visible device. Pending state of devices no longer of interest is dropped. */
    setInterest(deviceIds: readonly string[] | null): void {
      interest = deviceIds ? new Set(deviceIds) : null;
      if (!interest) return;
      for (const id of telemetry.keys()) if (!interest.has(id)) telemetry.delete(id);
      for (const id of status.keys()) if (!interest.has(id)) status.delete(id);
    },
    sendNow(message: LiveServerMessage): void {
      if (!closed) send(message);
    },
    flush(now: number): FlushOutcome {
      if (closed) return 'dropped';
      if (!roomLeft()) {
        slowSince ??= now;
        if (now - slowSince >= limits.dropAfterMs) {
          closed = true;
          // terminate(), not close(): a close frame would queue behind the unread backlog.
          socket.terminate();
          return 'dropped';
        }
        return 'held';
      }
      slowSince = null;
      let sent = false;
      if (overflowed) {
        send({ type: 'resync', reason: 'overflow' });
        overflowed = false;
        sent = true;
      }
      while (queue.length > 0 && roomLeft()) {
        const text = queue.shift()!;
        queuedBytes -= text.length;
        send(text);
        sent = true;
      }
      while (status.size > 0 && roomLeft()) {
        send({ type: 'status', items: takeItems(status) });
        sent = true;
      }
      while (telemetry.size > 0 && roomLeft()) {
        send({ type: 'telemetry', items: takeItems(telemetry) });
        sent = true;
      }
      return sent ? 'sent' : 'idle';
    },
    close(code: number = LIVE_CLOSE_CODES.goingAway, reason = ''): void {
      if (closed) return;
      closed = true;
      socket.close(code, reason);
    },
    markClosed(): void {
      closed = true;
    },
    /** Items waiting to be sent (tests and metrics). */
    get pendingItems(): number {
      return telemetry.size + status.size + queue.length;
    },
  };
}
export type LiveConnection = ReturnType<typeof createLiveConnection>;
