import { METRIC_KEYS, type MetricKey } from '@airfleet/contracts';

/**
 * Telemetry column per known metric (contracts METRICS ↔ migration columns).
 * SQL never interpolates anything but these constants.
 */
export const METRIC_COLUMNS: Readonly<Record<MetricKey, string>> = {
  pressureBar: 'pressure_bar',
  elementTempC: 'element_temp_c',
  ambientTempC: 'ambient_temp_c',
  motorCurrentA: 'motor_current_a',
  powerKw: 'power_kw',
  flowM3Min: 'flow_m3_min',
  separatorDpBar: 'separator_dp_bar',
  airFilterDpMbar: 'air_filter_dp_mbar',
  vibrationMmS: 'vibration_mm_s',
  runningHours: 'running_hours',
  loadedHours: 'loaded_hours',
  motorStarts: 'motor_starts',
  loadCycles: 'load_cycles',
};

/** PostgreSQL array type used when a batch is passed as one array per column (unnest). */
export const METRIC_SQL_TYPES: Readonly<Record<MetricKey, string>> = {
  pressureBar: 'real[]',
  elementTempC: 'real[]',
  ambientTempC: 'real[]',
  motorCurrentA: 'real[]',
  powerKw: 'real[]',
  flowM3Min: 'real[]',
  separatorDpBar: 'real[]',
  airFilterDpMbar: 'real[]',
  vibrationMmS: 'real[]',
  runningHours: 'float8[]',
  loadedHours: 'float8[]',
  motorStarts: 'int8[]',
  loadCycles: 'int8[]',
};

export const METRIC_COLUMN_LIST: readonly string[] = METRIC_KEYS.map((k) => METRIC_COLUMNS[k]);
