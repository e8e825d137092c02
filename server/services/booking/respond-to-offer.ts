import { eq } from 'drizzle-orm';
import { vehicles } from '@/db/schema';
import { DomainError, isDomainError } from '@/domain/errors';
import { changeAvailabilityInTx, publishToLiveIndex } from '../driver/internal/availability-change';
import type { BookingDeps } from './deps';
import { type BookingRow, lockBookingIfAny, transitionBooking } from './internal/booking-record';
import { markCandidate } from './internal/candidates';

/**
 * A driver who lost the offer while it rang (heartbeat lost: offline, maybe back online since) gets
 * the same answer as anyone else whose offer is over.
 */
function stillOffered<T>(change: Promise<T>): Promise<T> {
  return change.catch((error: unknown) => {
    if (isDomainError(error) && error.code === 'CONFLICT') {
      throw new DomainError('CONFLICT', 'This offer is no longer open');
    }
    throw error;
  });
}

/**
 * A driver accepts or declines the offer ringing on their phone. Only the driver the booking is
 * offered to, only while the offer is open: anything else gets the same "no longer open", which
 * also tells nothing about other drivers' offers. Accepting binds driver and vehicle to the
 * booking (unique index: one active trip per driver); declining sends dispatch to the next.
 */
export async function respondToOffer(
  deps: BookingDeps,
  input: { driverId: string; bookingId: string; accept: boolean },
): Promise<BookingRow> {
  const now = deps.clock.now();
  const { row, entry } = await deps.db.transaction(async (tx) => {
    const booking = await lockBookingIfAny(tx, input.bookingId);
    if (booking?.status !== 'offered' || booking.offeredDriverId !== input.driverId) {
      throw new DomainError('CONFLICT', 'This offer is no longer open');
    }
    if (booking.offerExpiresAt && now >= booking.offerExpiresAt.getTime()) {
      throw new DomainError('CONFLICT', 'This offer has expired');
    }
    if (input.accept) {
      const [vehicle] = await tx
        .select({ id: vehicles.id })
        .from(vehicles)
        .where(eq(vehicles.driverId, input.driverId));
      const { entry } = await stillOffered(
        changeAvailabilityInTx(
          tx,
          { driverId: input.driverId, event: 'offer_accepted', actor: 'driver', expectedState: 'offered' },
          now,
        ),
      );
      const row = await transitionBooking(tx, booking, {
        event: 'offer_accepted',
        actor: 'driver',
        actorId: input.driverId,
        now,
        set: {
          driverId: input.driverId,
          vehicleId: vehicle?.id ?? null,
          offeredDriverId: null,
          offerExpiresAt: null,
        },
      });
      await markCandidate(tx, input.bookingId, input.driverId, 'accepted');
      return { row, entry };
    }
    const { entry } = await stillOffered(
      changeAvailabilityInTx(
        tx,
        { driverId: input.driverId, event: 'offer_declined', actor: 'driver', expectedState: 'offered' },
        now,
      ),
    );
    const row = await transitionBooking(tx, booking, {
      event: 'offer_declined',
      actor: 'driver',
      actorId: input.driverId,
      now,
      set: { offeredDriverId: null, offerExpiresAt: null },
      formerOfferDriverId: input.driverId,
    });
    await markCandidate(tx, input.bookingId, input.driverId, 'declined');
    return { row, entry };
  });
  await publishToLiveIndex(deps, [entry]);
  const offerSeq = row.offersMade;
  await Promise.all([
    deps.dispatch.withdrawExpiry(row.id, offerSeq),
    input.accept ? undefined : deps.dispatch.assign(row.id, row.version),
  ]);
  return row;
}
