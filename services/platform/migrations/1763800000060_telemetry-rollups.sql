-- Up Migration

-- Telemetry history at two coarser resolutions (docs/architecture.md, "History"): per device and
-- epoch-aligned minute / hour, the count, sum, min and max of every metric, so a chart over weeks
-- or years reads one row per bucket instead of every sample, and its averages stay exact (sums and
-- counts add up; averages of averages would not). The columns mirror telemetry's metric columns:
-- <metric>_n counts the samples that carried the metric, <metric>_sum is float8 for the measured
-- values and numeric for the integer counters, min/max keep the column's own type.
--
-- On plain PostgreSQL the platform maintains both tables (history rollup job): a minute is written
-- once every sample it can hold has settled, and a late sample (store-and-forward replay) leaves a
-- marker that makes the job recompute exactly its buckets. On TimescaleDB both are continuous
-- aggregates with real-time aggregation and refresh policies; the query code is the same.

CREATE TABLE telemetry_rollup_dirty (
  id bigserial PRIMARY KEY,
  device_id text NOT NULL,
  ts_lo timestamptz NOT NULL,
  ts_hi timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telemetry_rollup_dirty_device_idx ON telemetry_rollup_dirty (device_id, ts_lo);

-- How far each resolution is materialised (plain PostgreSQL): every bucket before `upto` is stored.
CREATE TABLE telemetry_rollup_state (
  level text PRIMARY KEY CHECK (level IN ('1m', '1h')),
  upto timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO telemetry_rollup_state (level) VALUES ('1m'), ('1h');

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $q$
      CREATE TABLE telemetry_1m (
        device_id text NOT NULL,
        bucket timestamptz NOT NULL,
        n integer NOT NULL,
        pressure_bar_n integer NOT NULL, pressure_bar_sum double precision, pressure_bar_min real, pressure_bar_max real,
        element_temp_c_n integer NOT NULL, element_temp_c_sum double precision, element_temp_c_min real, element_temp_c_max real,
        ambient_temp_c_n integer NOT NULL, ambient_temp_c_sum double precision, ambient_temp_c_min real, ambient_temp_c_max real,
        motor_current_a_n integer NOT NULL, motor_current_a_sum double precision, motor_current_a_min real, motor_current_a_max real,
        power_kw_n integer NOT NULL, power_kw_sum double precision, power_kw_min real, power_kw_max real,
        flow_m3_min_n integer NOT NULL, flow_m3_min_sum double precision, flow_m3_min_min real, flow_m3_min_max real,
        separator_dp_bar_n integer NOT NULL, separator_dp_bar_sum double precision, separator_dp_bar_min real, separator_dp_bar_max real,
        air_filter_dp_mbar_n integer NOT NULL, air_filter_dp_mbar_sum double precision, air_filter_dp_mbar_min real, air_filter_dp_mbar_max real,
        vibration_mm_s_n integer NOT NULL, vibration_mm_s_sum double precision, vibration_mm_s_min real, vibration_mm_s_max real,
        running_hours_n integer NOT NULL, running_hours_sum double precision, running_hours_min double precision, running_hours_max double precision,
        loaded_hours_n integer NOT NULL, loaded_hours_sum double precision, loaded_hours_min double precision, loaded_hours_max double precision,
        motor_starts_n integer NOT NULL, motor_starts_sum numeric, motor_starts_min bigint, motor_starts_max bigint,
        load_cycles_n integer NOT NULL, load_cycles_sum numeric, load_cycles_min bigint, load_cycles_max bigint,
        PRIMARY KEY (device_id, bucket)
      )$q$;
    EXECUTE $q$CREATE TABLE telemetry_1h (LIKE telemetry_1m INCLUDING ALL)$q$;
  ELSE
    EXECUTE $q$
      CREATE MATERIALIZED VIEW telemetry_1m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT device_id, time_bucket(INTERVAL '1 minute', ts) AS bucket, count(*)::int AS n,
          count(pressure_bar)::int AS pressure_bar_n, sum(pressure_bar::float8) AS pressure_bar_sum, min(pressure_bar) AS pressure_bar_min, max(pressure_bar) AS pressure_bar_max,
          count(element_temp_c)::int AS element_temp_c_n, sum(element_temp_c::float8) AS element_temp_c_sum, min(element_temp_c) AS element_temp_c_min, max(element_temp_c) AS element_temp_c_max,
          count(ambient_temp_c)::int AS ambient_temp_c_n, sum(ambient_temp_c::float8) AS ambient_temp_c_sum, min(ambient_temp_c) AS ambient_temp_c_min, max(ambient_temp_c) AS ambient_temp_c_max,
          count(motor_current_a)::int AS motor_current_a_n, sum(motor_current_a::float8) AS motor_current_a_sum, min(motor_current_a) AS motor_current_a_min, max(motor_current_a) AS motor_current_a_max,
          count(power_kw)::int AS power_kw_n, sum(power_kw::float8) AS power_kw_sum, min(power_kw) AS power_kw_min, max(power_kw) AS power_kw_max,
          count(flow_m3_min)::int AS flow_m3_min_n, sum(flow_m3_min::float8) AS flow_m3_min_sum, min(flow_m3_min) AS flow_m3_min_min, max(flow_m3_min) AS flow_m3_min_max,
          count(separator_dp_bar)::int AS separator_dp_bar_n, sum(separator_dp_bar::float8) AS separator_dp_bar_sum, min(separator_dp_bar) AS separator_dp_bar_min, max(separator_dp_bar) AS separator_dp_bar_max,
          count(air_filter_dp_mbar)::int AS air_filter_dp_mbar_n, sum(air_filter_dp_mbar::float8) AS air_filter_dp_mbar_sum, min(air_filter_dp_mbar) AS air_filter_dp_mbar_min, max(air_filter_dp_mbar) AS air_filter_dp_mbar_max,
          count(vibration_mm_s)::int AS vibration_mm_s_n, sum(vibration_mm_s::float8) AS vibration_mm_s_sum, min(vibration_mm_s) AS vibration_mm_s_min, max(vibration_mm_s) AS vibration_mm_s_max,
          count(running_hours)::int AS running_hours_n, sum(running_hours::float8) AS running_hours_sum, min(running_hours) AS running_hours_min, max(running_hours) AS running_hours_max,
          count(loaded_hours)::int AS loaded_hours_n, sum(loaded_hours::float8) AS loaded_hours_sum, min(loaded_hours) AS loaded_hours_min, max(loaded_hours) AS loaded_hours_max,
          count(motor_starts)::int AS motor_starts_n, sum(motor_starts) AS motor_starts_sum, min(motor_starts) AS motor_starts_min, max(motor_starts) AS motor_starts_max,
          count(load_cycles)::int AS load_cycles_n, sum(load_cycles) AS load_cycles_sum, min(load_cycles) AS load_cycles_min, max(load_cycles) AS load_cycles_max
        FROM telemetry
        GROUP BY device_id, time_bucket(INTERVAL '1 minute', ts)
      WITH NO DATA$q$;
    EXECUTE $q$
      CREATE MATERIALIZED VIEW telemetry_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT device_id, time_bucket(INTERVAL '1 hour', bucket) AS bucket, sum(n)::int AS n,
          sum(pressure_bar_n)::int AS pressure_bar_n, sum(pressure_bar_sum) AS pressure_bar_sum, min(pressure_bar_min) AS pressure_bar_min, max(pressure_bar_max) AS pressure_bar_max,
          sum(element_temp_c_n)::int AS element_temp_c_n, sum(element_temp_c_sum) AS element_temp_c_sum, min(element_temp_c_min) AS element_temp_c_min, max(element_temp_c_max) AS element_temp_c_max,
          sum(ambient_temp_c_n)::int AS ambient_temp_c_n, sum(ambient_temp_c_sum) AS ambient_temp_c_sum, min(ambient_temp_c_min) AS ambient_temp_c_min, max(ambient_temp_c_max) AS ambient_temp_c_max,
          sum(motor_current_a_n)::int AS motor_current_a_n, sum(motor_current_a_sum) AS motor_current_a_sum, min(motor_current_a_min) AS motor_current_a_min, max(motor_current_a_max) AS motor_current_a_max,
          sum(power_kw_n)::int AS power_kw_n, sum(power_kw_sum) AS power_kw_sum, min(power_kw_min) AS power_kw_min, max(power_kw_max) AS power_kw_max,
          sum(flow_m3_min_n)::int AS flow_m3_min_n, sum(flow_m3_min_sum) AS flow_m3_min_sum, min(flow_m3_min_min) AS flow_m3_min_min, max(flow_m3_min_max) AS flow_m3_min_max,
          sum(separator_dp_bar_n)::int AS separator_dp_bar_n, sum(separator_dp_bar_sum) AS separator_dp_bar_sum, min(separator_dp_bar_min) AS separator_dp_bar_min, max(separator_dp_bar_max) AS separator_dp_bar_max,
          sum(air_filter_dp_mbar_n)::int AS air_filter_dp_mbar_n, sum(air_filter_dp_mbar_sum) AS air_filter_dp_mbar_sum, min(air_filter_dp_mbar_min) AS air_filter_dp_mbar_min, max(air_filter_dp_mbar_max) AS air_filter_dp_mbar_max,
          sum(vibration_mm_s_n)::int AS vibration_mm_s_n, sum(vibration_mm_s_sum) AS vibration_mm_s_sum, min(vibration_mm_s_min) AS vibration_mm_s_min, max(vibration_mm_s_max) AS vibration_mm_s_max,
          sum(running_hours_n)::int AS running_hours_n, sum(running_hours_sum) AS running_hours_sum, min(running_hours_min) AS running_hours_min, max(running_hours_max) AS running_hours_max,
          sum(loaded_hours_n)::int AS loaded_hours_n, sum(loaded_hours_sum) AS loaded_hours_sum, min(loaded_hours_min) AS loaded_hours_min, max(loaded_hours_max) AS loaded_hours_max,
          sum(motor_starts_n)::int AS motor_starts_n, sum(motor_starts_sum) AS motor_starts_sum, min(motor_starts_min) AS motor_starts_min, max(motor_starts_max) AS motor_starts_max,
          sum(load_cycles_n)::int AS load_cycles_n, sum(load_cycles_sum) AS load_cycles_sum, min(load_cycles_min) AS load_cycles_min, max(load_cycles_max) AS load_cycles_max
        FROM telemetry_1m
        GROUP BY device_id, time_bucket(INTERVAL '1 hour', bucket)
      WITH NO DATA$q$;
    -- Refreshed over the store-and-forward window (7 days, plus a day), so replayed samples are
    -- folded in; newer buckets are answered in real time from raw rows until then.
    EXECUTE $q$SELECT add_continuous_aggregate_policy('telemetry_1m', start_offset => INTERVAL '8 days', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute')$q$;
    EXECUTE $q$SELECT add_continuous_aggregate_policy('telemetry_1h', start_offset => INTERVAL '8 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '10 minutes')$q$;
  END IF;
END
$$;

-- Down Migration
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE 'DROP MATERIALIZED VIEW telemetry_1h';
    EXECUTE 'DROP MATERIALIZED VIEW telemetry_1m';
  ELSE
    EXECUTE 'DROP TABLE IF EXISTS telemetry_1h, telemetry_1m';
  END IF;
END
$$;
DROP TABLE IF EXISTS telemetry_rollup_state, telemetry_rollup_dirty;
