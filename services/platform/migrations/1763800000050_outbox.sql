-- Up Migration

-- The outbox: what a committed transaction tells the other processes (alarms raised or
-- cleared, judgments issued or acknowledged, device status and events, which devices have new
-- values). It is written in the same transaction as the change it describes, so a crash between
-- COMMIT and delivery loses nothing: consumers catch up from the table.
--
-- Readers page by (txid, id), and only over transactions older than every one still running
-- (txid < pg_snapshot_xmin(pg_current_snapshot())). A bigserial alone is not enough: two
-- gateways commit in a different order than they drew ids, and a reader that moved past an id
-- would never see the row that commits later with a smaller one.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  created_at timestamptz NOT NULL DEFAULT now(),
  event jsonb NOT NULL
);
CREATE INDEX outbox_txid_id_idx ON outbox (txid, id);
CREATE INDEX outbox_created_at_idx ON outbox (created_at);

-- Durable cursors of the once-only consumers (notifications, work-order audit). Live channels
-- keep theirs in memory: a restarted browser tab does not need what it missed.
CREATE TABLE outbox_cursors (
  consumer text PRIMARY KEY,
  txid xid8 NOT NULL,
  last_id bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS outbox_cursors;
DROP TABLE IF EXISTS outbox;
