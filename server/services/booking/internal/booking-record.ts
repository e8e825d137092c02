import { and, eq } from 'drizzle-orm';
import { bookingEvents, bookings } from '@/db/schema';
import {
  type BookingActor,
  type BookingEvent,
  type BookingStatus,
  nextBookingStatus,
} from '@/domain/booking';
import type { BookingEventMessage } from '@/domain/booking-events';
import { DomainError } from '@/domain/errors';
import type { Tx } from '../../../infra/postgres';
import { writeOutbox } from '../../platform/internal/write-outbox';

export type BookingRow = typeof bookings.$inferSelect;

/** The booking, locked for this transaction; null if there is none. */
export async function lockBookingIfAny(tx: Tx, bookingId: string): Promise<BookingRow | null> {
  const [row] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
  return row ?? null;
}

export async function lockBooking(tx: Tx, bookingId: string): Promise<BookingRow> {
  const row = await lockBookingIfAny(tx, bookingId);
  if (!row) throw new DomainError('NOT_FOUND', 'Booking not found');
  return row;
}

const stampFor: Partial<Record<BookingStatus, keyof BookingRow>> = {
  searching: 'searchStartedAt',
  accepted: 'acceptedAt',
  arrived: 'arrivedAt',
  in_progress: 'startedAt',
  completed: 'completedAt',
  cancelled: 'cancelledAt',
};

/** The Kafka message describing `row` right after a change. */
export function eventMessage(
  row: BookingRow,
  change: {
    event: BookingEventMessage['event'];
    previous: BookingStatus | null;
    actor: BookingActor;
    reason?: string | null;
    formerOfferDriverId?: string | null;
    at: number;
  },
): BookingEventMessage {
  return {
    type: 'booking.event',
    bookingId: row.id,
    version: row.version,
    event: change.event,
    status: row.status,
    previous: change.previous,
    actor: change.actor,
    riderId: row.riderId,
    driverId: row.driverId,
    offeredDriverId: row.status === 'offered' ? row.offeredDriverId : null,
    formerOfferDriverId: change.formerOfferDriverId ?? null,
    offerExpiresAt: row.status === 'offered' && row.offerExpiresAt ? row.offerExpiresAt.getTime() : null,
    offerSeq: row.status === 'offered' ? row.offersMade : null,
    vehicleTypeId: row.vehicleTypeId,
    pickup: { lat: row.pickupLat, lng: row.pickupLng, label: row.pickupLabel },
    dropoff: { lat: row.dropoffLat, lng: row.dropoffLng, label: row.dropoffLabel },
    pickupCell: row.pickupCell,
    scheduledFor: row.scheduledFor ? row.scheduledFor.getTime() : null,
    fareTotal: row.fareTotal,
    currency: row.currency,
    reason: change.reason ?? null,
    ...(row.status === 'cancelled' && row.cancellationFee !== null
      ? { cancellationFee: row.cancellationFee }
      : {}),
    at: change.at,
  };
}

/** Records a booking's history row and its outbox event, in the caller's transaction. */
export async function recordBookingEvent(
  tx: Tx,
  row: BookingRow,
  message: BookingEventMessage,
  actorId: string | null,
): Promise<void> {
  await tx.insert(bookingEvents).values({
    bookingId: row.id,
    version: row.version,
    fromStatus: message.previous,
    toStatus: row.status,
    event: message.event,
    actor: message.actor,
    actorId,
    reason: message.reason,
    at: new Date(message.at),
  });
  await writeOutbox(tx, 'bookingEvents', row.id, message);
}

export interface Transition {
  event: BookingEvent;
  actor: BookingActor;
  actorId: string | null;
  reason?: string;
  now: number;
  /** Other columns to change with the status. */
  set?: Partial<typeof bookings.$inferInsert>;
  formerOfferDriverId?: string | null;
}

/**
 * Moves a locked booking through the state machine: status, version, timestamps, history and
 * outbox event, all in the caller's transaction. The version check makes a lost lock impossible
 * to miss.
 */
export async function transitionBooking(tx: Tx, booking: BookingRow, t: Transition): Promise<BookingRow> {
  const to = nextBookingStatus(booking.status, t.event, t.actor);
  const stamp = stampFor[to];
  const [row] = await tx
    .update(bookings)
    .set({
      ...t.set,
      status: to,
      version: booking.version + 1,
      updatedAt: new Date(t.now),
      ...(stamp && !booking[stamp] ? { [stamp]: new Date(t.now) } : {}),
    })
    .where(and(eq(bookings.id, booking.id), eq(bookings.version, booking.version)))
    .returning();
  if (!row) throw new DomainError('CONFLICT', 'The booking changed meanwhile; try again');
  const message = eventMessage(row, {
    event: t.event,
    previous: booking.status,
    actor: t.actor,
    reason: t.reason ?? null,
    formerOfferDriverId: t.formerOfferDriverId ?? null,
    at: t.now,
  });
  await recordBookingEvent(tx, row, message, t.actorId);
  return row;
}
