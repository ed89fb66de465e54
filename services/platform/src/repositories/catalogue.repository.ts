import type pg from 'pg';
import { COMPRESSOR_MODELS, type CompressorModel } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

interface ModelRow {
  id: string;
  name: string;
  drive: CompressorModel['drive'];
  rated_power_kw: number;
  fad_m3_min: number;
  rated_pressure_bar: number;
  max_pressure_bar: number;
  fla_a: number;
  unloaded_power_fraction: number;
  receiver_m3: number;
  default_load_bar: number;
  default_unload_bar: number;
  limits: CompressorModel['limits'];
  service_plan: CompressorModel['servicePlan'];
}

function toModel(row: ModelRow): CompressorModel {
  return {
    id: row.id,
    name: row.name,
    drive: row.drive,
    ratedPowerKw: row.rated_power_kw,
    fadM3Min: row.fad_m3_min,
    ratedPressureBar: row.rated_pressure_bar,
    maxPressureBar: row.max_pressure_bar,
    flaA: row.fla_a,
    unloadedPowerFraction: row.unloaded_power_fraction,
    receiverM3: row.receiver_m3,
    defaultLoadBar: row.default_load_bar,
    defaultUnloadBar: row.default_unload_bar,
    limits: row.limits,
    servicePlan: row.service_plan,
  };
}

/**
 * Makes `compressor_models` equal the contracts' reference data (insert or update by id).
 * Called at every start-up so a release that corrects a figure reaches existing databases.
 * Models no longer in the catalogue are kept: devices reference them.
 */
/** A `compressor_models m` row as the contracts' CompressorModel object, for queries that join it. */
export const MODEL_JSON_SQL = `jsonb_build_object(
  'id', m.id, 'name', m.name, 'drive', m.drive, 'ratedPowerKw', m.rated_power_kw, 'fadM3Min', m.fad_m3_min,
  'ratedPressureBar', m.rated_pressure_bar, 'maxPressureBar', m.max_pressure_bar, 'flaA', m.fla_a,
  'unloadedPowerFraction', m.unloaded_power_fraction, 'receiverM3', m.receiver_m3,
  'defaultLoadBar', m.default_load_bar, 'defaultUnloadBar', m.default_unload_bar,
  'limits', m.limits, 'servicePlan', m.service_plan)`;

export async function syncCatalogue(pool: pg.Pool, models: readonly CompressorModel[] = COMPRESSOR_MODELS, db: Db = pool): Promise<number> {
  // One statement for the whole catalogue: atomic without an explicit transaction.
  const { rowCount } = await db.query(
    `INSERT INTO compressor_models (id, name, drive, rated_power_kw, fad_m3_min, rated_pressure_bar, max_pressure_bar, fla_a,
                                    unloaded_power_fraction, receiver_m3, default_load_bar, default_unload_bar, limits, service_plan)
     SELECT m.id, m.name, m.drive, m."ratedPowerKw", m."fadM3Min", m."ratedPressureBar", m."maxPressureBar", m."flaA",
            m."unloadedPowerFraction", m."receiverM3", m."defaultLoadBar", m."defaultUnloadBar", m.limits, m."servicePlan"
       FROM jsonb_to_recordset($1::jsonb) AS m(id text, name text, drive text, "ratedPowerKw" float8, "fadM3Min" float8,
            "ratedPressureBar" float8, "maxPressureBar" float8, "flaA" float8, "unloadedPowerFraction" float8, "receiverM3" float8,
            "defaultLoadBar" float8, "defaultUnloadBar" float8, limits jsonb, "servicePlan" jsonb)
     ON CONFLICT (id) DO UPDATE SET
       name = EXCLUDED.name, drive = EXCLUDED.drive, rated_power_kw = EXCLUDED.rated_power_kw, fad_m3_min = EXCLUDED.fad_m3_min,
       rated_pressure_bar = EXCLUDED.rated_pressure_bar, max_pressure_bar = EXCLUDED.max_pressure_bar, fla_a = EXCLUDED.fla_a,
       unloaded_power_fraction = EXCLUDED.unloaded_power_fraction, receiver_m3 = EXCLUDED.receiver_m3,
       default_load_bar = EXCLUDED.default_load_bar, default_unload_bar = EXCLUDED.default_unload_bar,
       limits = EXCLUDED.limits, service_plan = EXCLUDED.service_plan`,
    [JSON.stringify(models)],
  );
  return rowCount ?? 0;
}

export function createCatalogueRepository(pool: pg.Pool) {
  return {
    async listModels(db: Db = pool): Promise<CompressorModel[]> {
      const { rows } = await db.query<ModelRow>('SELECT * FROM compressor_models ORDER BY rated_power_kw, id');
      return rows.map(toModel);
    },
  };
}
export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>;
