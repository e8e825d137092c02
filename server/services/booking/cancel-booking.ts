import { type CancellationTerms, riderCancellationTerms } from '@/domain/cancellation';
import { DomainError } from '@/domain/errors';
import type { DriverStateEntry } from '../../adapters/live-index';
import { changeAvailabilityInTx, publishToLiveIndex } from '../driver/internal/availability-change';
import { loadSettings } from '../platform/settings';
import type { BookingDeps } from './deps';
import { type BookingRow, lockBookingIfAny, transitionBooking } from './internal/booking-record';
import { markCandidate } from './internal/candidates';
import { releaseOfferedDriver } from './internal/offer';

/**
 * The rider cancels. An offer still ringing is withdrawn in the same transaction (the driver's
 * phone is told at once through the booking event); a driver on the way is released. The fee
 * follows the cancellation rule shown to the rider beforehand.
 */
export async function cancelBookingByRider(
  deps: BookingDeps,
  input: { riderId: string; bookingId: string; reason?: string },
): Promise<{ booking: BookingRow; terms: CancellationTerms }> {
  const now = deps.clock.now();
  const { cancellation } = await loadSettings(deps.db);
  const result = await deps.db.transaction(async (tx) => {
    const booking = await lockBookingIfAny(tx, input.bookingId);
    // Someone else's booking does not exist, as far as this rider can tell.
    if (!booking || booking.riderId !== input.riderId)
      throw new DomainError('NOT_FOUND', 'Booking not found');
    const terms = riderCancellationTerms(
      { status: booking.status, acceptedAt: booking.acceptedAt?.getTime() ?? null },
      now,
      cancellation,
    );
    const entries: DriverStateEntry[] = [];
    let withdrawnFrom: string | null = null;
    if (booking.status === 'offered' && booking.offeredDriverId) {
      withdrawnFrom = booking.offeredDriverId;
      const released = await releaseOfferedDriver(
        tx,
        { driverId: withdrawnFrom, event: 'offer_withdrawn', reason: 'rider cancelled' },
        now,
      );
      if (released) entries.push(released);
    }
    if ((booking.status === 'accepted' || booking.status === 'arrived') && booking.driverId) {
      entries.push(
        (
          await changeAvailabilityInTx(
            tx,
            {
              driverId: booking.driverId,
              event: 'trip_cancelled',
              actor: 'system',
              reason: 'rider cancelled',
            },
            now,
          )
        ).entry,
      );
    }
    const row = await transitionBooking(tx, booking, {
      event: 'rider_cancelled',
      actor: 'rider',
      actorId: input.riderId,
      now,
      reason: input.reason,
      set: {
        cancelledBy: 'rider',
        cancelReason: input.reason ?? null,
        cancellationFee: terms.fee,
        offeredDriverId: null,
        offerExpiresAt: null,
      },
      formerOfferDriverId: withdrawnFrom,
    });
    if (withdrawnFrom) await markCandidate(tx, input.bookingId, withdrawnFrom, 'withdrawn');
    return { row, terms, entries, withdrawnFrom };
  });
  await publishToLiveIndex(deps, result.entries);
  if (result.withdrawnFrom) await deps.dispatch.withdrawExpiry(result.row.id, result.row.offersMade);
  return { booking: result.row, terms: result.terms };
}
