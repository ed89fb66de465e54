-- Up Migration

-- Daily fleet intelligence (docs/architecture.md §5): per-device daily figures, peer comparisons,
-- health scores per machine and per site. Days are UTC calendar days.
CREATE TABLE fleet_runs (
  day date PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  devices integer NOT NULL DEFAULT 0,
  outliers integer NOT NULL DEFAULT 0,
  judgments integer NOT NULL DEFAULT 0
);

CREATE TABLE fleet_device_days (
  day date NOT NULL,
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  model_id text NOT NULL,
  samples integer NOT NULL,
  -- Each figure is NULL when the day had too little data to compute it.
  specific_power double precision,
  adt_delta_k double precision,
  unloaded_share double precision,
  separator_dp_growth double precision,
  max_element_temp_c double precision,
  max_separator_dp_bar double precision,
  max_air_filter_dp_mbar double precision,
  pressure_low_bar double precision,
  pressure_high_bar double precision,
  PRIMARY KEY (day, device_id)
);

CREATE TABLE fleet_checks (
  day date NOT NULL,
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  "check" text NOT NULL,
  value double precision NOT NULL,
  peer_median double precision NOT NULL,
  peer_mad double precision NOT NULL,
  robust_z double precision NOT NULL,
  percentile double precision NOT NULL,
  peers integer NOT NULL,
  unit text NOT NULL,
  outlier boolean NOT NULL,
  PRIMARY KEY (day, device_id, "check")
);

CREATE TABLE device_health (
  day date NOT NULL,
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  site_id text NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  score double precision NOT NULL,
  passed integer NOT NULL,
  total integer NOT NULL,
  checks jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, device_id)
);
CREATE INDEX device_health_device_idx ON device_health (device_id, day DESC);

CREATE TABLE site_health (
  day date NOT NULL,
  site_id text NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  score double precision NOT NULL,
  devices integer NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, site_id)
);
CREATE INDEX site_health_site_idx ON site_health (site_id, day DESC);

-- Down Migration
DROP TABLE IF EXISTS site_health, device_health, fleet_checks, fleet_device_days, fleet_runs;
