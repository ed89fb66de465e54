-- Up Migration
-- Raw judgment acknowledgements as devices send them; judgments themselves arrive with the rules engine.
CREATE TABLE device_acks (
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  judgment_id text NOT NULL,
  ts timestamptz NOT NULL,
  result text NOT NULL CHECK (result IN ('applied', 'rejected', 'ignored')),
  reason text,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, judgment_id, ts)
);

-- Down Migration
DROP TABLE IF EXISTS device_acks;
