-- Up Migration

-- A work order made from an inbox item keeps what the item is about as data (alarm type, plan
-- level, condition task, request kind, fleet check: the contract's inboxSubjectSchema), so
-- readers see its title and description in their own language. The stored title and
-- description stay the English wording for API users; the flags say whether they still are
-- that wording (false once a person typed their own).
ALTER TABLE work_orders
  ADD COLUMN subject jsonb,
  ADD COLUMN title_generated boolean NOT NULL DEFAULT false,
  ADD COLUMN description_generated boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE work_orders DROP COLUMN IF EXISTS subject, DROP COLUMN IF EXISTS title_generated, DROP COLUMN IF EXISTS description_generated;
