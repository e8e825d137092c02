import type { RankedCandidate } from '@/domain/assignment';
import { dispatchPolicyOf } from '@/domain/dispatch-policy';
import { isDomainError } from '@/domain/errors';
import type { DriverStateEntry } from '../../../adapters/live-index';
import type { Tx } from '../../../infra/postgres';
import { changeAvailabilityInTx, publishToLiveIndex } from '../../driver/internal/availability-change';
import type { BookingDeps } from '../deps';
import { lockBooking, transitionBooking } from './booking-record';
import { markCandidate } from './candidates';

class BookingMoved extends Error {}

/**
 * Offers the booking to one ranked candidate, in one transaction: the booking must still be
 * searching, the driver is reserved by a conditional update of their row (still `available`), the
 * booking moves to `offered` with its event and outbox row, and the candidate is marked offered.
 * After commit the live index learns the driver is taken and the offer's timeout is scheduled.
 * A driver taken meanwhile (or a second offer to them, refused by a unique index) is skipped.
 */
export async function offerTo(
  deps: BookingDeps,
  bookingId: string,
  candidate: RankedCandidate,
  now: number,
): Promise<'offered' | 'driver-unavailable' | 'booking-moved'> {
  const policy = dispatchPolicyOf(deps);
  try {
    const { row, entry } = await deps.db.transaction(async (tx) => {
      const booking = await lockBooking(tx, bookingId);
      if (booking.status !== 'searching') throw new BookingMoved();
      const { entry } = await changeAvailabilityInTx(
        tx,
        {
          driverId: candidate.driverId,
          event: 'offer_sent',
          actor: 'dispatch',
          expectedState: 'available',
          reason: `offer for booking ${bookingId}`,
        },
        now,
      );
      const row = await transitionBooking(tx, booking, {
        event: 'offer',
        actor: 'system',
        actorId: null,
        now,
        reason: `rank ${candidate.rank}: ${candidate.reason}`,
        set: {
          offeredDriverId: candidate.driverId,
          offerExpiresAt: new Date(now + policy.offerTtlMs),
          offersMade: booking.offersMade + 1,
        },
      });
      await markCandidate(tx, bookingId, candidate.driverId, 'offered');
      return { row, entry };
    });
    await publishToLiveIndex(deps, [entry]);
    await deps.dispatch.expireOffer(bookingId, row.offersMade, now + policy.offerTtlMs);
    return 'offered';
  } catch (error) {
    if (error instanceof BookingMoved) return 'booking-moved';
    const unavailable =
      (isDomainError(error) && ['CONFLICT', 'INVALID_TRANSITION', 'NOT_FOUND'].includes(error.code)) ||
      String((error as { cause?: { constraint?: string } }).cause?.constraint ?? '') ===
        'bookings_one_offer_per_driver';
    if (!unavailable) throw error;
    await markCandidate(deps.db, bookingId, candidate.driverId, 'skipped');
    return 'driver-unavailable';
  }
}

/**
 * Frees the driver an offer rang for, in the caller's transaction, if they are still being offered
 * it. A driver whose heartbeat was lost while it rang went offline then (the presence sweep does
 * not touch the booking) and may be back online since: their availability is theirs again, so it
 * is left alone and only the booking moves on. Returns what the live index must learn, if anything.
 */
export async function releaseOfferedDriver(
  tx: Tx,
  input: { driverId: string; event: 'offer_expired' | 'offer_withdrawn'; reason: string },
  now: number,
): Promise<DriverStateEntry | null> {
  try {
    const { entry } = await changeAvailabilityInTx(
      tx,
      { ...input, actor: 'system', expectedState: 'offered' },
      now,
    );
    return entry;
  } catch (error) {
    // Refused before anything was written: the transaction goes on.
    if (isDomainError(error) && error.code === 'CONFLICT') return null;
    throw error;
  }
}
