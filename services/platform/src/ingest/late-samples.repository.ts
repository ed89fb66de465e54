import type pg from 'pg';

/**
 * Samples written later than this after their own timestamp are LATE (store-and-forward replays,
 * backfills): the batch writer records them so that what was rolled up from their time (usage
 * days, history buckets) is recomputed. Live samples are younger and cost the ingest nothing.
 * 15 minutes is far beyond the ingest's own delay, even in overload (seconds), and keeps the
 * unsettled tail that history reads raw short.
 */
export const LATE_SAMPLE_AGE_MS = 15 * 60_000;
/**
 * Rolled-up figures are stored only when every sample they depend on is older than this, so any
 * later change to them is a LATE sample by the rule above; the extra 10 minutes absorb a slow
 * ingest transaction that was stamped before a rollup read its snapshot.
 */
export const SETTLED_AGE_MS = LATE_SAMPLE_AGE_MS + 10 * 60_000;

/**
 * Inside the batch writer's transaction: records late samples per device (min/max ts) for both
 * consumers, the usage rollup and the history rollup, in one statement. Atomic with the samples,
 * so a rollup sees both or neither.
 */
export async function markLateTelemetry(client: pg.ClientBase, rows: ReadonlyArray<{ deviceId: string; sample: { ts: number } }>, nowMs: number): Promise<void> {
  const span = new Map<string, [number, number]>();
  for (const { deviceId, sample } of rows) {
    if (sample.ts > nowMs - LATE_SAMPLE_AGE_MS) continue;
    const s = span.get(deviceId);
    if (!s) span.set(deviceId, [sample.ts, sample.ts]);
    else {
      if (sample.ts < s[0]) s[0] = sample.ts;
      if (sample.ts > s[1]) s[1] = sample.ts;
    }
  }
  if (span.size === 0) return;
  const ids = [...span.keys()];
  await client.query(
    `WITH u AS (SELECT id, to_timestamp(lo / 1000.0) AS lo, to_timestamp(hi / 1000.0) AS hi
                  FROM unnest($1::text[], $2::float8[], $3::float8[]) AS u(id, lo, hi)),
          usage AS (INSERT INTO usage_rollup_dirty (device_id, ts_lo, ts_hi) SELECT id, lo, hi FROM u)
     INSERT INTO telemetry_rollup_dirty (device_id, ts_lo, ts_hi) SELECT id, lo, hi FROM u`,
    [ids, ids.map((id) => span.get(id)![0]), ids.map((id) => span.get(id)![1])],
  );
}
