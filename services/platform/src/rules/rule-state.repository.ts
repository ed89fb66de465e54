import { MODEL_JSON_SQL } from '../repositories/catalogue.repository.ts';
import type pg from 'pg';
import type { CompressorModel } from '@airfleet/contracts';
import { parseRuleState, type RuleState } from './rule-state.ts';
import { serviceRecordsJsonSql } from './device-service.repository.ts';
import type { ServiceRecord } from './rule-types.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

export interface DeviceRuleContext {
  deviceId: string;
  customerId: string;
  siteId: string;
  model: CompressorModel;
  state: RuleState;
  /** Its last service per plan level (device_service). */
  service: ServiceRecord[];
  /** A data-gap alarm is active: samples arriving end it. */
  dataGap: boolean;
}

interface ContextRow {
  device_id: string;
  customer_id: string;
  site_id: string;
  model_id: string;
  state: unknown;
  service: ServiceRecord[] | null;
  data_gap: boolean;
  models: Record<string, CompressorModel> | null;
}

export function createRuleStateRepository(pool: pg.Pool) {
  /** Devices whose rule state row exists (rows are never deleted but with their device). */
  const known = new Set<string>();
  return {
    /**
     * Locks and loads the rule state of these devices for the rest of the transaction, with
     * their model (limits and service plan, as data), tenant and service records. Rows are
     * created first and locked in id order, so two ingest workers serialise per device and never
     * deadlock.
     */
    async lockAndLoad(deviceIds: readonly string[], db: Db): Promise<Map<string, DeviceRuleContext>> {
      const ids = [...new Set(deviceIds)].sort();
      if (ids.length === 0) return new Map();
      // Rows are created once per device (the process remembers which exist), then locked and
      // read in one statement, in id order: two ingest batches serialise per device, never deadlock.
      const fresh = ids.filter((id) => !known.has(id));
      if (fresh.length > 0) {
        await db.query(
          `INSERT INTO device_rule_state (device_id, state)
           SELECT id, '{}'::json FROM devices WHERE id = ANY($1::text[]) ORDER BY id
           ON CONFLICT (device_id) DO NOTHING`,
          [fresh],
        );
      }
      // One round trip: the locked rows, each with its service records and whether a data gap is
      // open, and on the first row the models they use (a handful per fleet). Every round trip of
      // the ingest transaction waits for a turn of the busy gateway's event loop.
      const { rows } = await db.query<ContextRow>(
        `WITH locked AS MATERIALIZED (
           SELECT r.device_id, s.customer_id, d.site_id, d.model_id, r.state
             FROM device_rule_state r
             JOIN devices d ON d.id = r.device_id
             JOIN sites s ON s.id = d.site_id
            WHERE r.device_id = ANY($1::text[])
            ORDER BY r.device_id
            FOR UPDATE OF r)
         SELECT l.*,
                ${serviceRecordsJsonSql('l.device_id')} AS service,
                EXISTS (SELECT 1 FROM alarms a WHERE a.device_id = l.device_id AND a.type = 'data_gap' AND a.state = 'active') AS data_gap,
                CASE WHEN row_number() OVER () = 1 THEN
                  (SELECT json_object_agg(m.id, ${MODEL_JSON_SQL}) FROM compressor_models m WHERE m.id IN (SELECT model_id FROM locked))
                END AS models
           FROM locked l`,
        [ids],
      );
      for (const r of rows) known.add(r.device_id);
      if (rows.length < ids.length) {
        const found = new Set(rows.map((r) => r.device_id));
        for (const id of ids) if (!found.has(id)) known.delete(id);
      }
      const models = (rows[0]?.models ?? {}) as Record<string, CompressorModel>;
      return new Map(
        rows.map((r) => [
          r.device_id,
          { deviceId: r.device_id, customerId: r.customer_id, siteId: r.site_id, model: models[r.model_id]!, state: parseRuleState(r.state), service: r.service ?? [], dataGap: r.data_gap },
        ]),
      );
    },

    /** One statement for the whole batch. */
    async save(states: ReadonlyArray<{ deviceId: string; state: RuleState }>, db: Db = pool): Promise<void> {
      if (states.length === 0) return;
      await db.query(
        // One JSON document, not a jsonb[] literal (see the telemetry insert for why).
        `UPDATE device_rule_state r SET state = u.state, newest_ts = to_timestamp(u.newest_ms / 1000.0), updated_at = now()
           FROM json_to_recordset($1::json) AS u(device_id text, state json, newest_ms float8)
          WHERE r.device_id = u.device_id`,
        [JSON.stringify(states.map((s) => ({ device_id: s.deviceId, state: s.state, newest_ms: s.state.newestTs })))],
      );
    },

    /**
     * Locks one device's rule state (serialises a hand-made judgment with the rules) and
     * returns its running hours. Null when the device does not exist or is outside the scope.
     */
    async lockOne(deviceId: string, scope: string | null, db: Db): Promise<{ runningHours: number | null } | null> {
      const { rows } = await db.query<{ id: string; running_hours: number | null }>(
        `SELECT d.id, (l.metrics->>'runningHours')::float8 AS running_hours
           FROM devices d JOIN sites s ON s.id = d.site_id LEFT JOIN device_latest l ON l.device_id = d.id
          WHERE d.id = $1 AND ($2::text IS NULL OR s.customer_id = $2)`,
        [deviceId, scope],
      );
      if (!rows[0]) return null;
      await db.query(`INSERT INTO device_rule_state (device_id, state) VALUES ($1, '{}'::json) ON CONFLICT (device_id) DO NOTHING`, [deviceId]);
      await db.query(`SELECT 1 FROM device_rule_state WHERE device_id = $1 FOR UPDATE`, [deviceId]);
      return { runningHours: rows[0].running_hours };
    },
  };
}
export type RuleStateRepository = ReturnType<typeof createRuleStateRepository>;
