-- Up Migration

-- Plain PostgreSQL: telemetry becomes a table partitioned by day on `ts` (docs/architecture.md §8),
-- so that retention drops whole days instead of deleting rows, and its columns are ordered by
-- alignment (8-byte values first, then 4-byte values, then the variable-length ones), which
-- removes the padding the first layout had between them. TimescaleDB keeps its hypertable (its
-- 1-day chunks are the same idea) and nothing changes there.
--
-- Existing rows are not copied: the old table is attached as one partition covering the days it
-- holds (a validation scan, no rewrite), and ages out as a whole. New days get their own
-- partitions, created ahead by the platform (telemetry partition job); a DEFAULT partition takes
-- what arrives for a day that has none yet, so the ingest never fails for want of a partition.
DO $$
DECLARE
  lo timestamptz;
  hi timestamptz;
  d date;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;
  ALTER TABLE telemetry RENAME TO telemetry_legacy;
  ALTER TABLE telemetry_legacy RENAME CONSTRAINT telemetry_pkey TO telemetry_legacy_pkey;
  CREATE TABLE telemetry (
    ts timestamptz NOT NULL,
    seq bigint NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    running_hours double precision,
    loaded_hours double precision,
    motor_starts bigint,
    load_cycles bigint,
    pressure_bar real,
    element_temp_c real,
    ambient_temp_c real,
    motor_current_a real,
    power_kw real,
    flow_m3_min real,
    separator_dp_bar real,
    air_filter_dp_mbar real,
    vibration_mm_s real,
    device_id text NOT NULL,
    state text NOT NULL,
    extras jsonb,
    -- Deduplication of redelivery and store-and-forward replays (at-least-once ingest); the
    -- partition key is part of it, as PostgreSQL requires of a partitioned table's unique keys.
    PRIMARY KEY (device_id, ts)
  ) PARTITION BY RANGE (ts);
  CREATE TABLE telemetry_default PARTITION OF telemetry DEFAULT;

  SELECT min(ts), max(ts) INTO lo, hi FROM telemetry_legacy;
  IF lo IS NULL THEN
    DROP TABLE telemetry_legacy;
  ELSE
    EXECUTE format('ALTER TABLE telemetry ATTACH PARTITION telemetry_legacy FOR VALUES FROM (%L) TO (%L)',
                   date_trunc('day', lo, 'UTC'), date_trunc('day', hi, 'UTC') + INTERVAL '1 day');
  END IF;

  -- The days the ingest accepts now (7 days back, today, and a few ahead), beyond the legacy range.
  FOR d IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 8, (now() AT TIME ZONE 'UTC')::date + 3, INTERVAL '1 day')::date LOOP
    IF hi IS NULL OR (d::timestamp AT TIME ZONE 'UTC') >= date_trunc('day', hi, 'UTC') + INTERVAL '1 day' THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF telemetry FOR VALUES FROM (%L) TO (%L)',
                     'telemetry_p' || to_char(d, 'YYYYMMDD'), d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
    END IF;
  END LOOP;
END
$$;

-- Down Migration
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;
  ALTER TABLE telemetry RENAME TO telemetry_partitioned;
  CREATE TABLE telemetry (LIKE telemetry_partitioned INCLUDING DEFAULTS);
  ALTER TABLE telemetry ADD PRIMARY KEY (device_id, ts);
  INSERT INTO telemetry SELECT * FROM telemetry_partitioned;
  DROP TABLE telemetry_partitioned;
END
$$;
