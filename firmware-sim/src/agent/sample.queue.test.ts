import { mkdtemp, readdir, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SampleQueue } from './sample.queue.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airfleet-queue-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (i: number): string => JSON.stringify({ ts: 1_763_800_000_000 + i * 1000, seq: i });
const seqs = (lines: string[]): number[] => lines.map((l) => (JSON.parse(l) as { seq: number }).seq);

async function fill(q: SampleQueue, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i += 1) await q.append(entry(i));
}

describe('SampleQueue', () => {
  it('is FIFO across segment files and deletes segments once acknowledged', async () => {
    const q = await SampleQueue.open({ dir, maxSamples: 100, segmentSamples: 3 });
    await fill(q, 1, 8);
    expect(q.size).toBe(8);
    expect((await readdir(dir)).filter((f) => f.endsWith('.ndjson'))).toHaveLength(3);
    const a = await q.peek(5, 1 << 20);
    expect(seqs(a.lines)).toEqual([1, 2, 3, 4, 5]);
    // peek does not remove
    expect(seqs((await q.peek(5, 1 << 20)).lines)).toEqual([1, 2, 3, 4, 5]);
    await q.commit(a.end);
    expect(q.size).toBe(3);
    expect(seqs((await q.peek(10, 1 << 20)).lines)).toEqual([6, 7, 8]);
    // The first segment (1..3) is gone; the second still holds 6.
    expect((await readdir(dir)).filter((f) => f.endsWith('.ndjson'))).toHaveLength(2);
  });

  it('limits a batch by count and by serialized array size, always returning at least one', async () => {
    const q = await SampleQueue.open({ dir, maxSamples: 100 });
    await fill(q, 1, 20);
    const size = Buffer.byteLength(entry(1));
    const byBytes = await q.peek(500, 2 + 3 * size + 2); // room for 3 entries and 2 commas
    expect(byBytes.lines).toHaveLength(3);
    expect(byBytes.bytes).toBe(Buffer.byteLength(`[${byBytes.lines.join(',')}]`));
    expect((await q.peek(4, 1 << 20)).lines).toHaveLength(4);
    expect((await q.peek(500, 10)).lines).toHaveLength(1);
  });

  it('survives a restart: a reopened queue continues at the committed head', async () => {
    const q = await SampleQueue.open({ dir, maxSamples: 100, segmentSamples: 4 });
    await fill(q, 1, 10);
    await q.commit((await q.peek(6, 1 << 20)).end);
    await q.close();
    await expect(q.append(entry(99))).rejects.toThrow(/closed/);
    const again = await SampleQueue.open({ dir, maxSamples: 100, segmentSamples: 4 });
    expect(again.size).toBe(4);
    await fill(again, 11, 12);
    expect(seqs((await again.peek(100, 1 << 20)).lines)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('is bounded: when full it drops the oldest and counts them', async () => {
    const q = await SampleQueue.open({ dir, maxSamples: 5, segmentSamples: 2 });
    await fill(q, 1, 8);
    expect(q.size).toBe(5);
    expect(q.dropped).toBe(3);
    expect(seqs((await q.peek(100, 1 << 20)).lines)).toEqual([4, 5, 6, 7, 8]);
    // Bounded on disk too: consumed segments were deleted.
    expect((await readdir(dir)).filter((f) => f.endsWith('.ndjson')).length).toBeLessThanOrEqual(4);
  });

  it('a commit after the entries were dropped meanwhile skips nothing that is still queued', async () => {
    const q = await SampleQueue.open({ dir, maxSamples: 4, segmentSamples: 2 });
    await fill(q, 1, 4);
    const inFlight = await q.peek(2, 1 << 20); // 1, 2
    await fill(q, 5, 7); // drops 1, 2, 3
    await q.commit(inFlight.end);
    expect(seqs((await q.peek(100, 1 << 20)).lines)).toEqual([4, 5, 6, 7]);
  });

  it('repairs a torn last line left by a crash mid-append', async () => {
    const q = await SampleQueue.open({ dir, maxSamples: 100 });
    await fill(q, 1, 3);
    await q.close();
    const seg = (await readdir(dir)).find((f) => f.endsWith('.ndjson')) as string;
    await appendFile(path.join(dir, seg), '{"ts":17638000');
    const again = await SampleQueue.open({ dir, maxSamples: 100 });
    expect(again.size).toBe(3);
    await fill(again, 4, 4);
    expect(seqs((await again.peek(100, 1 << 20)).lines)).toEqual([1, 2, 3, 4]);
    expect((await readFile(path.join(dir, seg), 'utf8')).endsWith('\n')).toBe(true);
  });
});
