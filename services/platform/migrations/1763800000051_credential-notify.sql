-- Up Migration

-- A rotated token, a disabled device or a deleted one must stop working within seconds, not at
-- the device's next connect: every gateway node LISTENs on airfleet_credentials and closes the
-- device's connection (and forgets its cached credential check). Triggers catch every path:
-- the API, an operator's SQL, a restore. A credential re-hashed to a newer scheme keeps its
-- token and its rotated_at, so it notifies nobody.
CREATE FUNCTION airfleet_notify_credentials() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'device_credentials' THEN
    PERFORM pg_notify('airfleet_credentials', NEW.device_id);
  ELSE
    PERFORM pg_notify('airfleet_credentials', OLD.id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER device_credentials_rotated AFTER UPDATE OF rotated_at ON device_credentials
  FOR EACH ROW WHEN (OLD.rotated_at IS DISTINCT FROM NEW.rotated_at) EXECUTE FUNCTION airfleet_notify_credentials();
CREATE TRIGGER devices_disabled AFTER UPDATE OF enabled ON devices
  FOR EACH ROW WHEN (OLD.enabled AND NOT NEW.enabled) EXECUTE FUNCTION airfleet_notify_credentials();
CREATE TRIGGER devices_deleted AFTER DELETE ON devices
  FOR EACH ROW EXECUTE FUNCTION airfleet_notify_credentials();

-- Down Migration
DROP TRIGGER IF EXISTS devices_deleted ON devices;
DROP TRIGGER IF EXISTS devices_disabled ON devices;
DROP TRIGGER IF EXISTS device_credentials_rotated ON device_credentials;
DROP FUNCTION IF EXISTS airfleet_notify_credentials();
