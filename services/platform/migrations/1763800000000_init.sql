-- Up Migration

-- Tenancy and catalogue -------------------------------------------------------
CREATE TABLE customers (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- Usage reports price energy at the customer's own tariff and grid factor.
  currency text NOT NULL DEFAULT 'EUR',
  tariff_per_kwh numeric(10, 4) NOT NULL DEFAULT 0.20,
  grid_co2_kg_per_kwh numeric(10, 4) NOT NULL DEFAULT 0.40,
  locale text NOT NULL DEFAULT 'en',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sites (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  name text NOT NULL,
  city text NOT NULL,
  country text NOT NULL,
  region text NOT NULL,
  timezone text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sites_customer_idx ON sites (customer_id);

-- Rated figures, limits and the service plan are data (docs/domain.md §2, §5).
CREATE TABLE compressor_models (
  id text PRIMARY KEY,
  name text NOT NULL,
  drive text NOT NULL CHECK (drive IN ('fixed', 'vsd')),
  rated_power_kw double precision NOT NULL,
  fad_m3_min double precision NOT NULL,
  rated_pressure_bar double precision NOT NULL,
  max_pressure_bar double precision NOT NULL,
  fla_a double precision NOT NULL,
  unloaded_power_fraction double precision NOT NULL,
  receiver_m3 double precision NOT NULL,
  default_load_bar double precision NOT NULL,
  default_unload_bar double precision NOT NULL,
  limits jsonb NOT NULL,
  service_plan jsonb NOT NULL
);

CREATE TABLE devices (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  serial text NOT NULL UNIQUE,
  model_id text NOT NULL REFERENCES compressor_models(id),
  site_id text NOT NULL REFERENCES sites(id),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_site_idx ON devices (site_id);

-- Only a scrypt hash of the device token is kept; the token is shown once.
CREATE TABLE device_credentials (
  device_id text PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  token_hash text NOT NULL,
  rotated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'service', 'customer')),
  customer_id text REFERENCES customers(id),
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'zh-CN')),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A customer user without a customer would see nothing or, worse, everything.
  CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

-- Sessions are looked up by the SHA-256 of the cookie value, never the value itself.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- Telemetry --------------------------------------------------------------------
-- One typed column per known metric (contracts METRICS); unknown numeric metrics in extras.
-- No foreign key to devices: ingest checks the device, and an FK on a hypertable costs every insert.
CREATE TABLE telemetry (
  device_id text NOT NULL,
  ts timestamptz NOT NULL,
  seq bigint NOT NULL,
  state text NOT NULL,
  pressure_bar real,
  element_temp_c real,
  ambient_temp_c real,
  motor_current_a real,
  power_kw real,
  flow_m3_min real,
  separator_dp_bar real,
  air_filter_dp_mbar real,
  vibration_mm_s real,
  running_hours double precision,
  loaded_hours double precision,
  motor_starts bigint,
  load_cycles bigint,
  extras jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- Deduplication of redelivery and store-and-forward replays (at-least-once ingest).
  PRIMARY KEY (device_id, ts)
);

CREATE TABLE device_latest (
  device_id text PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  ts timestamptz NOT NULL,
  seq bigint NOT NULL,
  state text NOT NULL,
  metrics jsonb NOT NULL,
  received_at timestamptz NOT NULL
);

-- From the retained birth message and the last will.
CREATE TABLE device_status (
  device_id text PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  online boolean NOT NULL,
  firmware text,
  model text,
  telemetry_interval_ms integer,
  payload jsonb NOT NULL,
  device_ts timestamptz,
  updated_at timestamptz NOT NULL
);

CREATE TABLE device_events (
  id bigserial PRIMARY KEY,
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  ts timestamptz NOT NULL,
  type text NOT NULL,
  code text NOT NULL DEFAULT '',
  message text,
  "values" jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (device_id, ts, type, code)
);
CREATE INDEX device_events_device_ts_idx ON device_events (device_id, ts DESC);

-- Nothing is dropped silently: every refused uplink message lands here with its reason.
CREATE TABLE dead_letters (
  id bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  topic text NOT NULL,
  device_id text,
  reason text NOT NULL,
  detail text NOT NULL,
  payload text NOT NULL,
  payload_bytes integer NOT NULL
);
CREATE INDEX dead_letters_received_idx ON dead_letters (received_at DESC);
CREATE INDEX dead_letters_device_idx ON dead_letters (device_id, received_at DESC);

-- TimescaleDB, when the server has it: same schema, 1-day chunks, compression after
-- the 7-day store-and-forward window (plus a day) so late replays still land uncompressed.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXCEPTION WHEN OTHERS THEN
      -- Installed but not preloaded (shared_preload_libraries): run as plain PostgreSQL.
      RAISE NOTICE 'timescaledb not usable: %', SQLERRM;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $q$SELECT create_hypertable('telemetry', by_range('ts', INTERVAL '1 day'))$q$;
    EXECUTE $q$ALTER TABLE telemetry SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id', timescaledb.compress_orderby = 'ts DESC')$q$;
    EXECUTE $q$SELECT add_compression_policy('telemetry', INTERVAL '8 days')$q$;
  END IF;
END
$$;

-- Down Migration
DROP TABLE IF EXISTS dead_letters, device_events, device_status, device_latest, telemetry, sessions, users,
  device_credentials, devices, compressor_models, sites, customers CASCADE;
