import { isDomainError } from '@/domain/errors';
import type { DriverStateEntry } from '../../adapters/live-index';
import type { Tx } from '../../infra/postgres';
import { changeAvailabilityInTx, publishToLiveIndex } from '../driver/internal/availability-change';
import type { BookingDeps } from './deps';
import { lockBookingIfAny, transitionBooking } from './internal/booking-record';
import { markCandidate } from './internal/candidates';

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
    return { row, entry, driverId };
  });
  if (!result) return false;
  await markCandidate(deps, input.bookingId, result.driverId, 'expired');
  if (result.entry) await publishToLiveIndex(deps, [result.entry]);
  await deps.dispatch.assign(result.row.id, result.row.version);
  return true;
}
