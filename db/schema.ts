import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accountStatuses } from '@/domain/account';
import { bookingActors, bookingStatuses } from '@/domain/booking';
import { availabilityActors, availabilityStates } from '@/domain/driver-availability';
import { documentStatuses, vehicleStatuses } from '@/domain/fleet';
import { roles } from '@/domain/roles';

/**
 * A value list for a check constraint, from the same list the column's type comes from. It
 * renders exactly as the lists written by hand in the migrations ('a','b'), so moving a list
 * here changes no SQL; changing a list in domain/ needs a migration (drizzle-kit generate).
 */
const sqlList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased; the unique index makes sign-up races impossible. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: roles }).notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Encrypted at rest (server/infra/field-cipher.ts envelope, bound to this row); null if not given. */
    phone: text('phone'),
    status: text('status', { enum: accountStatuses }).notNull().default('active'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    check('users_role_check', sql`${t.role} in (${sqlList(roles)})`),
    check('users_status_check', sql`${t.status} in (${sqlList(accountStatuses)})`),
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
  /** Retired types are kept (old bookings name them) but cannot be quoted or given to vehicles. */
  active: boolean('active').notNull().default(true),
});

export const drivers = pgTable(
  'drivers',
  {
    /** A driver is a user; the ids are the same. */
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Encrypted at rest (server/infra/field-cipher.ts envelope, bound to this row). */
    licenseNumber: text('license_number').notNull(),
    availability: text('availability', { enum: availabilityStates }).notNull().default('offline'),
    availabilityChangedAt: timestamp('availability_changed_at', { withTimezone: true })
      .notNull()
      .defaultNow(),
    /** Bumped on every transition; the live index and clients drop anything older. */
    availabilityVersion: integer('availability_version').notNull().default(0),
    /** The open duty session while online; null when offline. */
    dutySessionId: uuid('duty_session_id'),
    /** Onboarding: a driver goes on duty only once an admin verified their documents. */
    documentStatus: text('document_status', { enum: documentStatuses }).notNull().default('verified'),
    documentNote: text('document_note'),
  },
  (t) => [
    check('drivers_availability_check', sql`${t.availability} in (${sqlList(availabilityStates)})`),
    check('drivers_session_when_online', sql`(${t.availability} = 'offline') = (${t.dutySessionId} is null)`),
    check('drivers_document_status_check', sql`${t.documentStatus} in (${sqlList(documentStatuses)})`),
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
    status: text('status', { enum: vehicleStatuses }).notNull().default('active'),
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
    actor: text('actor', { enum: availabilityActors }).notNull(),
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
  /** W3C trace context (traceparent, tracestate) of the change, sent on as Kafka headers; null if untraced. */
  headers: jsonb('headers').$type<Record<string, string>>(),
  createdAt: createdAt(),
});

/** Per vehicle type, in minor units of the city's currency. Admins edit these; quotes read them. */
export const fareTables = pgTable(
  'fare_tables',
  {
    vehicleTypeId: text('vehicle_type_id')
      .primaryKey()
      .references(() => vehicleTypes.id, { onDelete: 'cascade' }),
    baseFare: integer('base_fare').notNull(),
    perKm: integer('per_km').notNull(),
    perMinute: integer('per_minute').notNull(),
    minimumFare: integer('minimum_fare').notNull(),
    bookingFee: integer('booking_fee').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'fare_tables_non_negative',
      sql`${t.baseFare} >= 0 and ${t.perKm} >= 0 and ${t.perMinute} >= 0 and ${t.minimumFare} >= 0 and ${t.bookingFee} >= 0`,
    ),
  ],
);

export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    riderId: uuid('rider_id')
      .notNull()
      .references(() => users.id),
    vehicleTypeId: text('vehicle_type_id')
      .notNull()
      .references(() => vehicleTypes.id),
    status: text('status', { enum: bookingStatuses }).notNull(),
    /** Bumped on every transition; clients drop updates they already have. */
    version: integer('version').notNull().default(1),
    pickupLat: doublePrecision('pickup_lat').notNull(),
    pickupLng: doublePrecision('pickup_lng').notNull(),
    pickupLabel: text('pickup_label'),
    dropoffLat: doublePrecision('dropoff_lat').notNull(),
    dropoffLng: doublePrecision('dropoff_lng').notNull(),
    dropoffLabel: text('dropoff_label'),
    /** H3 res-7 cell of the pickup: demand for surge, analytics. */
    pickupCell: text('pickup_cell').notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    /** The locked fare breakdown from the signed quote. */
    fare: jsonb('fare').notNull(),
    fareTotal: integer('fare_total').notNull(),
    currency: text('currency').notNull(),
    quoteId: uuid('quote_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    driverId: uuid('driver_id').references(() => drivers.userId),
    vehicleId: uuid('vehicle_id').references(() => vehicles.id),
    offeredDriverId: uuid('offered_driver_id').references(() => drivers.userId),
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    offersMade: integer('offers_made').notNull().default(0),
    searchStartedAt: timestamp('search_started_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: text('cancelled_by'),
    cancelReason: text('cancel_reason'),
    cancellationFee: integer('cancellation_fee'),
    /** A scheduled booking still without a driver close to pickup: on the dispatchers' board. */
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('bookings_status_check', sql`${t.status} in (${sqlList(bookingStatuses)})`),
    uniqueIndex('bookings_rider_idempotency_key').on(t.riderId, t.idempotencyKey),
    uniqueIndex('bookings_quote_key').on(t.quoteId),
    // The invariants of dispatch, enforced by the database rather than by care:
    // a driver has at most one active booking, and at most one offer ringing at a time.
    uniqueIndex('bookings_one_active_per_driver')
      .on(t.driverId)
      .where(sql`${t.status} in ('accepted','arrived','in_progress')`),
    uniqueIndex('bookings_one_offer_per_driver').on(t.offeredDriverId).where(sql`${t.status} = 'offered'`),
    // And a rider has at most one immediate trip under way. Scheduled bookings are apart: one
    // falling due while the rider is on another trip (an outbound and a return) must still go out.
    uniqueIndex('bookings_one_active_per_rider')
      .on(t.riderId)
      .where(
        sql`${t.status} in ('requested','searching','offered','accepted','arrived','in_progress') and ${t.scheduledFor} is null`,
      ),
    check(
      'bookings_driver_when_active',
      sql`${t.status} not in ('accepted','arrived','in_progress','completed') or ${t.driverId} is not null`,
    ),
    index('bookings_status_schedule_idx').on(t.status, t.scheduledFor),
    index('bookings_rider_created_idx').on(t.riderId, t.createdAt),
  ],
);

