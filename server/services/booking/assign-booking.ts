import { dispatchPolicyOf } from '@/domain/dispatch-policy';
import type { DriverStateEntry } from '../../adapters/live-index';
import { publishToLiveIndex } from '../driver/internal/availability-change';
import type { BookingDeps } from './deps';
import { type BookingRow, lockBookingIfAny, transitionBooking } from './internal/booking-record';
import { type CandidateOutcome, recordRound, searchRound } from './internal/candidates';
import { offerInTx } from './internal/offer';

export type AssignOutcome = 'offered' | 'no-driver' | 'waiting' | 'not-searching';

type Settled =
  | { outcome: 'not-searching' | 'no-driver' }
  | { outcome: 'offered'; row: BookingRow; entry: DriverStateEntry; expiresAt: number }
  | { outcome: 'waiting'; version: number };

/**
 * The assignment job, in one transaction with the booking locked: starts the search if needed,
 * gives up after the policy's limits ("no driver found"), else finds and ranks candidates and
 * offers the booking to the best one who is still available, and records the round. Reserving the
 * driver is a conditional update in PostgreSQL (their row, locked, must still be `available`) in
 * the same transaction as the booking's move to `offered`; unique indexes forbid a second offer or
 * a second active trip for any driver; a candidate taken meanwhile is skipped under a savepoint.
 * One commit per offer (ADR 0017). Safe to run twice.
 */
export async function assignBooking(deps: BookingDeps, bookingId: string): Promise<AssignOutcome> {
  const now = deps.clock.now();
  const policy = dispatchPolicyOf(deps);
  const settled = await deps.db.transaction(async (tx): Promise<Settled> => {
    let booking = await lockBookingIfAny(tx, bookingId);
    if (booking?.status === 'requested') {
      booking = await transitionBooking(tx, booking, {
        event: 'dispatch',
        actor: 'system',
        actorId: null,
        now,
      });
    }
    if (booking?.status !== 'searching') return { outcome: 'not-searching' };

    const searchingFor = now - (booking.searchStartedAt?.getTime() ?? now);
    if (booking.offersMade >= policy.maxOffers || searchingFor >= policy.maxSearchMs) {
      await transitionBooking(tx, booking, {
        event: 'no_driver',
        actor: 'system',
        actorId: null,
        now,
        reason: `no driver accepted after ${booking.offersMade} offers in ${Math.round(searchingFor / 1000)} s`,
      });
      return { outcome: 'no-driver' };
    }
    const round = await searchRound(deps, tx, booking, now);
    const outcomes = new Map<string, CandidateOutcome>();
    let offered: Settled | null = null;
    for (const candidate of round.ranked) {
      const made = await offerInTx(tx, booking, candidate, policy.offerTtlMs, () => deps.clock.now());
      outcomes.set(candidate.driverId, made ? 'offered' : 'skipped');
      if (made) {
        offered = { outcome: 'offered', ...made };
        break;
      }
    }
    await recordRound(tx, booking.id, round, outcomes);
    return offered ?? { outcome: 'waiting', version: booking.version };
  });

  // After commit: Redis and BullMQ must not hold the booking's row lock open.
  if (settled.outcome === 'offered') {
    await publishToLiveIndex(deps, [settled.entry]);
    await deps.dispatch.expireOffer(bookingId, settled.row.offersMade, settled.expiresAt);
  } else if (settled.outcome === 'waiting') {
    await deps.dispatch.assign(bookingId, settled.version, policy.retryDelayMs);
  }
  return settled.outcome;
}
