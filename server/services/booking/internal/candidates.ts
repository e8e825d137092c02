import { and, eq, inArray, sql } from 'drizzle-orm';
import { bookingCandidates, drivers } from '@/db/schema';
import { type RankedCandidate, rankCandidates } from '@/domain/assignment';
import { dispatchPolicyOf } from '@/domain/dispatch-policy';
import { estimateAll, straightLineEstimator } from '@/domain/eta';
import type { Database, Tx } from '../../../infra/postgres';
import type { BookingDeps } from '../deps';
import type { BookingRow } from './booking-record';

/** Drivers this booking must not be offered again (already offered, declined, timed out, or who dropped it). */
async function excludedDrivers(
  tx: Tx,
  bookingId: string,
): Promise<{ excluded: Set<string>; lastRound: number }> {
  const rows = await tx
    .select({
      driverId: bookingCandidates.driverId,
      outcome: bookingCandidates.outcome,
      round: bookingCandidates.round,
    })
    .from(bookingCandidates)
    .where(eq(bookingCandidates.bookingId, bookingId));
  const excluded = new Set(
    rows.filter((r) => r.outcome !== null && r.outcome !== 'skipped').map((r) => r.driverId),
  );
  return { excluded, lastRound: rows.reduce((m, r) => Math.max(m, r.round), 0) };
}

export interface SearchRound {
  round: number;
  ranked: RankedCandidate[];
}

/**
 * One search round, in the assignment's transaction (the booking is locked): the nearest available
 * drivers of the booking's vehicle type within the round's radius (fresh, exact: the in-memory
 * index, or LiveIndex.nearest without one), ranked by pickup ETA with the fairness credit for idle
 * time. The round is recorded by `recordRound` once the offers were tried, each candidate with how
 * it ended.
 */
export async function searchRound(
  deps: BookingDeps,
  tx: Tx,
  booking: BookingRow,
  nowMs: number,
): Promise<SearchRound> {
  const policy = dispatchPolicyOf(deps);
  const { excluded, lastRound } = await excludedDrivers(tx, booking.id);
  const round = lastRound + 1;
  const radius = policy.radiiM[Math.min(round - 1, policy.radiiM.length - 1)]!;
  const pickup = { lat: booking.pickupLat, lng: booking.pickupLng };
  // The dispatching process's in-memory index (ADR 0018); Redis only where none is held.
  const found = await (deps.nearest ?? deps.liveIndex).nearest({
    ...pickup,
    vehicleTypeId: booking.vehicleTypeId,
    k: policy.candidatesPerRound + excluded.size,
    maxRadiusM: radius,
    nowMs,
  });
  const near = found.drivers.filter((d) => !excluded.has(d.driverId)).slice(0, policy.candidatesPerRound);
  if (near.length === 0) return { round, ranked: [] };
  const idle = await tx
    .select({ id: drivers.userId, since: drivers.availabilityChangedAt })
    .from(drivers)
    .where(
      inArray(
        drivers.userId,
        near.map((d) => d.driverId),
      ),
    );
  const idleSince = new Map(idle.map((r) => [r.id, r.since.getTime()]));
  // One search from the pickup outwards ranks every candidate (road estimator: ~1 search, not k).
  const travels = estimateAll(deps.estimator ?? straightLineEstimator(), near, pickup);
  const ranked = rankCandidates(
    near.map((d, i) => {
      const travel = travels[i]!;
      return {
        driverId: d.driverId,
        etaS: Math.round(travel.durationS),
        distanceM: Math.round(travel.distanceM),
        idleS: Math.max(0, Math.round((nowMs - (idleSince.get(d.driverId) ?? nowMs)) / 1000)),
      };
    }),
  );
  return { round, ranked };
}

export type CandidateOutcome = 'offered' | 'skipped' | 'accepted' | 'declined' | 'expired' | 'withdrawn';

/**
 * Keeps a round's candidates with their ranks and reasons (for dispatchers), each with its outcome
 * if it was tried (`offered` or `skipped`), in one insert.
 */
export async function recordRound(
  tx: Tx,
  bookingId: string,
  { round, ranked }: SearchRound,
  outcomes: Map<string, CandidateOutcome>,
): Promise<void> {
  if (ranked.length === 0) return;
  await tx
    .insert(bookingCandidates)
    .values(
      ranked.map((c) => ({
        bookingId,
        round,
        driverId: c.driverId,
        rank: c.rank,
        etaS: c.etaS,
        distanceM: c.distanceM,
        idleS: c.idleS,
        score: c.score,
        reason: c.reason,
        outcome: outcomes.get(c.driverId) ?? null,
      })),
    )
    .onConflictDoNothing();
}

/** Records how a candidate's offer ended; called inside the transaction that ended it. */
export async function markCandidate(
  db: Database | Tx,
  bookingId: string,
  driverId: string,
  outcome: CandidateOutcome,
): Promise<void> {
  // The latest round this driver appeared in for this booking.
  await db
    .update(bookingCandidates)
    .set({ outcome })
    .where(
      and(
        eq(bookingCandidates.bookingId, bookingId),
        eq(bookingCandidates.driverId, driverId),
        sql`${bookingCandidates.round} = (select max(round) from booking_candidates where booking_id = ${bookingId} and driver_id = ${driverId})`,
      ),
    );
}