/** Every booking transition: who, when, why; the version after it. */
export const bookingEvents = pgTable(
  'booking_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    event: text('event').notNull(),
    actor: text('actor', { enum: bookingActors }).notNull(),
    actorId: uuid('actor_id'),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('booking_events_version_key').on(t.bookingId, t.version)],
);

/** The candidates of each search round, ranked, with why: what dispatchers see of an assignment. */
export const bookingCandidates = pgTable(
  'booking_candidates',
  {
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    driverId: uuid('driver_id').notNull(),
    rank: integer('rank').notNull(),
    etaS: integer('eta_s').notNull(),
    distanceM: integer('distance_m').notNull(),
    idleS: integer('idle_s').notNull(),
    score: doublePrecision('score').notNull(),
    reason: text('reason').notNull(),
    /** offered, skipped (no longer available), or null (not reached). Then the offer's outcome. */
    outcome: text('outcome'),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.round, t.driverId] })],
);

/** Run-time platform settings (service area, surge caps, policies), JSON per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per booking, projected from `booking.events` by the workers (analytics reads this, never
 * the live tables). Applied idempotently by version: a redelivered event changes nothing, so
 * `events_applied` counts each committed transition exactly once.
 */
export const tripFacts = pgTable(
  'trip_facts',
  {
    bookingId: uuid('booking_id').primaryKey(),
    version: integer('version').notNull(),
    eventsApplied: integer('events_applied').notNull(),
    status: text('status').notNull(),
    riderId: uuid('rider_id').notNull(),
    driverId: uuid('driver_id'),
    vehicleTypeId: text('vehicle_type_id').notNull(),
    pickupCell: text('pickup_cell').notNull(),
    fareTotal: integer('fare_total').notNull(),
    currency: text('currency').notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: text('cancelled_by'),
    offers: integer('offers').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('trip_facts_requested_idx').on(t.requestedAt), index('trip_facts_status_idx').on(t.status)],
);

/**
 * Security and administration events (sign-ins and failures, role changes, suspensions, settings
 * changes, a dispatcher opening a driver's history): who did what to what, when and from where.
 * Append-only; admins read it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').notNull().default({}),
    ip: text('ip'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_action_idx').on(t.action, t.at)],
);

// ---------------------------------------------------------------------------------------------
// Analytics rollups, kept by the workers' `analytics` consumer from `booking.events` and
// `driver.events` (workers/analytics-consumer.ts). Every table below except the supply samples is
// derived from Kafka alone and is emptied and rebuilt by `npm run analytics:rebuild`.
// Hours and 5-minute buckets are UTC-aligned instants.
// ---------------------------------------------------------------------------------------------

/**
 * One row (id 1): the rollups' generation. A rebuild empties the rollups and bumps it in one
 * transaction; consumers read from the group `analytics.g<generation>` and apply a batch only
 * while the generation is still theirs (checked under a share lock), so no batch of an older
 * consumer can land in the rebuilt tables.
 */
export const analyticsState = pgTable(
  'analytics_state',
  {
    id: integer('id').primaryKey(),
    generation: integer('generation').notNull(),
    rebuiltAt: timestamp('rebuilt_at', { withTimezone: true }),
  },
  (t) => [check('analytics_state_single_row', sql`${t.id} = 1`)],
);

/** The next offset to read per topic partition, written with each applied batch: rebuild progress. */
export const analyticsOffsets = pgTable(
  'analytics_offsets',
  {
    topic: text('topic').notNull(),
    partition: integer('partition').notNull(),
    nextOffset: bigint('next_offset', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.partition] })],
);

