-- Every accepted location, partitioned by day of the device's measurement time. Replays of a
-- ping carry the same (driver, session, seq, recorded_at), so the primary key absorbs them.
-- Partitions are created ahead and dropped after the retention period by the workers
-- (server/services/maintain-history-partitions.ts); drizzle-kit cannot express partitioning,
-- so this table is defined in db/history-schema.ts, outside drizzle-kit's schema file.
CREATE TABLE location_history (
  driver_id uuid NOT NULL,
  session_id uuid NOT NULL,
  seq integer NOT NULL,
  recorded_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  accuracy_m real,
  speed_mps real,
  heading_deg real,
  PRIMARY KEY (driver_id, session_id, seq, recorded_at)
) PARTITION BY RANGE (recorded_at);
--> statement-breakpoint
CREATE INDEX location_history_driver_time_idx ON location_history (driver_id, recorded_at);
