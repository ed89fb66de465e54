import { describe, expect, it } from 'vitest';
import type { LiveServerMessage, LiveTelemetryItem } from '@airfleet/contracts';
import { createLiveConnection, type LiveLimits, type LiveSocket } from './live-connection.ts';

/** A socket whose unsent bytes grow with every send until the test "drains" it. */
function fakeSocket() {
  const sent: LiveServerMessage[] = [];
  const socket = {
    buffered: 0,
    terminated: false,
    closed: null as null | { code: number; reason: string },
    get bufferedAmount() {
      return this.buffered;
    },
    send(data: string) {
      sent.push(JSON.parse(data) as LiveServerMessage);
      this.buffered += data.length;
    },
    close(code: number, reason: string) {
      this.closed = { code, reason };
    },
    terminate() {
      this.terminated = true;
    },
  };
  return { socket: socket satisfies LiveSocket, sent };
}

const LIMITS: LiveLimits = { flushIntervalMs: 100, highWaterBytes: 10_000, dropAfterMs: 1000, maxItemsPerFrame: 10, maxQueuedBytes: 2000 };

const sample = (deviceId: string, seq: number, ts = 1_700_000_000_000 + seq): LiveTelemetryItem => ({
  deviceId,
  ts,
  seq,
  state: 'loaded',
  metrics: { pressureBar: 7 + seq / 1000 },
  receivedAt: ts,
});
const telemetryItems = (sent: LiveServerMessage[]) => sent.flatMap((m) => (m.type === 'telemetry' ? m.items : []));

describe('live connection: coalescing and backpressure', () => {
  it('sends only the newest sample per device per flush (a burst is sampled, not queued)', () => {
    const { socket, sent } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    for (let i = 0; i < 100; i++) c.offerTelemetry([sample('A', i), sample('B', i)]);
    expect(c.flush(0)).toBe('sent');
    expect(telemetryItems(sent).map((i) => [i.deviceId, i.seq])).toEqual([
      ['A', 99],
      ['B', 99],
    ]);
    expect(c.stats.coalesced).toBe(198);
    expect(c.flush(100)).toBe('idle');
  });

  it('ignores a sample older than the pending one (a replay committed late)', () => {
    const { socket, sent } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    c.offerTelemetry([sample('A', 5)]);
    c.offerTelemetry([sample('A', 4)]);
    c.flush(0);
    expect(telemetryItems(sent).map((i) => i.seq)).toEqual([5]);
  });

  it('splits large flushes into frames of at most maxItemsPerFrame items', () => {
    const { socket, sent } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    c.offerTelemetry(Array.from({ length: 25 }, (_, i) => sample(`D${i}`, 1)));
    c.flush(0);
    expect(sent.map((m) => (m.type === 'telemetry' ? m.items.length : -1))).toEqual([10, 10, 5]);
  });

  it('holds while the socket is over the high-water mark, keeping one value per device, then sends the newest', () => {
    const { socket, sent } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    socket.buffered = LIMITS.highWaterBytes + 1;
    for (let i = 0; i < 1000; i++) {
      c.offerTelemetry([sample('A', i)]);
      expect(c.flush(i)).toBe('held');
    }
    expect(sent).toEqual([]);
    expect(c.pendingItems).toBe(1);
    socket.buffered = 0; // the client read its backlog
    expect(c.flush(999)).toBe('sent');
    expect(telemetryItems(sent).map((i) => i.seq)).toEqual([999]);
  });

  it('stops writing mid-flush when the buffer fills: unsent bytes stay below high water + one frame', () => {
    const { socket, sent } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    c.offerTelemetry(Array.from({ length: 500 }, (_, i) => sample(`D${i}`, 1)));
    c.flush(0);
    const frameBytes = Math.max(...sent.map((m) => JSON.stringify(m).length));
    expect(socket.buffered).toBeGreaterThan(LIMITS.highWaterBytes);
    expect(c.stats.maxBufferedBytes).toBeLessThanOrEqual(LIMITS.highWaterBytes + frameBytes);
    expect(telemetryItems(sent).length).toBeLessThan(500);
    expect(c.pendingItems).toBe(500 - telemetryItems(sent).length);
  });

  it('drops a client that stays over the high-water mark for dropAfterMs (terminate, no close handshake)', () => {
    const { socket } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    socket.buffered = LIMITS.highWaterBytes + 1;
    expect(c.flush(0)).toBe('held');
    expect(c.flush(999)).toBe('held');
    expect(socket.terminated).toBe(false);
    expect(c.flush(1000)).toBe('dropped');
    expect(socket.terminated).toBe(true);
    expect(c.closed).toBe(true);
  });

  it('a client that catches up in time is not dropped (the timer restarts)', () => {
    const { socket } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    socket.buffered = LIMITS.highWaterBytes + 1;
    c.flush(0);
    socket.buffered = 0;
    c.flush(900);
    socket.buffered = LIMITS.highWaterBytes + 1;
    expect(c.flush(1500)).toBe('held');
    expect(c.flush(2400)).toBe('held');
    expect(socket.terminated).toBe(false);
  });

  it('bounds queued events: on overflow they are dropped and one resync is sent', () => {
    const { socket, sent } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    socket.buffered = LIMITS.highWaterBytes + 1;
    for (let i = 0; i < 100; i++) c.offerMessage({ type: 'event', deviceId: 'A', event: { ts: 1_700_000_000_000 + i, type: 'warning', code: 'X' } });
    expect(c.pendingItems).toBeLessThan(100);
    expect(c.stats.messagesDropped).toBeGreaterThan(0);
    socket.buffered = 0;
    c.flush(1);
    expect(sent[0]).toEqual({ type: 'resync', reason: 'overflow' });
    expect(sent.filter((m) => m.type === 'event')).toEqual([]);
    // After the resync, events flow again.
    c.offerMessage({ type: 'event', deviceId: 'A', event: { ts: 1_700_000_001_000, type: 'trip', code: 'Y' } });
    c.flush(2);
    expect(sent.at(-1)).toMatchObject({ type: 'event', event: { code: 'Y' } });
  });

  it('narrows telemetry and status to the subscribed devices', () => {
    const { socket, sent } = fakeSocket();
    const c = createLiveConnection(socket, LIMITS);
    c.offerTelemetry([sample('A', 1), sample('B', 1)]);
    c.setInterest(['B']);
    c.offerTelemetry([sample('A', 2)]);
    c.offerStatus({ deviceId: 'A', online: false, firmware: null, at: 1 });
    c.flush(0);
    expect(telemetryItems(sent).map((i) => i.deviceId)).toEqual(['B']);
    expect(sent.some((m) => m.type === 'status')).toBe(false);
  });
});
