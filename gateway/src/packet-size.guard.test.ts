import { describe, expect, it } from 'vitest';
import { createPacketSizeGuard } from './packet-size.guard.ts';

/** Variable byte integer of MQTT 3.1.1 §2.2.3. */
function remainingLength(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
}

/** A QoS 1 PUBLISH encoded by hand (§3.3), so the guard is checked against the spec, not a library. */
function publish(payloadBytes: number, topic = 'v1/devices/A/telemetry'): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const body = Buffer.concat([Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]), topicBytes, Buffer.from([0, 7]), Buffer.alloc(payloadBytes, 0x61)]);
  return Buffer.concat([Buffer.from([0x32, ...remainingLength(body.length)]), body]);
}

const ping = Buffer.from([0xc0, 0x00]);

/** Remaining Length of a PUBLISH with this topic, QoS 1: topic length prefix + topic + packet id. */
const overhead = 2 + 'v1/devices/A/telemetry'.length + 2;

describe('packet size guard', () => {
  it('accepts a packet whose Remaining Length is exactly the cap', () => {
    const guard = createPacketSizeGuard(1000);
    expect(guard.feed(publish(1000 - overhead))).toBe('ok');
  });

  it('refuses a packet one byte over the cap', () => {
    const guard = createPacketSizeGuard(1000);
    expect(guard.feed(publish(1001 - overhead))).toBe('too_large');
  });

  it('sees the oversize length in the header alone, before the body arrives', () => {
    const guard = createPacketSizeGuard(1000);
    const big = publish(5000);
    expect(guard.feed(big.subarray(0, 3))).toBe('too_large');
  });

  it('follows packet boundaries across arbitrary chunking', () => {
    const stream = Buffer.concat([ping, publish(900), ping, publish(10), publish(2000)]);
    for (const chunkSize of [1, 2, 3, 7, 64, 1024, stream.length]) {
      const guard = createPacketSizeGuard(1000);
      const verdicts: string[] = [];
      for (let i = 0; i < stream.length; i += chunkSize) verdicts.push(guard.feed(stream.subarray(i, i + chunkSize)));
      const firstBad = verdicts.indexOf('too_large');
      // Everything before the 2000-byte packet's length passes; from then on it stays refused.
      // Its Remaining Length (2026) needs two bytes; the second one pushes it over the cap.
      const boundary = ping.length + publish(900).length + ping.length + publish(10).length;
      expect(firstBad, `chunk size ${chunkSize}`).toBe(Math.floor((boundary + 2) / chunkSize));
      expect(verdicts.slice(firstBad).every((v) => v === 'too_large')).toBe(true);
    }
  });

  it('handles many small packets in one chunk', () => {
    const guard = createPacketSizeGuard(64);
    expect(guard.feed(Buffer.concat(Array.from({ length: 100 }, () => ping)))).toBe('ok');
    expect(guard.feed(publish(10))).toBe('ok');
  });

  it('refuses a Remaining Length longer than four bytes (§2.2.3)', () => {
    const guard = createPacketSizeGuard(Number.MAX_SAFE_INTEGER);
    expect(guard.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe('malformed');
  });
});
