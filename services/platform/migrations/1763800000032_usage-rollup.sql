-- Up Migration

-- Customer usage reports (docs/customer-reports.md §2): per machine and SITE-LOCAL day, the additive
-- sums of the report integrals, computed from raw samples by the same domain code as an
-- un-rolled-up report, so a report over whole days is a sum of rows and equals the raw figures.
-- Model-dependent figures (unloaded kWh, rated kWh/m³) are NOT stored: they are derived on read
-- from unloaded_hours and air_m3, so a model correction needs no recomputation.
CREATE TABLE usage_daily (
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  -- The site's IANA zone the day was cut in (a moved machine gets fresh rows, never mixed days).
  timezone text NOT NULL,
  day_start timestamptz NOT NULL,
  day_end timestamptz NOT NULL,
  -- The gap cap the day was integrated with (3 reporting intervals); another cap = another answer.
  gap_cap_ms integer NOT NULL,
  kwh double precision NOT NULL,
  air_m3 double precision NOT NULL,
  running_hours double precision NOT NULL,
  loaded_hours double precision NOT NULL,
  unloaded_hours double precision NOT NULL,
  leak_air_m3 double precision NOT NULL,
  leak_minutes double precision NOT NULL,
  covered_hours double precision NOT NULL,
  gap_hours double precision NOT NULL,
  -- The samples the day's integral depends on lie in [prev_ts, next_ts]: the neighbours outside
  -- the day (prev NULL = none before). A new sample outside that span cannot change the row.
  -- next_ts NULL: the machine had not reported past the day yet; any sample at or after day_end
  -- then invalidates the row (checked on read).
  prev_ts timestamptz,
  next_ts timestamptz,
  -- The snapshot the samples were read in: a late-sample marker it could not see invalidates it.
  snap pg_snapshot NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, timezone, day_start)
);

-- Late samples (older than the rollup horizon) written by the ingest batch writer, in the same
-- transaction as the samples. xid tells which rollup rows were computed without them.
CREATE TABLE usage_rollup_dirty (
  id bigserial PRIMARY KEY,
  device_id text NOT NULL,
  ts_lo timestamptz NOT NULL,
  ts_hi timestamptz NOT NULL,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_rollup_dirty_device_idx ON usage_rollup_dirty (device_id, ts_lo);

-- Down Migration
DROP TABLE IF EXISTS usage_rollup_dirty, usage_daily;
