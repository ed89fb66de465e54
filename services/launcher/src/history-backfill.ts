import type pg from 'pg';
import type { Telemetry } from '@airfleet/contracts';
import { generateHistory } from '@airfleet/firmware-sim/model';
import { writeBatch } from '@airfleet/platform';

export interface BackfillDevice {
  id: string;
  modelId: string;
  seed: number;
  utcOffsetMinutes: number;
  ambientC: number;
}

export interface BackfillResult {
  rows: number;
  /** Last sample per device: the live simulator continues from its counters. */
  last: Map<string, Telemetry>;
}

const CHUNK = 5000;

/**
 * Writes `days` of history per device, produced by the same physics model the live
 * simulator runs, through the ingest's own batch writer (same table layout, same
 * device_latest rule). Generation runs here while PostgreSQL writes the previous chunk.
 */
export async function backfillHistory(
  pool: pg.Pool,
  devices: BackfillDevice[],
  opts: { fromMs: number; toMs: number; sampleEveryMs: number },
  onProgress: (done: number, total: number, rows: number) => void,
): Promise<BackfillResult> {
  const last = new Map<string, Telemetry>();
  let rows = 0;
  let write: Promise<unknown> = Promise.resolve();
  const client = await pool.connect();
  try {
    for (const [i, d] of devices.entries()) {
      let chunk: Array<{ deviceId: string; sample: Telemetry }> = [];
      for (const sample of generateHistory({
        modelId: d.modelId,
        seed: d.seed,
        fromMs: opts.fromMs,
        toMs: opts.toMs,
        sampleEveryMs: opts.sampleEveryMs,
        utcOffsetMinutes: d.utcOffsetMinutes,
        ambientC: d.ambientC,
      })) {
        chunk.push({ deviceId: d.id, sample });
        last.set(d.id, sample);
        if (chunk.length >= CHUNK) {
          const batch = chunk;
          chunk = [];
          await write;
          write = writeBatch(client, { telemetry: batch, statuses: [], events: [], acks: [], deadLetters: [] });
          rows += batch.length;
        }
      }
      await write;
      if (chunk.length > 0) {
        write = writeBatch(client, { telemetry: chunk, statuses: [], events: [], acks: [], deadLetters: [] });
        rows += chunk.length;
      }
      await write;
      onProgress(i + 1, devices.length, rows);
    }
  } finally {
    client.release();
  }
  return { rows, last };
}
