-- Up Migration

-- One row per device, rewritten by every ingest batch that carries the device's samples: its
-- rule state and its latest values, up to tens of times a second per row under load.
--
-- Room on each page lets PostgreSQL update in place (a HOT update: no index write, and the dead
-- version is pruned on the next visit instead of waiting for VACUUM). The tables hold one row
-- per device, so the space is small.
--
-- The documents become json (kept as text, checked for syntax) instead of jsonb. Nothing in SQL
-- looks inside a rule state, and the latest values are only read whole or by one key with ->>.
-- jsonb converts every number to numeric on the way in and back to text on the way out: for a
-- batch that rewrites the state of every device in it, that conversion was the larger part of
-- the statement's time. The type change rewrites both tables, which applies the fill factor to
-- the existing rows too.
ALTER TABLE device_rule_state SET (fillfactor = 50);
ALTER TABLE device_latest SET (fillfactor = 50);
ALTER TABLE device_rule_state ALTER COLUMN state TYPE json USING state::json;
ALTER TABLE device_latest ALTER COLUMN metrics TYPE json USING metrics::json;

-- Down Migration
ALTER TABLE device_latest ALTER COLUMN metrics TYPE jsonb USING metrics::jsonb;
ALTER TABLE device_rule_state ALTER COLUMN state TYPE jsonb USING state::jsonb;
ALTER TABLE device_latest RESET (fillfactor);
ALTER TABLE device_rule_state RESET (fillfactor);