/**
 * One row per booking, folded from its events in version order (an event applies only if newer
 * than `version`: redeliveries change nothing). Holds what percentiles need at query time and
 * what the hourly counters are moved by.
 */
export const analyticsBookings = pgTable(
  'analytics_bookings',
  {
    bookingId: uuid('booking_id').primaryKey(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    vehicleTypeId: text('vehicle_type_id').notNull(),
    pickupCell: text('pickup_cell').notNull(),
    fareTotal: integer('fare_total').notNull(),
    currency: text('currency').notNull(),
    driverId: uuid('driver_id'),
    /** When it was booked (requested or scheduled): its cohort hour. Null if that event left the topic before a rebuild. */
    createdAt: timestamp('created_at', { withTimezone: true }),
    scheduled: boolean('scheduled').notNull(),
    /** When the rider began waiting for a driver: the request, or a scheduled booking's first dispatch. */
    waitFrom: timestamp('wait_from', { withTimezone: true }),
    firstAcceptedAt: timestamp('first_accepted_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** wait_from → first acceptance. */
    assignMs: integer('assign_ms'),
    /** The accepted offer's pickup ETA (its booking_candidates.eta_s) and what it took: accepted → arrived. */
    promisedEtaS: integer('promised_eta_s'),
    pickupMs: integer('pickup_ms'),
    offers: integer('offers').notNull(),
    cancelledBy: text('cancelled_by'),
    cancelReason: text('cancel_reason'),
    cancellationFee: integer('cancellation_fee'),
  },
  (t) => [index('analytics_bookings_created_idx').on(t.createdAt)],
);

/** Bookings made in each hour, by their current status (a booking moves between rows as it progresses). */
export const analyticsBookingsHourly = pgTable(
  'analytics_bookings_hourly',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    status: text('status').notNull(),
    bookings: integer('bookings').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.status] })],
);

/** Completed fares by hour of completion, and cancellation fees by hour of cancellation, in minor units. */
export const analyticsRevenueHourly = pgTable(
  'analytics_revenue_hourly',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    vehicleTypeId: text('vehicle_type_id').notNull(),
    currency: text('currency').notNull(),
    trips: integer('trips').notNull(),
    fares: bigint('fares', { mode: 'number' }).notNull(),
    feesCharged: integer('fees_charged').notNull(),
    fees: bigint('fees', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.vehicleTypeId, t.currency] })],
);

/** Cancellation events by hour, actor and reason; `ended` counts those that ended the booking (a driver's cancel before pickup re-matches it). */
export const analyticsCancellationsHourly = pgTable(
  'analytics_cancellations_hourly',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    cancellations: integer('cancellations').notNull(),
    ended: integer('ended').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.actor, t.reason] })],
);

/** Demand per H3 res-7 pickup cell and 5 minutes: riders starting to wait, and searches that found no driver. */
export const analyticsCellDemand = pgTable(
  'analytics_cell_demand',
  {
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    cell: text('cell').notNull(),
    requests: integer('requests').notNull(),
    unserved: integer('unserved').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.cell] })],
);

/** Per driver and hour: milliseconds in each on-duty state (offline is not counted) and offer outcomes. */
export const analyticsDriverHourly = pgTable(
  'analytics_driver_hourly',
  {
    driverId: uuid('driver_id').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    availableMs: bigint('available_ms', { mode: 'number' }).notNull(),
    pausedMs: bigint('paused_ms', { mode: 'number' }).notNull(),
    offeredMs: bigint('offered_ms', { mode: 'number' }).notNull(),
    enRouteMs: bigint('en_route_ms', { mode: 'number' }).notNull(),
    onTripMs: bigint('on_trip_ms', { mode: 'number' }).notNull(),
    offers: integer('offers').notNull(),
    accepted: integer('accepted').notNull(),
    declined: integer('declined').notNull(),
    expired: integer('expired').notNull(),
    trips: integer('trips').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.driverId, t.hour] }),
    index('analytics_driver_hourly_hour_idx').on(t.hour),
  ],
);

/**
 * Each driver's last applied availability event: its version (older or repeated events change
 * nothing) and the state it began, whose time is credited when the next version arrives.
 */
export const analyticsDriverCursor = pgTable('analytics_driver_cursor', {
  driverId: uuid('driver_id').primaryKey(),
  version: integer('version').notNull(),
  state: text('state').notNull(),
  since: timestamp('since', { withTimezone: true }).notNull(),
});

/**
 * Supply (available drivers per res-7 cell, from the surge store) sampled once a minute. Not in
 * Kafka, so a rebuild keeps it. Average supply = supply_sum ÷ the bucket's `samples`.
 */
export const analyticsCellSupply = pgTable(
  'analytics_cell_supply',
  {
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    cell: text('cell').notNull(),
    supplySum: integer('supply_sum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.cell] })],
);

/** Which minutes of each 5-minute bucket were sampled (bit per minute), so a repeated sample adds nothing. */
export const analyticsSupplySamples = pgTable('analytics_supply_samples', {
  bucket: timestamp('bucket', { withTimezone: true }).primaryKey(),
  minutes: integer('minutes').notNull(),
  samples: integer('samples').notNull(),
});
