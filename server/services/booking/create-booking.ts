import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { bookings } from '@/db/schema';
import { DomainError } from '@/domain/errors';
import { checkScheduleTime, serviceAreaResolution } from '@/domain/service-area';
import { type QuoteClaims, verifyQuote } from '../../auth/quote-token';
import { loadSettings } from '../platform/settings';
import type { BookingDeps } from './deps';
import { type BookingRow, eventMessage, recordBookingEvent } from './internal/booking-record';

export interface CreateBookingInput {
  riderId: string;
  quoteToken: string;
  idempotencyKey: string;
  pickupLabel?: string | null;
  dropoffLabel?: string | null;
}

const uniqueViolation = '23505';

function constraintOf(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = e.code ? e : e.cause;
  return pg?.code === uniqueViolation ? pg.constraint : undefined;
}

/**
 * Books the trip a signed quote describes, at its price. Idempotent per rider and key: a retry
 * with the same key and body returns the same booking (also when 50 arrive at once); the same
 * key with a different body is refused (422). The booking row, its history and its event commit
 * together (outbox); dispatch starts right after commit.
 */
export async function createBooking(
  deps: BookingDeps,
  input: CreateBookingInput,
): Promise<{ booking: BookingRow; replayed: boolean }> {
  const now = deps.clock.now();
  const requestHash = createHash('sha256')
    .update(JSON.stringify([input.quoteToken, input.pickupLabel ?? null, input.dropoffLabel ?? null]))
    .digest('hex');
  const replay = async (): Promise<{ booking: BookingRow; replayed: boolean } | null> => {
    const [existing] = await deps.db
      .select()
      .from(bookings)
      .where(and(eq(bookings.riderId, input.riderId), eq(bookings.idempotencyKey, input.idempotencyKey)));
    if (!existing) return null;
    if (existing.requestHash !== requestHash) {
      throw new DomainError('UNPROCESSABLE', 'idempotencyKey: already used for a different booking request', {
        field: 'idempotencyKey',
      });
    }
    return { booking: existing, replayed: true };
  };
  // The first attempt, by far the usual case, costs no read: a replay is found by the unique
  // index the insert trips over (below), or here when the quote no longer passes (a retry after
  // it expired, or after the schedule window moved on, still gets its booking back).
  let quote: QuoteClaims;
  try {
    quote = await verifyQuote(input.quoteToken, deps.quoteSecret, now);
    if (quote.riderId !== input.riderId) {
      throw new DomainError('INVALID_INPUT', 'quoteToken: this quote was made for another account', {
        field: 'quoteToken',
      });
    }
    if (quote.scheduledFor !== null)
      checkScheduleTime(quote.scheduledFor, now, (await loadSettings(deps.db)).schedule);
  } catch (error) {
    const earlier = await replay();
    if (earlier) return earlier;
    throw error;
  }

  let booking: BookingRow;
  try {
    booking = await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(bookings)
        .values({
          riderId: input.riderId,
          vehicleTypeId: quote.vehicleTypeId,
          status: quote.scheduledFor === null ? 'requested' : 'scheduled',
          pickupLat: quote.pickup.lat,
          pickupLng: quote.pickup.lng,
          pickupLabel: input.pickupLabel ?? null,
          dropoffLat: quote.dropoff.lat,
          dropoffLng: quote.dropoff.lng,
          dropoffLabel: input.dropoffLabel ?? null,
          pickupCell: latLngToCell(quote.pickup.lat, quote.pickup.lng, serviceAreaResolution),
          scheduledFor: quote.scheduledFor === null ? null : new Date(quote.scheduledFor),
          fare: quote.fare,
          fareTotal: quote.total,
          currency: quote.currency,
          quoteId: quote.quoteId,
          idempotencyKey: input.idempotencyKey,
          requestHash,
          createdAt: new Date(now),
          updatedAt: new Date(now),
        })
        .returning();
      const message = eventMessage(row!, {
        event: row!.status === 'scheduled' ? 'scheduled' : 'requested',
        previous: null,
        actor: 'rider',
        at: now,
      });
      await recordBookingEvent(tx, row!, message, input.riderId);
      return row!;
    });
  } catch (error) {
    const constraint = constraintOf(error);
    // A concurrent twin with this key may have won on any of the unique indexes (which one a
    // waiting insert trips over first is up to PostgreSQL): if the key exists now, this is a replay.
    if (constraint) {
      const raced = await replay();
      if (raced) return raced;
    }
    if (constraint === 'bookings_quote_key') {
      throw new DomainError(
        'CONFLICT',
        'quoteToken: this quote was already used for a booking; get a new quote',
        {
          field: 'quoteToken',
        },
      );
    }
    if (constraint === 'bookings_one_active_per_rider') {
      throw new DomainError('CONFLICT', 'You already have a trip under way; finish or cancel it first');
    }
    throw error;
  }

  void deps.surge.recordDemand(booking.pickupCell, now).catch(() => undefined);
  if (booking.status === 'requested') {
    await deps.dispatch.assign(booking.id, booking.version);
  } else {
    const settings = await loadSettings(deps.db);
    await deps.dispatch.dispatchScheduled(
      booking.id,
      booking.scheduledFor!.getTime() - settings.schedule.dispatchLeadMs,
    );
  }
  return { booking, replayed: false };
}
