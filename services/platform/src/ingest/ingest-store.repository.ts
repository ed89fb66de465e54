import type pg from 'pg';
import { METRIC_KEYS, splitMetrics, type DeviceEvent, type DeviceStatus, type JudgmentAck, type Telemetry } from '@airfleet/contracts';
import { METRIC_COLUMNS, METRIC_SQL_TYPES } from '../db/metric-columns.ts';
import { markLateTelemetry } from './late-samples.repository.ts';
import type { DeadLetterTally } from '../retention/dead-letter-sampling.domain.ts';
import type { DeadLetterDraft } from './uplink-parse.domain.ts';

export interface TelemetryRow {
  deviceId: string;
  sample: Telemetry;
}

export interface IngestBatch {
  telemetry: TelemetryRow[];
  statuses: Array<{ deviceId: string; status: DeviceStatus; receivedAtMs: number }>;
  events: Array<{ deviceId: string; event: DeviceEvent }>;
  acks: Array<{ deviceId: string; ack: JudgmentAck }>;
  deadLetters: DeadLetterDraft[];
  /** What the batch adds to dead_letter_counts (stored and only-counted dead letters), when the ingest samples them. */
  deadLetterTallies?: DeadLetterTally[];
}

export interface BatchResult {
  inserted: number;
  duplicates: number;
  /** The telemetry rows this batch actually added (not duplicates), in batch order. */
  insertedRows: TelemetryRow[];
}

/**
 * Work that must commit atomically with the batch (e.g. rule state and alarms): it sees
 * only the newly inserted samples, so a redelivered message is never evaluated twice.
 */
export type InTransactionHook = (client: pg.ClientBase, batch: IngestBatch, insertedRows: TelemetryRow[]) => Promise<void>;

// One INSERT … SELECT per table and batch (the telemetry one as part of a WITH): a single round
// trip and plan regardless of batch size. The hot statements take the batch as ONE JSON document
// (json_to_recordset): JSON.stringify is native and cheap, while pg's array-literal encoding
// of a dozen arrays (and the escaping of JSON inside them) cost the gateway more CPU than the
// database spent on the insert. Each row is flat: the sample's metrics under their own
// (camelCase) keys, typed by the record definition, so PostgreSQL parses every value once; the
// fixed fields have `_` names no metric key can take. The column list is built from constants only.
const TELEMETRY_INSERT_CTES = (() => {
  const metricCols = METRIC_KEYS.map((k) => METRIC_COLUMNS[k]);
  const recordCols = METRIC_KEYS.map((k) => `"${k}" ${METRIC_SQL_TYPES[k].replace('[]', '')}`);
  return `
    u AS MATERIALIZED (
      SELECT * FROM json_to_recordset($1::json) AS u(_d text, _t float8, _s int8, _st text, ${recordCols.join(', ')}, _x jsonb, _o int)),
    ins AS (
      INSERT INTO telemetry (device_id, ts, seq, state, ${metricCols.join(', ')}, extras)
      SELECT u._d, to_timestamp(u._t / 1000.0), u._s, u._st, ${METRIC_KEYS.map((k) => `u."${k}"`).join(', ')}, u._x FROM u
      ON CONFLICT (device_id, ts) DO NOTHING
      RETURNING device_id, ts)
    SELECT (SELECT count(*) FROM ins)::int AS inserted,
           ARRAY(SELECT u._o FROM u WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.device_id = u._d AND ins.ts = to_timestamp(u._t / 1000.0)))::int[] AS duplicates`;
})();

/**
 * Newest sample per device wins; an older (replayed) sample never overwrites device_latest.
 * It rides along the telemetry insert as a data-modifying CTE (the two touch different tables):
 * one round trip instead of two.
 */
const TELEMETRY_AND_LATEST = `
  WITH latest AS (
    INSERT INTO device_latest (device_id, ts, seq, state, metrics, received_at)
    SELECT u.d, to_timestamp(u.t / 1000.0), u.s, u.st, u.m, now()
    FROM json_to_recordset($2::json) AS u(d text, t float8, s int8, st text, m json)
    ON CONFLICT (device_id) DO UPDATE
      SET ts = EXCLUDED.ts, seq = EXCLUDED.seq, state = EXCLUDED.state, metrics = EXCLUDED.metrics, received_at = EXCLUDED.received_at
      WHERE device_latest.ts < EXCLUDED.ts),
  ${TELEMETRY_INSERT_CTES}`;

