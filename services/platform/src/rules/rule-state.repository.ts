import { MODEL_JSON_SQL } from '../repositories/catalogue.repository.ts';
import type pg from 'pg';
import type { CompressorModel } from '@airfleet/contracts';
import { parseRuleState, type RuleState } from './rule-state.ts';

type Db = pg.Pool | pg.PoolClient | pg.ClientBase;

export interface DeviceRuleContext {
  deviceId: string;
  customerId: string;
  siteId: string;
  model: CompressorModel;
  state: RuleState;
}

interface ContextRow {
  device_id: string;
  customer_id: string;
  site_id: string;
  state: unknown;
  model: CompressorModel;
}

export function createRuleStateRepository(pool: pg.Pool) {
  return {
    /**
     * Locks and loads the rule state of these devices for the rest of the transaction, with
     * their model (limits and service plan, as data) and tenant. Rows are created first and
     * locked in id order, so two ingest workers serialise per device and never deadlock.
     */
    async lockAndLoad(deviceIds: readonly string[], db: Db): Promise<Map<string, DeviceRuleContext>> {
      const ids = [...new Set(deviceIds)].sort();
      if (ids.length === 0) return new Map();
      await db.query(
        `INSERT INTO device_rule_state (device_id, state)
         SELECT id, '{}'::jsonb FROM devices WHERE id = ANY($1::text[]) ORDER BY id
         ON CONFLICT (device_id) DO NOTHING`,
        [ids],
      );
      await db.query(`SELECT device_id FROM device_rule_state WHERE device_id = ANY($1::text[]) ORDER BY device_id FOR UPDATE`, [ids]);
      const { rows } = await db.query<ContextRow>(
        `SELECT r.device_id, s.customer_id, d.site_id, r.state,
                ${MODEL_JSON_SQL} AS model
           FROM device_rule_state r
           JOIN devices d ON d.id = r.device_id
           JOIN sites s ON s.id = d.site_id
           JOIN compressor_models m ON m.id = d.model_id
          WHERE r.device_id = ANY($1::text[])`,
        [ids],
      );
      return new Map(
        rows.map((r) => [r.device_id, { deviceId: r.device_id, customerId: r.customer_id, siteId: r.site_id, model: r.model, state: parseRuleState(r.state) }]),
      );
    },

    /** One statement for the whole batch. */
    async save(states: ReadonlyArray<{ deviceId: string; state: RuleState }>, db: Db = pool): Promise<void> {
      if (states.length === 0) return;
      await db.query(
        `UPDATE device_rule_state r SET state = u.state, newest_ts = to_timestamp(u.newest_ms / 1000.0), updated_at = now()
           FROM unnest($1::text[], $2::jsonb[], $3::float8[]) AS u(device_id, state, newest_ms)
          WHERE r.device_id = u.device_id`,
        [states.map((s) => s.deviceId), states.map((s) => JSON.stringify(s.state)), states.map((s) => s.state.newestTs)],
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
      await db.query(`INSERT INTO device_rule_state (device_id, state) VALUES ($1, '{}'::jsonb) ON CONFLICT (device_id) DO NOTHING`, [deviceId]);
      await db.query(`SELECT 1 FROM device_rule_state WHERE device_id = $1 FOR UPDATE`, [deviceId]);
      return { runningHours: rows[0].running_hours };
    },
  };
}
export type RuleStateRepository = ReturnType<typeof createRuleStateRepository>;
