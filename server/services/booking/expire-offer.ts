import { eq } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import { publishToLiveIndex } from '../driver/internal/availability-change';
import type { BookingDeps } from './deps';
import { lockBookingIfAny, transitionBooking } from './internal/booking-record';
import { markCandidate } from './internal/candidates';
import { releaseOfferedDriver } from './internal/offer';

/**
 * Ends offer number `offerSeq` if it is still ringing: at its timeout, or at once when the driver
 * cannot be reached (no socket took it). The driver is available again; dispatch moves on.
 * Returns false when the offer was already answered (the usual case for a timeout job).
 */
export async function expireOffer(
  deps: BookingDeps,
  input: { bookingId: string; offerSeq: number; reason: string; early?: boolean },
): Promise<boolean> {
  const now = deps.clock.now();
  // Most timeouts find the offer answered or withdrawn long ago (a rider's cancel, a driver's
  // answer): one read, no transaction, no lock.
  const [current] = await deps.db
    .select({ status: bookings.status, offersMade: bookings.offersMade })
    .from(bookings)
    .where(eq(bookings.id, input.bookingId));
  if (current?.status !== 'offered' || current.offersMade !== input.offerSeq) return false;
  const result = await deps.db.transaction(async (tx) => {
    const booking = await lockBookingIfAny(tx, input.bookingId);
    if (booking?.status !== 'offered' || booking.offersMade !== input.offerSeq || !booking.offeredDriverId) {
      return null;
    }
    // A timeout job that fires a little early (clock skew between processes) waits for the real expiry.
    if (!input.early && booking.offerExpiresAt && now < booking.offerExpiresAt.getTime() - 50) return null;
    const driverId = booking.offeredDriverId;
    const entry = await releaseOfferedDriver(
      tx,
      { driverId, event: 'offer_expired', reason: input.reason },
      now,
    );
    const row = await transitionBooking(tx, booking, {
      event: 'offer_expired',
      actor: 'system',
      actorId: null,
      now,
      reason: input.reason,
      set: { offeredDriverId: null, offerExpiresAt: null },
      formerOfferDriverId: driverId,
    });
    await markCandidate(tx, input.bookingId, driverId, 'expired');
    return { row, entry };
  });
  if (!result) return false;
  if (result.entry) await publishToLiveIndex(deps, [result.entry]);
  await deps.dispatch.assign(result.row.id, result.row.version);
  return true;
}
