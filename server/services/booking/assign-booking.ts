import { eq } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import { dispatchPolicyOf } from '@/domain/dispatch-policy';
import type { BookingDeps } from './deps';
import { type BookingRow, lockBooking, transitionBooking } from './internal/booking-record';
import { searchRound } from './internal/candidates';
import { offerTo } from './internal/offer';

export type AssignOutcome = 'offered' | 'no-driver' | 'waiting' | 'not-searching';

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
