import { doublePrecision, integer, pgTable, real, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The partitioned location history (created by db/migrations/0002_location_history.sql).
 * Kept out of db/schema.ts so drizzle-kit does not try to manage it as a plain table.
 */
export const locationHistory = pgTable('location_history', {
  driverId: uuid('driver_id').notNull(),
  sessionId: uuid('session_id').notNull(),
  seq: integer('seq').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  accuracyM: real('accuracy_m'),
  speedMps: real('speed_mps'),
  headingDeg: real('heading_deg'),
});
