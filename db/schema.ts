import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased; the unique index makes sign-up races impossible. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['rider', 'driver', 'dispatcher', 'admin'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    check('users_role_check', sql`${t.role} in ('rider','driver','dispatcher','admin')`),
    check('users_status_check', sql`${t.status} in ('active','suspended')`),
  ],
);

/**
 * One row per sign-in. JWT session cookies carry this id, and every request checks the row,
 * so logout, suspension and role changes take effect at once (a JWT alone cannot be revoked).
 */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);

export const vehicleTypes = pgTable('vehicle_types', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  seats: integer('seats').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
});

export const drivers = pgTable(
  'drivers',
  {
    /** A driver is a user; the ids are the same. */
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    licenseNumber: text('license_number').notNull(),
    availability: text('availability', {
      enum: ['offline', 'available', 'paused', 'offered', 'en_route', 'on_trip'],
    })
      .notNull()
      .default('offline'),
    availabilityChangedAt: timestamp('availability_changed_at', { withTimezone: true })
      .notNull()
      .defaultNow(),
    /** Bumped on every transition; the live index and clients drop anything older. */
    availabilityVersion: integer('availability_version').notNull().default(0),
    /** The open duty session while online; null when offline. */
    dutySessionId: uuid('duty_session_id'),
  },
  (t) => [
    check(
      'drivers_availability_check',
      sql`${t.availability} in ('offline','available','paused','offered','en_route','on_trip')`,
    ),
    check('drivers_session_when_online', sql`(${t.availability} = 'offline') = (${t.dutySessionId} is null)`),
  ],
);

export const vehicles = pgTable(
  'vehicles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    plate: text('plate').notNull(),
    vehicleTypeId: text('vehicle_type_id')
      .notNull()
      .references(() => vehicleTypes.id),
    make: text('make').notNull(),
    model: text('model').notNull(),
    color: text('color').notNull(),
    capacity: integer('capacity').notNull(),
    status: text('status', { enum: ['active', 'maintenance', 'retired'] })
      .notNull()
      .default('active'),
    /** At most one vehicle per driver, enforced by the unique index. */
    driverId: uuid('driver_id').references(() => drivers.userId, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('vehicles_plate_key').on(t.plate),
    uniqueIndex('vehicles_driver_key').on(t.driverId),
    check('vehicles_capacity_check', sql`${t.capacity} between 1 and 20`),
  ],
);

/** A driver's time on duty, from going online to going offline. Location sequence numbers restart per session. */
export const dutySessions = pgTable(
  'duty_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => drivers.userId, { onDelete: 'cascade' }),
    vehicleId: uuid('vehicle_id').references(() => vehicles.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
  },
  (t) => [index('duty_sessions_driver_idx').on(t.driverId, t.startedAt)],
);

/** Every availability transition: who, when, why. */
export const availabilityChanges = pgTable(
  'availability_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => drivers.userId, { onDelete: 'cascade' }),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    event: text('event').notNull(),
    actor: text('actor', { enum: ['driver', 'system', 'dispatch'] }).notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('availability_changes_driver_idx').on(t.driverId, t.at)],
);

/**
 * Transactional outbox: events are written in the same transaction as the state they describe
 * and published to Kafka by the relay in the workers, so none is lost and none is phantom.
 */
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** A key of `topicSpecs` (server/infra/kafka.ts), not a full topic name: prefixes differ per environment. */
  topic: text('topic').notNull(),
  key: text('key').notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: createdAt(),
});
