import type { RankedCandidate } from '@/domain/assignment';
import { isDomainError } from '@/domain/errors';
import type { DriverStateEntry } from '../../../adapters/live-index';
import type { Tx } from '../../../infra/postgres';
import { changeAvailabilityInTx } from '../../driver/internal/availability-change';
import { type BookingRow, transitionBooking } from './booking-record';

/**
 * Offers the locked, searching booking to one ranked candidate, inside the assignment's
 * transaction and under a savepoint: the driver is reserved by a conditional update of their row
 * (still `available`), and the booking moves to `offered` with its event and outbox row. A driver
 * taken meanwhile (or a second offer to them, refused by a unique index) rolls back to the
 * savepoint and returns null, and the next candidate is tried in the same transaction. After
 * commit the caller tells the live index the driver is taken and schedules the offer's timeout.
 */
export async function offerInTx(
  tx: Tx,
  booking: BookingRow,
  candidate: RankedCandidate,
  offerTtlMs: number,
  clock: () => number,
): Promise<{ row: BookingRow; entry: DriverStateEntry; expiresAt: number } | null> {
  try {
    return await tx.transaction(async (sp) => {
      const now = clock();
      const { entry } = await changeAvailabilityInTx(
        sp,
        {
          driverId: candidate.driverId,
          event: 'offer_sent',
          actor: 'dispatch',
          expectedState: 'available',
          reason: `offer for booking ${booking.id}`,
        },
        now,
      );
      // The offer's time starts once the driver is reserved: the reservation may have waited for
      // the driver's row (another booking offering them), and under contention that wait can
      // outlast the offer itself (T4 saw offers born expired when timed from the job's start).
      const offeredAt = clock();
      const expiresAt = offeredAt + offerTtlMs;
      const row = await transitionBooking(sp, booking, {
        event: 'offer',
        actor: 'system',
        actorId: null,
        now: offeredAt,
        reason: `rank ${candidate.rank}: ${candidate.reason}`,
        set: {
          offeredDriverId: candidate.driverId,
          offerExpiresAt: new Date(expiresAt),
          offersMade: booking.offersMade + 1,
        },
      });
      return { row, entry, expiresAt };
    });
  } catch (error) {
    const unavailable =
      (isDomainError(error) && ['CONFLICT', 'INVALID_TRANSITION', 'NOT_FOUND'].includes(error.code)) ||
      String((error as { cause?: { constraint?: string } }).cause?.constraint ?? '') ===
        'bookings_one_offer_per_driver';
    if (!unavailable) throw error;
    return null;
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
