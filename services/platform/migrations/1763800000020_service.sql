-- Up Migration

-- Service team (inbox, work orders) and customer requests (docs/architecture.md §5.1).

-- Customer requests: a service visit or a parts quote for one machine. The status and its
-- latest note are what the customer sees.
CREATE TABLE service_requests (
  id bigserial PRIMARY KEY,
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('service', 'parts_quote')),
  message text NOT NULL,
  -- {parts:[{partNumber, quantity}], kit:{modelId, level, partNumbers}}, as validated by the contract.
  attachment jsonb,
  status text NOT NULL CHECK (status IN ('open', 'in_review', 'quoted', 'scheduled', 'closed', 'rejected')),
  status_note text,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_requests_device_idx ON service_requests (device_id, created_at DESC);
CREATE INDEX service_requests_open_idx ON service_requests (status) WHERE status NOT IN ('closed', 'rejected');

CREATE TABLE work_orders (
  id bigserial PRIMARY KEY,
  device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  level text CHECK (level IN ('first', 'A', 'B', 'C')),
  status text NOT NULL CHECK (status IN ('open', 'scheduled', 'in_progress', 'done', 'cancelled')),
  -- The inbox item it came from (`alarm:12`, `maintenance:<device>:A`, `request:7`, …).
  item_key text,
  request_id bigint REFERENCES service_requests(id) ON DELETE SET NULL,
  parts_planned jsonb NOT NULL DEFAULT '[]'::jsonb,
  scheduled_for timestamptz,
  technician_id uuid REFERENCES users(id) ON DELETE SET NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text,
  -- What was done: {runningHours, level, partsUsed, notes, technicianId}.
  completion jsonb,
  -- The service_reset judgment sent on completion; its status and ack are the device's answer.
  judgment_id text REFERENCES judgments(id) ON DELETE SET NULL,
  CHECK ((status = 'done') = (completion IS NOT NULL))
);
-- One live work order per inbox item: a second "create from item" finds the first.
CREATE UNIQUE INDEX work_orders_item_live_idx ON work_orders (item_key) WHERE item_key IS NOT NULL AND status IN ('open', 'scheduled', 'in_progress');
CREATE INDEX work_orders_device_idx ON work_orders (device_id, created_at DESC);
CREATE INDEX work_orders_status_idx ON work_orders (status, scheduled_for);
CREATE INDEX work_orders_technician_idx ON work_orders (technician_id) WHERE technician_id IS NOT NULL;

-- Inbox items are computed, not stored; only who is on them is.
CREATE TABLE inbox_assignments (
  item_key text PRIMARY KEY,
  assignee_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  assigned_by uuid REFERENCES users(id) ON DELETE SET NULL,
  assigned_at timestamptz NOT NULL DEFAULT now()
);

-- Every change by people or devices: who, when, what (before/after per field). Append-only.
CREATE TABLE service_audit (
  id bigserial PRIMARY KEY,
  entity text NOT NULL CHECK (entity IN ('work_order', 'request', 'inbox_item')),
  entity_id text NOT NULL,
  action text NOT NULL,
  actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
  at timestamptz NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX service_audit_entity_idx ON service_audit (entity, entity_id, id);

-- Down Migration
DROP TABLE IF EXISTS service_audit, inbox_assignments, work_orders, service_requests;
