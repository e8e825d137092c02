-- The primary key (driver_id, session_id, seq, recorded_at) already serves per-driver lookups,
-- and daily partitions bound them in time; the extra (driver_id, recorded_at) index doubled the
-- cost of every one of ~25k inserts a second (telemetry benchmark profile) for no query we run.
DROP INDEX IF EXISTS location_history_driver_time_idx;