/** One telemetry row of the insert's JSON document (see TELEMETRY_INSERT_CTES). */
function telemetryRow(deviceId: string, sample: Telemetry, position: number): Record<string, unknown> {
  const { known, extras } = splitMetrics(sample.metrics);
  return { _d: deviceId, _t: sample.ts, _s: sample.seq, _st: sample.state, ...known, _x: Object.keys(extras).length > 0 ? extras : null, _o: position };
}

const STATUS_UPSERT = `
  INSERT INTO device_status (device_id, online, firmware, model, telemetry_interval_ms, payload, device_ts, updated_at)
  SELECT device_id, online, firmware, model, interval_ms, payload, to_timestamp(device_ts_ms / 1000.0), to_timestamp(received_ms / 1000.0)
  FROM unnest($1::text[], $2::bool[], $3::text[], $4::text[], $5::int4[], $6::jsonb[], $7::float8[], $8::float8[])
    AS u(device_id, online, firmware, model, interval_ms, payload, device_ts_ms, received_ms)
  ON CONFLICT (device_id) DO UPDATE SET
    online = EXCLUDED.online,
    -- The last will carries only {"online":false}: keep what the birth told us.
    firmware = COALESCE(EXCLUDED.firmware, device_status.firmware),
    model = COALESCE(EXCLUDED.model, device_status.model),
    telemetry_interval_ms = COALESCE(EXCLUDED.telemetry_interval_ms, device_status.telemetry_interval_ms),
    payload = EXCLUDED.payload,
    device_ts = COALESCE(EXCLUDED.device_ts, device_status.device_ts),
    updated_at = EXCLUDED.updated_at
  WHERE device_status.updated_at <= EXCLUDED.updated_at`;

const EVENTS_INSERT = `
  INSERT INTO device_events (device_id, ts, type, code, message, "values")
  SELECT device_id, to_timestamp(ts_ms / 1000.0), type, code, message, vals
  FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) AS u(device_id, ts_ms, type, code, message, vals)
  ON CONFLICT (device_id, ts, type, code) DO NOTHING`;

const ACKS_INSERT = `
  INSERT INTO device_acks (device_id, judgment_id, ts, result, reason)
  SELECT device_id, judgment_id, to_timestamp(ts_ms / 1000.0), result, reason
  FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[]) AS u(device_id, judgment_id, ts_ms, result, reason)
  ON CONFLICT DO NOTHING`;

// The sampled dead letters and their counts in one statement (the counts' upsert as a CTE): a
// flood of bad payloads costs the batch no extra round trip. Tallies come one per key, in key
// order, so concurrent batches lock count rows in the same order.
const DEAD_LETTERS_INSERT = `
  WITH tally AS (
    INSERT INTO dead_letter_counts (source, device_id, reason, window_start, kept, dropped, last_at)
    SELECT t.source, t.device_id, t.reason, to_timestamp(t.w / 1000.0), t.kept, t.dropped, to_timestamp(t.at / 1000.0)
      FROM json_to_recordset($7::json) AS t(source text, device_id text, reason text, w float8, at float8, kept int4, dropped int8)
     ORDER BY t.source, t.reason, t.w
    ON CONFLICT (source, reason, window_start) DO UPDATE
      SET kept = dead_letter_counts.kept + EXCLUDED.kept, dropped = dead_letter_counts.dropped + EXCLUDED.dropped, last_at = greatest(dead_letter_counts.last_at, EXCLUDED.last_at))
  INSERT INTO dead_letters (topic, device_id, reason, detail, payload, payload_bytes)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int4[])`;

