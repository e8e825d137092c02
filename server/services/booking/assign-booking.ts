import { eq } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import type { RankedCandidate } from '@/domain/assignment';
import { isDomainError } from '@/domain/errors';
import { dispatchPolicyOf } from '../../../domain/dispatch-policy';
import { changeAvailabilityInTx, publishToLiveIndex } from '../driver/internal/availability-change';
import type { BookingDeps } from './deps';
import { type BookingRow, lockBooking, transitionBooking } from './internal/booking-record';
import { markCandidate, searchRound } from './internal/candidates';

export type AssignOutcome = 'offered' | 'no-driver' | 'waiting' | 'not-searching';

class BookingMoved extends Error {}

/**
 * The assignment job: starts the search if needed, gives up after the policy's limits ("no driver
 * found"), else finds and ranks candidates and offers the booking to the best one who is still
 * available. Reserving the driver is a conditional update in PostgreSQL (their row, locked, must
 * still be `available`), in the same transaction as the booking's move to `offered`; unique
 * indexes forbid a second offer or a second active trip for any driver. Safe to run twice.
 */
export async function assignBooking(deps: BookingDeps, bookingId: string): Promise<AssignOutcome> {
  const now = deps.clock.now();
  const policy = dispatchPolicyOf(deps);
  let [booking] = await deps.db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (!booking) return 'not-searching';
  if (booking.status === 'requested') booking = await startSearch(deps, bookingId, now);
  if (booking.status !== 'searching') return 'not-searching';

  const searchingFor = now - (booking.searchStartedAt?.getTime() ?? now);
  if (booking.offersMade >= policy.maxOffers || searchingFor >= policy.maxSearchMs) {
    return (await giveUp(deps, bookingId, now)) ? 'no-driver' : 'not-searching';
  }
  const { ranked } = await searchRound(deps, booking, now);
  for (const candidate of ranked) {
    const outcome = await offerTo(deps, bookingId, candidate, now);
    if (outcome === 'offered') return 'offered';
    if (outcome === 'booking-moved') return 'not-searching';
  }
  await deps.dispatch.assign(bookingId, booking.version, policy.retryDelayMs);
  return 'waiting';
}

async function startSearch(deps: BookingDeps, bookingId: string, now: number): Promise<BookingRow> {
  return deps.db.transaction(async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (booking.status !== 'requested') return booking;
    return transitionBooking(tx, booking, { event: 'dispatch', actor: 'system', actorId: null, now });
  });
}

async function giveUp(deps: BookingDeps, bookingId: string, now: number): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (booking.status !== 'searching') return false;
    await transitionBooking(tx, booking, {
      event: 'no_driver',
      actor: 'system',
      actorId: null,
      now,
      reason: `no driver accepted after ${booking.offersMade} offers in ${Math.round((now - (booking.searchStartedAt?.getTime() ?? now)) / 1000)} s`,
    });
    return true;
  });
}

async function offerTo(
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
      return { row, entry };
    });
    await markCandidate(deps, bookingId, candidate.driverId, 'offered');
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
    await markCandidate(deps, bookingId, candidate.driverId, 'skipped');
    return 'driver-unavailable';
  }
}
