-- Up Migration

-- Notifications (docs/notifications.md): per-user preferences, webhook endpoints, one log row per
-- notification per recipient (the delivery queue and the audit trail at once), and the
-- escalation state of critical alarms.

-- No row = the role's defaults apply (notification-policy.domain.ts).
CREATE TABLE notification_preferences (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  kinds text[] NOT NULL,
  min_severity text NOT NULL CHECK (min_severity IN ('critical', 'major', 'minor', 'warning', 'info')),
  email_enabled boolean NOT NULL,
  delivery text NOT NULL CHECK (delivery IN ('immediate', 'digest')),
  digest_hour_utc smallint NOT NULL CHECK (digest_hour_utc BETWEEN 0 AND 23),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The secret must stay readable to sign deliveries (HMAC needs the key itself, a hash would
-- not do); the API returns it once at creation and the logger never sees it. Deleting an
-- endpoint keeps the row (deleted_at) so the log keeps pointing at it.
CREATE TABLE webhooks (
  id bigserial PRIMARY KEY,
  url text NOT NULL,
  description text,
  secret text NOT NULL,
  kinds text[] NOT NULL DEFAULT '{}',
  customer_id text REFERENCES customers(id) ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);

CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('alarm', 'service_due', 'inspection', 'work_order', 'service_request', 'escalation', 'report', 'digest', 'test')),
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning', 'info')),
  channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dead', 'skipped', 'digest_queued')),
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  webhook_id bigint REFERENCES webhooks(id) ON DELETE CASCADE,
  -- `user:<id>` or `webhook:<id>`: the deduplication key's second half.
  recipient_key text NOT NULL,
  -- The email address or URL at the time: the log stays readable if the recipient changes.
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  -- Webhook JSON body (also the event data for emails); rendered once so retries send the same bytes.
  payload jsonb NOT NULL DEFAULT '{}',
  device_id text,
  customer_id text,
  ref_type text,
  ref_id text,
  escalation_level integer NOT NULL DEFAULT 0,
  -- Same event, same recipient: one notification (an alarm repeat must not re-notify).
  dedupe_key text,
  -- Rows folded into a daily digest point at the digest mail's row.
  digest_id bigint REFERENCES notifications(id) ON DELETE SET NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  CHECK ((channel = 'email' AND user_id IS NOT NULL AND webhook_id IS NULL) OR (channel = 'webhook' AND webhook_id IS NOT NULL AND user_id IS NULL))
);
CREATE UNIQUE INDEX notifications_dedupe_idx ON notifications (dedupe_key, recipient_key) WHERE dedupe_key IS NOT NULL;
-- The worker's queue: only rows still to deliver are indexed.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('pending', 'failed');
CREATE INDEX notifications_digest_queue_idx ON notifications (user_id) WHERE status = 'digest_queued' AND digest_id IS NULL;
CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_digest_idx ON notifications (digest_id) WHERE digest_id IS NOT NULL;

-- A critical alarm's escalation: the level notified so far and when the next level is due.
-- Timed on the platform's clock from the first notice, not on device event time.
CREATE TABLE notification_escalations (
  alarm_id bigint PRIMARY KEY REFERENCES alarms(id) ON DELETE CASCADE,
  device_id text NOT NULL,
  customer_id text,
  level integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  next_at timestamptz,
  resolved_at timestamptz,
  -- acknowledged | cleared | top_level
  resolution text
);
CREATE INDEX notification_escalations_due_idx ON notification_escalations (next_at) WHERE resolved_at IS NULL;

-- Down Migration
DROP TABLE IF EXISTS notification_escalations, notifications, webhooks, notification_preferences;
