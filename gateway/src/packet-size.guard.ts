/**
 * Transport-level packet size cap. Aedes' MQTT parser (mqtt-packet) has no size limit and will
 * buffer a packet of up to the protocol maximum of 256 MiB (MQTT 3.1.1 §2.2.3) before anything
 * can inspect it. This guard follows the byte stream and reads only the fixed header of each
 * control packet, so an oversize packet is detected as soon as its Remaining Length arrives,
 * before its body is buffered.
 *
 * The cap applies to the Remaining Length (variable header + payload). It is deliberately well
 * above the protocol v1 payload limit (64 KiB): payloads between the two reach the platform's
 * ingest, which dead-letters them with a reason instead of the device seeing a bare disconnect.
 */
export type FrameVerdict = 'ok' | 'too_large' | 'malformed';

export interface PacketSizeGuard {
  /** Feeds the next chunk read from the socket; the first non-'ok' verdict is sticky. */
  feed(chunk: Uint8Array): FrameVerdict;
}

export function createPacketSizeGuard(maxRemainingLength: number): PacketSizeGuard {
  // 'type': expecting the first byte of a fixed header; 'length': inside the Remaining Length
  // variable byte integer; 'body': skipping the rest of the current packet.
  let state: 'type' | 'length' | 'body' = 'type';
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;
  let bodyLeft = 0;
  let verdict: FrameVerdict = 'ok';

  function feed(chunk: Uint8Array): FrameVerdict {
    let i = 0;
    while (verdict === 'ok' && i < chunk.length) {
      if (state === 'body') {
        const skip = Math.min(bodyLeft, chunk.length - i);
        bodyLeft -= skip;
        i += skip;
        if (bodyLeft === 0) state = 'type';
        continue;
      }
      const byte = chunk[i++] as number;
      if (state === 'type') {
        state = 'length';
        length = 0;
        multiplier = 1;
        lengthBytes = 0;
        continue;
      }
      // Remaining Length: 7 bits per byte, continuation in the high bit, at most 4 bytes (§2.2.3).
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      lengthBytes += 1;
      if (length > maxRemainingLength) {
        verdict = 'too_large';
      } else if (byte & 0x80) {
        if (lengthBytes === 4) verdict = 'malformed';
      } else if (length === 0) {
        state = 'type';
      } else {
        state = 'body';
        bodyLeft = length;
      }
    }
    return verdict;
  }

  return { feed };
}
