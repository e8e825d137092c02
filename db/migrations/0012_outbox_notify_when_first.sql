-- A NOTIFY takes a database-wide lock at commit, so notifying transactions commit one at a time
-- (pgbench here, 8 clients inserting one row each: 5,300 tps without the trigger, 570 with a
-- NOTIFY per transaction). Notify only the transaction that finds no older event waiting: while
-- events wait, the relay is either at work or about to be, and takes a further batch a moment
-- after each one (workers/outbox-relay-loop.ts, ADR 0017). Deferred to commit time, so the check
-- sees what other transactions committed up to the last moment.
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
--> statement-breakpoint
DROP FUNCTION IF EXISTS outbox_notify();
--> statement-breakpoint
CREATE FUNCTION outbox_notify_when_first() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM outbox WHERE id < NEW.id) THEN
    PERFORM pg_notify('outbox', '');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER outbox_notify_when_first AFTER INSERT ON outbox
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outbox_notify_when_first();
