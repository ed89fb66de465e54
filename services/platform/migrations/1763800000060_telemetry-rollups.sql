-- Up Migration

-- Telemetry history at two coarser resolutions (docs/architecture.md, "History"): per device and
-- epoch-aligned 5 minutes / hour, the count, sum, min and max of every metric, so a chart over
-- weeks or years reads one row per bucket instead of every sample, and its averages stay exact
-- (sums and counts add up; averages of averages would not). The columns mirror telemetry's metric
-- columns: <metric>_n counts the samples that carried the metric (NULL: all did), <metric>_sum is
-- float8 for measured values and bigint for the integer counters, min/max keep the column's type.
--
-- On plain PostgreSQL the platform maintains both tables (history rollup job): a bucket is written
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
  level text PRIMARY KEY CHECK (level IN ('5m', '1h')),
  upto timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO telemetry_rollup_state (level) VALUES ('5m'), ('1h');

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $q$
      CREATE TABLE telemetry_5m (
        device_id text NOT NULL,
        bucket timestamptz NOT NULL,
        -- 8-byte columns first, then 4-byte ones: no alignment padding between them.
        pressure_bar_sum double precision, element_temp_c_sum double precision, ambient_temp_c_sum double precision, motor_current_a_sum double precision, power_kw_sum double precision, flow_m3_min_sum double precision, separator_dp_bar_sum double precision, air_filter_dp_mbar_sum double precision, vibration_mm_s_sum double precision, running_hours_sum double precision, loaded_hours_sum double precision,
        running_hours_min double precision, running_hours_max double precision, loaded_hours_min double precision, loaded_hours_max double precision,
        motor_starts_sum bigint, motor_starts_min bigint, motor_starts_max bigint, load_cycles_sum bigint, load_cycles_min bigint, load_cycles_max bigint,
        pressure_bar_min real, pressure_bar_max real, element_temp_c_min real, element_temp_c_max real, ambient_temp_c_min real, ambient_temp_c_max real, motor_current_a_min real, motor_current_a_max real, power_kw_min real, power_kw_max real, flow_m3_min_min real, flow_m3_min_max real, separator_dp_bar_min real, separator_dp_bar_max real, air_filter_dp_mbar_min real, air_filter_dp_mbar_max real, vibration_mm_s_min real, vibration_mm_s_max real,
        n integer NOT NULL,
        -- Samples that carried the metric; NULL when all of the bucket's samples did (costs a bit, not 4 bytes).
        pressure_bar_n integer, element_temp_c_n integer, ambient_temp_c_n integer, motor_current_a_n integer, power_kw_n integer, flow_m3_min_n integer, separator_dp_bar_n integer, air_filter_dp_mbar_n integer, vibration_mm_s_n integer, running_hours_n integer, loaded_hours_n integer, motor_starts_n integer, load_cycles_n integer,
        PRIMARY KEY (device_id, bucket)
      )$q$;
    EXECUTE $q$CREATE TABLE telemetry_1h (LIKE telemetry_5m INCLUDING ALL)$q$;
  ELSE
    EXECUTE $q$
      CREATE MATERIALIZED VIEW telemetry_5m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT device_id, time_bucket(INTERVAL '5 minutes', ts) AS bucket, count(*)::int AS n,
          nullif(count(pressure_bar), count(*))::int AS pressure_bar_n, sum(pressure_bar::float8) AS pressure_bar_sum, min(pressure_bar) AS pressure_bar_min, max(pressure_bar) AS pressure_bar_max,
          nullif(count(element_temp_c), count(*))::int AS element_temp_c_n, sum(element_temp_c::float8) AS element_temp_c_sum, min(element_temp_c) AS element_temp_c_min, max(element_temp_c) AS element_temp_c_max,
          nullif(count(ambient_temp_c), count(*))::int AS ambient_temp_c_n, sum(ambient_temp_c::float8) AS ambient_temp_c_sum, min(ambient_temp_c) AS ambient_temp_c_min, max(ambient_temp_c) AS ambient_temp_c_max,
          nullif(count(motor_current_a), count(*))::int AS motor_current_a_n, sum(motor_current_a::float8) AS motor_current_a_sum, min(motor_current_a) AS motor_current_a_min, max(motor_current_a) AS motor_current_a_max,
          nullif(count(power_kw), count(*))::int AS power_kw_n, sum(power_kw::float8) AS power_kw_sum, min(power_kw) AS power_kw_min, max(power_kw) AS power_kw_max,
          nullif(count(flow_m3_min), count(*))::int AS flow_m3_min_n, sum(flow_m3_min::float8) AS flow_m3_min_sum, min(flow_m3_min) AS flow_m3_min_min, max(flow_m3_min) AS flow_m3_min_max,
          nullif(count(separator_dp_bar), count(*))::int AS separator_dp_bar_n, sum(separator_dp_bar::float8) AS separator_dp_bar_sum, min(separator_dp_bar) AS separator_dp_bar_min, max(separator_dp_bar) AS separator_dp_bar_max,
          nullif(count(air_filter_dp_mbar), count(*))::int AS air_filter_dp_mbar_n, sum(air_filter_dp_mbar::float8) AS air_filter_dp_mbar_sum, min(air_filter_dp_mbar) AS air_filter_dp_mbar_min, max(air_filter_dp_mbar) AS air_filter_dp_mbar_max,
          nullif(count(vibration_mm_s), count(*))::int AS vibration_mm_s_n, sum(vibration_mm_s::float8) AS vibration_mm_s_sum, min(vibration_mm_s) AS vibration_mm_s_min, max(vibration_mm_s) AS vibration_mm_s_max,
          nullif(count(running_hours), count(*))::int AS running_hours_n, sum(running_hours::float8) AS running_hours_sum, min(running_hours) AS running_hours_min, max(running_hours) AS running_hours_max,
          nullif(count(loaded_hours), count(*))::int AS loaded_hours_n, sum(loaded_hours::float8) AS loaded_hours_sum, min(loaded_hours) AS loaded_hours_min, max(loaded_hours) AS loaded_hours_max,
          nullif(count(motor_starts), count(*))::int AS motor_starts_n, sum(motor_starts)::bigint AS motor_starts_sum, min(motor_starts) AS motor_starts_min, max(motor_starts) AS motor_starts_max,
          nullif(count(load_cycles), count(*))::int AS load_cycles_n, sum(load_cycles)::bigint AS load_cycles_sum, min(load_cycles) AS load_cycles_min, max(load_cycles) AS load_cycles_max
        FROM telemetry
        GROUP BY device_id, time_bucket(INTERVAL '5 minutes', ts)
      WITH NO DATA$q$;
    EXECUTE $q$
      CREATE MATERIALIZED VIEW telemetry_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT device_id, time_bucket(INTERVAL '1 hour', bucket) AS bucket, sum(n)::int AS n,
          nullif(sum(coalesce(pressure_bar_n, n)), sum(n))::int AS pressure_bar_n, sum(pressure_bar_sum) AS pressure_bar_sum, min(pressure_bar_min) AS pressure_bar_min, max(pressure_bar_max) AS pressure_bar_max,
          nullif(sum(coalesce(element_temp_c_n, n)), sum(n))::int AS element_temp_c_n, sum(element_temp_c_sum) AS element_temp_c_sum, min(element_temp_c_min) AS element_temp_c_min, max(element_temp_c_max) AS element_temp_c_max,
          nullif(sum(coalesce(ambient_temp_c_n, n)), sum(n))::int AS ambient_temp_c_n, sum(ambient_temp_c_sum) AS ambient_temp_c_sum, min(ambient_temp_c_min) AS ambient_temp_c_min, max(ambient_temp_c_max) AS ambient_temp_c_max,
          nullif(sum(coalesce(motor_current_a_n, n)), sum(n))::int AS motor_current_a_n, sum(motor_current_a_sum) AS motor_current_a_sum, min(motor_current_a_min) AS motor_current_a_min, max(motor_current_a_max) AS motor_current_a_max,
          nullif(sum(coalesce(power_kw_n, n)), sum(n))::int AS power_kw_n, sum(power_kw_sum) AS power_kw_sum, min(power_kw_min) AS power_kw_min, max(power_kw_max) AS power_kw_max,
          nullif(sum(coalesce(flow_m3_min_n, n)), sum(n))::int AS flow_m3_min_n, sum(flow_m3_min_sum) AS flow_m3_min_sum, min(flow_m3_min_min) AS flow_m3_min_min, max(flow_m3_min_max) AS flow_m3_min_max,
          nullif(sum(coalesce(separator_dp_bar_n, n)), sum(n))::int AS separator_dp_bar_n, sum(separator_dp_bar_sum) AS separator_dp_bar_sum, min(separator_dp_bar_min) AS separator_dp_bar_min, max(separator_dp_bar_max) AS separator_dp_bar_max,
          nullif(sum(coalesce(air_filter_dp_mbar_n, n)), sum(n))::int AS air_filter_dp_mbar_n, sum(air_filter_dp_mbar_sum) AS air_filter_dp_mbar_sum, min(air_filter_dp_mbar_min) AS air_filter_dp_mbar_min, max(air_filter_dp_mbar_max) AS air_filter_dp_mbar_max,
          nullif(sum(coalesce(vibration_mm_s_n, n)), sum(n))::int AS vibration_mm_s_n, sum(vibration_mm_s_sum) AS vibration_mm_s_sum, min(vibration_mm_s_min) AS vibration_mm_s_min, max(vibration_mm_s_max) AS vibration_mm_s_max,
          nullif(sum(coalesce(running_hours_n, n)), sum(n))::int AS running_hours_n, sum(running_hours_sum) AS running_hours_sum, min(running_hours_min) AS running_hours_min, max(running_hours_max) AS running_hours_max,
          nullif(sum(coalesce(loaded_hours_n, n)), sum(n))::int AS loaded_hours_n, sum(loaded_hours_sum) AS loaded_hours_sum, min(loaded_hours_min) AS loaded_hours_min, max(loaded_hours_max) AS loaded_hours_max,
          nullif(sum(coalesce(motor_starts_n, n)), sum(n))::int AS motor_starts_n, sum(motor_starts_sum)::bigint AS motor_starts_sum, min(motor_starts_min) AS motor_starts_min, max(motor_starts_max) AS motor_starts_max,
          nullif(sum(coalesce(load_cycles_n, n)), sum(n))::int AS load_cycles_n, sum(load_cycles_sum)::bigint AS load_cycles_sum, min(load_cycles_min) AS load_cycles_min, max(load_cycles_max) AS load_cycles_max
        FROM telemetry_5m
        GROUP BY device_id, time_bucket(INTERVAL '1 hour', bucket)
      WITH NO DATA$q$;
    -- Refreshed over the store-and-forward window (7 days, plus a day), so replayed samples are
    -- folded in; newer buckets are answered in real time from raw rows until then.
    EXECUTE $q$SELECT add_continuous_aggregate_policy('telemetry_5m', start_offset => INTERVAL '8 days', end_offset => INTERVAL '5 minutes', schedule_interval => INTERVAL '5 minutes')$q$;
    EXECUTE $q$SELECT add_continuous_aggregate_policy('telemetry_1h', start_offset => INTERVAL '8 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '10 minutes')$q$;
  END IF;
END
$$;

-- Down Migration
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE 'DROP MATERIALIZED VIEW telemetry_1h';
    EXECUTE 'DROP MATERIALIZED VIEW telemetry_5m';
  ELSE
    EXECUTE 'DROP TABLE IF EXISTS telemetry_1h, telemetry_5m';
  END IF;
END
$$;
DROP TABLE IF EXISTS telemetry_rollup_state, telemetry_rollup_dirty;
