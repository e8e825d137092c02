-- Web and realtime keep each open session's principal in memory (ADR 0016); these triggers tell
-- them, at commit, that one may have changed: a session revoked, shortened or removed ('s:<id>'),
-- a user whose role, status, e-mail or name changed or who was removed ('u:<id>'). Whoever
-- writes the change (sign-out, an admin, a script, psql), the caches hear of it.
CREATE OR REPLACE FUNCTION auth_session_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('auth_changed', 's:' || OLD.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER auth_session_changed AFTER UPDATE ON auth_sessions FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION auth_session_changed();
--> statement-breakpoint
CREATE TRIGGER auth_session_removed AFTER DELETE ON auth_sessions FOR EACH ROW
  EXECUTE FUNCTION auth_session_changed();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_user_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('auth_changed', 'u:' || OLD.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER auth_user_changed AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION auth_user_changed();
--> statement-breakpoint
CREATE TRIGGER auth_user_removed AFTER DELETE ON users FOR EACH ROW
  EXECUTE FUNCTION auth_user_changed();
