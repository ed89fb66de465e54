import net from 'node:net';

/**
 * A device connection of the ingest benchmark's load generator: MQTT 3.1.1 over TCP, CONNECT then
 * PUBLISH at QoS 1, counting PUBACKs. It speaks only what the benchmark needs so that the load
 * generator, which shares the machine with the system it measures, spends little CPU per message:
 * mqtt.js, with its stores, timers and per-message objects, cost more CPU per message than the
 * gateway's whole ingest. CONNECT, PUBLISH and PUBACK are the fixed layouts of MQTT 3.1.1 §3.1,
 * §3.3 and §3.4.
 */
export class LeanPublisher {
  private readonly socket: net.Socket;
  private readonly topicHeader: Buffer;
  private nextId = 1;
  private readonly pending = new Map<number, (err?: Error) => void>();
  private rest: Buffer = Buffer.alloc(0);
  private connected = false;

  private constructor(socket: net.Socket, topic: string) {
    this.socket = socket;
    const t = Buffer.from(topic, 'utf8');
    this.topicHeader = Buffer.alloc(2 + t.length);
    this.topicHeader.writeUInt16BE(t.length, 0);
    t.copy(this.topicHeader, 2);
  }

  /** Connects as `clientId` (clean session, no keep-alive) and resolves on CONNACK 0. */
  static connect(url: string, clientId: string, password: string, topic: string): Promise<LeanPublisher> {
    const { hostname, port } = new URL(url);
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
    const p = new LeanPublisher(socket, topic);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => p.onData(chunk, resolve, reject));
      socket.on('close', () => p.failAll(new Error('connection closed')));
      socket.write(connectPacket(clientId, password));
    });
  }

  /** Publishes at QoS 1; `done` runs at the PUBACK (or with an error if the connection closes). */
  publish(payload: string, done: (err?: Error) => void): void {
    const id = this.nextId;
    this.nextId = id === 0xffff ? 1 : id + 1;
    const body = Buffer.byteLength(payload);
    const remaining = this.topicHeader.length + 2 + body;
    const buf = Buffer.allocUnsafe(1 + lengthBytes(remaining) + remaining);
    buf[0] = 0x32; // PUBLISH, QoS 1
    let o = writeLength(buf, 1, remaining);
    o += this.topicHeader.copy(buf, o);
    buf.writeUInt16BE(id, o);
    buf.write(payload, o + 2, 'utf8');
    this.pending.set(id, done);
    this.socket.write(buf);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end(Buffer.from([0xe0, 0x00])); // DISCONNECT
    });
  }

  private onData(chunk: Buffer, resolve: (p: LeanPublisher) => void, reject: (err: Error) => void): void {
    const b = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let o = 0;
    // Every packet the broker sends this client has a one-byte remaining length (CONNACK, PUBACK).
    while (b.length - o >= 2 && b.length - o >= 2 + b[o + 1]!) {
      const type = b[o]! >> 4;
      const len = b[o + 1]!;
      if (type === 2) {
        const rc = b[o + 3]!;
        if (rc === 0) {
          this.connected = true;
          resolve(this);
        } else reject(new Error(`CONNACK ${rc}`));
      } else if (type === 4) {
        const id = b.readUInt16BE(o + 2);
        const done = this.pending.get(id);
        this.pending.delete(id);
        done?.();
      }
      o += 2 + len;
    }
    this.rest = o === b.length ? Buffer.alloc(0) : b.subarray(o);
    if (!this.connected && this.rest.length > 64) reject(new Error('unexpected reply to CONNECT'));
  }

  private failAll(err: Error): void {
    for (const done of this.pending.values()) done(err);
    this.pending.clear();
  }
}

const lengthBytes = (n: number): number => (n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4);

/** The remaining-length varint (§2.2.3) at `at`; returns the offset after it. */
function writeLength(buf: Buffer, at: number, n: number): number {
  let o = at;
  let x = n;
  do {
    let byte = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) byte |= 0x80;
    buf[o++] = byte;
  } while (x > 0);
  return o;
}

/** CONNECT, MQTT 3.1.1, clean session, keep-alive off, user name and password (§3.1). */
function connectPacket(clientId: string, password: string): Buffer {
  const str = (s: string): Buffer => {
    const b = Buffer.from(s, 'utf8');
    const out = Buffer.alloc(2 + b.length);
    out.writeUInt16BE(b.length, 0);
    b.copy(out, 2);
    return out;
  };
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0xc2, 0x00, 0x00]); // "MQTT", level 4, user+password+clean, keep-alive 0
  const body = Buffer.concat([variable, str(clientId), str(clientId), str(password)]);
  const head = Buffer.alloc(1 + lengthBytes(body.length));
  head[0] = 0x10;
  writeLength(head, 1, body.length);
  return Buffer.concat([head, body]);
}
