-- Up Migration

-- Engagement insight (docs/customer-reports.md §5). One row per meaningful interaction. Deliberately minimal:
-- who (user, and the customer it belongs to), what (kind, feature), when. No IP address, no user
-- agent, no search text. Anonymous public part lookups have neither user nor customer.
-- Retention: rows older than 400 days are deleted by the engagement job (a year of weekly trends).
CREATE TABLE engagement_events (
  id bigserial PRIMARY KEY,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  customer_id text REFERENCES customers(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('login', 'part_lookup', 'report_view', 'report_export', 'request', 'judgment_feedback', 'alarm_ack')),
  feature text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX engagement_events_at_idx ON engagement_events (at);
CREATE INDEX engagement_events_customer_at_idx ON engagement_events (customer_id, at) WHERE customer_id IS NOT NULL;

-- Opt-in weekly email report per user (docs/customer-reports.md §4). Absent row = not subscribed.
CREATE TABLE report_subscriptions (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  weekly_report boolean NOT NULL DEFAULT false,
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'zh-CN')),
  -- Monday (local) of the last week sent: the job is idempotent across restarts and instances.
  last_sent_week date,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS report_subscriptions, engagement_events;
