-- Up Migration

-- Retention (docs/operations.md, "Retention"): a job deletes what is past its age, in bounded
-- batches, from the tables that would otherwise grow for ever.

-- A device that floods bad payloads keeps only its first few dead letters per window in full;
-- the rest are only counted here. One row per source, reason and window holds how many messages
-- were refused: `kept` stored in dead_letters, `dropped` counted only. The source is the device
-- id, or the topic when no device could be read from it. Upserted by the ingest in the same
-- statement as the dead letters themselves.
CREATE TABLE dead_letter_counts (
  source text NOT NULL,
  device_id text,
  reason text NOT NULL,
  window_start timestamptz NOT NULL,
  kept integer NOT NULL DEFAULT 0,
  dropped bigint NOT NULL DEFAULT 0,
  last_at timestamptz NOT NULL,
  PRIMARY KEY (source, reason, window_start)
);
-- The API's "last hours" view and the retention sweep both go by window.
CREATE INDEX dead_letter_counts_window_idx ON dead_letter_counts (window_start);

-- The retention sweeps of these tables select by age; without an index each batch would scan.
CREATE INDEX device_events_ts_idx ON device_events (ts);
CREATE INDEX device_acks_ts_idx ON device_acks (ts);

-- Down Migration
DROP INDEX IF EXISTS device_acks_ts_idx;
DROP INDEX IF EXISTS device_events_ts_idx;
DROP TABLE IF EXISTS dead_letter_counts;