/** Writes one batch in one transaction. The caller acknowledges the MQTT messages only after this resolves. */
export async function writeBatch(client: pg.ClientBase, batch: IngestBatch, inTransaction?: InTransactionHook): Promise<BatchResult> {
  let inserted = 0;
  let insertedRows: TelemetryRow[] = [];
  await client.query('BEGIN');
  try {
    if (batch.telemetry.length > 0) {
      const rows = batch.telemetry.map(({ deviceId, sample }, i) => telemetryRow(deviceId, sample, i + 1));
      const newest = new Map<string, Telemetry>();
      for (const { deviceId, sample } of batch.telemetry) {
        const cur = newest.get(deviceId);
        if (!cur || cur.ts < sample.ts) newest.set(deviceId, sample);
      }
      // In device id order, as every batch locks rows: concurrent batches queue, never deadlock.
      const latest = [...newest]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([deviceId, x]) => ({ d: deviceId, t: x.ts, s: x.seq, st: x.state, m: x.metrics }));
      const res = await client.query<{ inserted: number; duplicates: number[] }>(TELEMETRY_AND_LATEST, [JSON.stringify(rows), JSON.stringify(latest)]);
      inserted = res.rows[0]!.inserted;
      // Only rows this batch really inserted (not redelivered duplicates) feed the rules and can
      // change a rolled-up usage day. The statement names the others by position (1-based), so
      // the common batch without duplicates sends back one row, not one per sample.
      const dup = new Set(res.rows[0]!.duplicates);
      insertedRows = dup.size === 0 ? batch.telemetry : batch.telemetry.filter((_, i) => !dup.has(i + 1));
      // Late samples (replays, backfills) invalidate rolled-up usage days, atomically with them.
      await markLateTelemetry(client, insertedRows, Date.now());
    }
    if (batch.statuses.length > 0) {
      // Several statuses of one device in a batch: keep the last received (ON CONFLICT can't touch a row twice).
      const last = new Map(batch.statuses.map((s) => [s.deviceId, s]));
      const c: unknown[][] = [[], [], [], [], [], [], [], []];
      for (const { deviceId, status, receivedAtMs } of last.values()) {
        c[0]!.push(deviceId);
        c[1]!.push(status.online);
        c[2]!.push(status.firmware ?? null);
        c[3]!.push(status.model ?? null);
        c[4]!.push(status.telemetryIntervalMs ?? null);
        c[5]!.push(JSON.stringify(status));
        c[6]!.push(status.ts ?? null);
        c[7]!.push(receivedAtMs);
      }
      await client.query(STATUS_UPSERT, c);
    }
    if (batch.events.length > 0) {
      const c: unknown[][] = [[], [], [], [], [], []];
      for (const { deviceId, event } of batch.events) {
        c[0]!.push(deviceId);
        c[1]!.push(event.ts);
        c[2]!.push(event.type);
        c[3]!.push(event.code ?? '');
        c[4]!.push(event.message ?? null);
        c[5]!.push(event.values ? JSON.stringify(event.values) : null);
      }
      await client.query(EVENTS_INSERT, c);
    }
    if (batch.acks.length > 0) {
      const c: unknown[][] = [[], [], [], [], []];
      for (const { deviceId, ack } of batch.acks) {
        c[0]!.push(deviceId);
        c[1]!.push(ack.judgmentId);
        c[2]!.push(ack.ts);
        c[3]!.push(ack.result);
        c[4]!.push(ack.reason ?? null);
      }
      await client.query(ACKS_INSERT, c);
    }
    const tallies = batch.deadLetterTallies ?? [];
    if (batch.deadLetters.length > 0 || tallies.length > 0) {
      const c: unknown[][] = [[], [], [], [], [], []];
      for (const d of batch.deadLetters) {
        c[0]!.push(d.topic);
        c[1]!.push(d.deviceId);
        c[2]!.push(d.reason);
        c[3]!.push(d.detail);
        // PostgreSQL text cannot hold NUL; keep the rest of the evidence.
        c[4]!.push(d.payload.replaceAll('\u0000', '\\u0000'));
        c[5]!.push(d.payloadBytes);
      }
      const t = tallies.map((x) => ({ source: x.source, device_id: x.deviceId, reason: x.reason, w: x.windowStartMs, at: x.atMs, kept: x.kept, dropped: x.dropped }));
      await client.query(DEAD_LETTERS_INSERT, [...c, JSON.stringify(t)]);
    }
    if (inTransaction) await inTransaction(client, batch, insertedRows);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return { inserted, duplicates: batch.telemetry.length - inserted, insertedRows };
}

/** Which of these device ids exist (ingest caches the answer: devices are rarely deleted). */
export async function existingDeviceIds(client: pg.ClientBase | pg.Pool, ids: string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ id: string }>('SELECT id FROM devices WHERE id = ANY($1::text[])', [ids]);
  return new Set(rows.map((r) => r.id));
}
