import { mkdir, readdir, readFile, rename, rm, truncate, appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@airfleet/runtime';

/**
 * Bounded, disk-backed FIFO of serialized telemetry samples for store-and-forward
 * (docs/protocol.md §7.3). Layout in the device's directory:
 *
 *   seg-000000000001.ndjson   one sample per line, appended; at most `segmentSamples` lines
 *   head.json                 {"segment":N,"line":K}: the first entry not yet acknowledged
 *
 * An entry leaves the queue only when the sender commits the position returned by peek(),
 * i.e. after its PUBACK; a crash before that replays it, and the server deduplicates by
 * (device_id, ts), so at-least-once is safe. Appends are not fsync'ed: a process crash loses
 * nothing (the OS has the bytes), a power cut may lose the last few seconds, as on a real
 * controller's flash buffer. When full, the oldest entries are dropped and counted.
 */
export interface SampleQueueOptions {
  dir: string;
  /** Upper bound on stored entries; beyond it the oldest are dropped. */
  maxSamples: number;
  /** Entries per segment file (default 1000). */
  segmentSamples?: number;
  log?: Logger;
}

export interface QueuePosition {
  segment: number;
  line: number;
}

export interface PeekResult {
  lines: string[];
  /** Serialized size of the lines as one JSON array. */
  bytes: number;
  /** Commit this after the lines are acknowledged. */
  end: QueuePosition;
}

interface Segment {
  id: number;
  count: number;
}

const SEGMENT_RE = /^seg-(\d{12})\.ndjson$/;
const HEAD_FILE = 'head.json';

export class SampleQueue {
  private readonly dir: string;
  private readonly maxSamples: number;
  private readonly segmentSamples: number;
  private readonly log: Logger | undefined;
  private segments: Segment[] = [];
  private head: QueuePosition = { segment: 0, line: 0 };
  private readonly cache = new Map<number, string[]>();
  private chain: Promise<unknown> = Promise.resolve();
  private droppedCount = 0;
  private closed = false;

  private constructor(opts: SampleQueueOptions) {
    this.dir = opts.dir;
    this.maxSamples = Math.max(1, Math.floor(opts.maxSamples));
    this.segmentSamples = Math.max(1, Math.floor(opts.segmentSamples ?? 1000));
    this.log = opts.log;
  }

  static async open(opts: SampleQueueOptions): Promise<SampleQueue> {
    const q = new SampleQueue(opts);
    await q.load();
    return q;
  }

  /** Entries waiting (not yet committed). */
  get size(): number {
    let n = 0;
    for (const s of this.segments) if (s.id >= this.head.segment) n += s.count;
    return n - (this.segments.some((s) => s.id === this.head.segment) ? this.head.line : 0);
  }

  /** Entries dropped because the queue was full, since open. */
  get dropped(): number {
    return this.droppedCount;
  }

  append(line: string): Promise<void> {
    if (line.includes('\n')) return Promise.reject(new Error('queue entries must be single-line'));
    return this.serial(async () => {
      let tail = this.segments.at(-1);
      if (!tail || tail.count >= this.segmentSamples) {
        tail = { id: (tail?.id ?? Math.max(0, this.head.segment - 1)) + 1, count: 0 };
        this.segments.push(tail);
      }
      await appendFile(this.segmentPath(tail.id), `${line}\n`);
      tail.count += 1;
      this.cache.get(tail.id)?.push(line);
      const excess = this.size - this.maxSamples;
      if (excess > 0) await this.dropOldest(excess);
    });
  }

  /**
   * The oldest entries, up to `maxSamples` and `maxBytes` as a JSON array (always at least
   * one entry when not empty). Does not remove them: commit the returned `end` after PUBACK.
   */
  peek(maxSamples: number, maxBytes: number): Promise<PeekResult> {
    return this.serial(async () => {
      const lines: string[] = [];
      let bytes = 2; // the array brackets
      let end = { ...this.head };
      outer: for (const seg of this.segments) {
        if (seg.id < this.head.segment) continue;
        const all = await this.segmentLines(seg.id);
        for (let i = seg.id === this.head.segment ? this.head.line : 0; i < seg.count; i += 1) {
          const line = all[i] as string;
          const size = Buffer.byteLength(line) + (lines.length > 0 ? 1 : 0);
          if (lines.length >= maxSamples || (lines.length > 0 && bytes + size > maxBytes)) break outer;
          lines.push(line);
          bytes += size;
          end = { segment: seg.id, line: i + 1 };
        }
      }
      return { lines, bytes, end };
    });
  }

  /** Removes every entry before `end` (a position from peek). Entries already dropped are skipped. */
  commit(end: QueuePosition): Promise<void> {
    return this.serial(async () => {
      if (comparePositions(end, this.head) <= 0) return;
      this.head = { ...end };
      await this.compact();
      await this.writeHead();
    });
  }

  /** Waits for pending operations; further calls fail. */
  async close(): Promise<void> {
    await this.serial(async () => {
      this.closed = true;
    });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new Error('sample queue closed');
      return op();
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private segmentPath(id: number): string {
    return path.join(this.dir, `seg-${String(id).padStart(12, '0')}.ndjson`);
  }

  private async segmentLines(id: number): Promise<string[]> {
    let lines = this.cache.get(id);
    if (!lines) {
      const text = await readFile(this.segmentPath(id), 'utf8');
      lines = text.split('\n');
      lines.pop(); // text ends with '\n' (load() repaired torn tails)
      this.cache.set(id, lines);
    }
    return lines;
  }

  private async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    try {
      const raw = JSON.parse(await readFile(path.join(this.dir, HEAD_FILE), 'utf8')) as Partial<QueuePosition>;
      if (Number.isInteger(raw.segment) && Number.isInteger(raw.line)) this.head = { segment: raw.segment as number, line: raw.line as number };
    } catch {
      // No head yet (new queue) or unreadable: start from the oldest segment present.
    }
    const ids = (await readdir(this.dir))
      .map((f) => SEGMENT_RE.exec(f)?.[1])
      .filter((m): m is string => m !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const id of ids) {
      if (id < this.head.segment) {
        await rm(this.segmentPath(id), { force: true });
        continue;
      }
      const text = await readFile(this.segmentPath(id), 'utf8');
      const lastNewline = text.lastIndexOf('\n');
      if (lastNewline !== text.length - 1) {
        // A crash mid-append left a torn last line: cut it off, it was never acknowledged to anyone.
        await truncate(this.segmentPath(id), lastNewline + 1);
        this.log?.warn({ segment: id }, 'sample queue: dropped a torn last line');
      }
      const count = lastNewline < 0 ? 0 : text.slice(0, lastNewline).split('\n').length;
      this.segments.push({ id, count });
    }
    const first = this.segments[0];
    if (!first) {
      this.head = { segment: this.head.segment, line: 0 };
    } else if (!this.segments.some((s) => s.id === this.head.segment)) {
      this.head = { segment: first.id, line: 0 };
    } else {
      const seg = this.segments.find((s) => s.id === this.head.segment) as Segment;
      this.head.line = Math.min(this.head.line, seg.count);
    }
    await this.compact();
  }

  /** Deletes fully consumed segments (never the tail, which appends still go to). */
  private async compact(): Promise<void> {
    for (;;) {
      const first = this.segments[0];
      if (!first || this.segments.length === 1) break;
      const consumed = first.id < this.head.segment || (first.id === this.head.segment && this.head.line >= first.count);
      if (!consumed) break;
      this.segments.shift();
      this.cache.delete(first.id);
      await rm(this.segmentPath(first.id), { force: true });
      const next = this.segments[0] as Segment;
      if (comparePositions(this.head, { segment: next.id, line: 0 }) < 0) this.head = { segment: next.id, line: 0 };
    }
  }

  private async dropOldest(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      const seg = this.segments.find((s) => s.id >= this.head.segment);
      if (!seg) break;
      if (seg.id > this.head.segment) this.head = { segment: seg.id, line: 0 };
      const take = Math.min(left, seg.count - this.head.line);
      this.head.line += take;
      left -= take;
      if (this.head.line >= seg.count) {
        const next = this.segments.find((s) => s.id > seg.id);
        if (!next) break;
        this.head = { segment: next.id, line: 0 };
      }
    }
    const dropped = n - left;
    this.droppedCount += dropped;
    // Log the first drop and then every 1000th, not every sample: a long outage must not flood the log.
    if (this.droppedCount === dropped || Math.floor(this.droppedCount / 1000) !== Math.floor((this.droppedCount - dropped) / 1000)) {
      this.log?.warn({ dropped: this.droppedCount, maxSamples: this.maxSamples }, 'sample queue full: dropping oldest samples');
    }
    await this.compact();
    await this.writeHead();
  }

  private async writeHead(): Promise<void> {
    // Write-then-rename, so a crash leaves either the old or the new head, never a torn one.
    const file = path.join(this.dir, HEAD_FILE);
    await writeFile(`${file}.tmp`, JSON.stringify(this.head));
    await rename(`${file}.tmp`, file);
  }
}

export function comparePositions(a: QueuePosition, b: QueuePosition): number {
  return a.segment !== b.segment ? a.segment - b.segment : a.line - b.line;
}
