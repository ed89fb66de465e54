-- Up Migration

-- Rule state per device (docs/architecture.md §5): thresholds' "since" instants, the starts window,
-- daily ADT aggregates, … as one jsonb document. Written inside the ingest transaction
-- (SELECT … FOR UPDATE), so a restart or a second ingest worker resumes from the same state.
CREATE TABLE device_rule_state (
  device_id text PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  state jsonb NOT NULL,
  -- Newest sample timestamp the rules have seen: older samples are out of order (no live alarms).
  newest_ts timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Last service per plan level (docs/domain.md §5). Seeded at first sight from the counters so a
-- brand-new install does not alarm on day one; a service_reset judgment records a real service.
CREATE TABLE device_service (
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  level text NOT NULL CHECK (level IN ('first', 'A', 'B', 'C')),
  last_hours double precision NOT NULL,
  last_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('seed', 'service')),
  -- 'first' is a one-off: once done it never comes due again.
  done boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, level)
);

CREATE TABLE alarms (
  id bigserial PRIMARY KEY,
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  type text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
  source text NOT NULL CHECK (source IN ('rule', 'device', 'connectivity', 'service')),
  message text NOT NULL,
  state text NOT NULL CHECK (state IN ('active', 'cleared')),
  acknowledged boolean NOT NULL DEFAULT false,
  -- Repeats of an active alarm update it instead of duplicating it.
  count integer NOT NULL DEFAULT 1,
  value double precision,
  threshold double precision,
  details jsonb,
  -- Event time (sample / event timestamps), not receive time.
  started_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  ended_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES users(id) ON DELETE SET NULL,
  cleared_at timestamptz,
  -- NULL with cleared_at set: cleared by the system when the condition ended.
  cleared_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One active alarm per (device, type): the upsert's conflict target.
CREATE UNIQUE INDEX alarms_one_active_idx ON alarms (device_id, type) WHERE state = 'active';
CREATE INDEX alarms_device_idx ON alarms (device_id, started_at DESC);
CREATE INDEX alarms_state_idx ON alarms (state, severity);

CREATE TABLE judgments (
  id text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 64),
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('maintenance_due', 'setpoint_advice', 'derate', 'inspect', 'shutdown_request', 'service_reset')),
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning', 'info')),
  reason text NOT NULL,
  params jsonb NOT NULL,
  -- Same kind + same key = the same advice: not sent again while an equivalent one stands.
  dedupe_key text NOT NULL,
  source text NOT NULL CHECK (source IN ('rule', 'fleet', 'manual')),
  alarm_id bigint REFERENCES alarms(id) ON DELETE SET NULL,
  ts timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'applied', 'rejected', 'ignored', 'expired')),
  status_reason text,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  first_sent_at timestamptz,
  last_sent_at timestamptz,
  send_count integer NOT NULL DEFAULT 0,
  ack_ts timestamptz,
  ack_result text CHECK (ack_result IN ('applied', 'rejected', 'ignored')),
  ack_reason text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One open (not yet answered) judgment per (device, kind).
CREATE UNIQUE INDEX judgments_one_open_idx ON judgments (device_id, kind) WHERE status IN ('pending', 'sent');
CREATE INDEX judgments_device_idx ON judgments (device_id, created_at DESC);
CREATE INDEX judgments_open_expiry_idx ON judgments (expires_at) WHERE status IN ('pending', 'sent');

-- People rate judgments (SMARTLINK's like/dislike): one rating per user per judgment, updatable.
CREATE TABLE judgment_feedback (
  judgment_id text NOT NULL REFERENCES judgments(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  useful boolean NOT NULL,
  comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (judgment_id, user_id)
);

-- Down Migration
DROP TABLE IF EXISTS judgment_feedback, judgments, alarms, device_service, device_rule_state;
