import { asc, eq } from 'drizzle-orm';
import { bookingCandidates, bookingEvents, users } from '@/db/schema';
import type { BookingDeps } from './deps';

/** For dispatchers: the booking's history and every search round's candidates with why. */
export async function getBookingAudit(deps: BookingDeps, bookingId: string) {
  const events = await deps.db
    .select({ event: bookingEvents, actorName: users.name })
    .from(bookingEvents)
    .leftJoin(users, eq(users.id, bookingEvents.actorId))
    .where(eq(bookingEvents.bookingId, bookingId))
    .orderBy(asc(bookingEvents.version));
  const candidates = await deps.db
    .select({
      round: bookingCandidates.round,
      driverId: bookingCandidates.driverId,
      name: users.name,
      rank: bookingCandidates.rank,
      etaS: bookingCandidates.etaS,
      distanceM: bookingCandidates.distanceM,
      idleS: bookingCandidates.idleS,
      reason: bookingCandidates.reason,
      outcome: bookingCandidates.outcome,
    })
    .from(bookingCandidates)
    .leftJoin(users, eq(users.id, bookingCandidates.driverId))
    .where(eq(bookingCandidates.bookingId, bookingId))
    .orderBy(asc(bookingCandidates.round), asc(bookingCandidates.rank));
  return {
    events: events.map(({ event: e, actorName }) => ({
      version: e.version,
      from: e.fromStatus,
      to: e.toStatus,
      event: e.event,
      actor: e.actor,
      /** Who, by name, when a person did it (system steps have none). */
      actorName,
      reason: e.reason,
      at: e.at.getTime(),
    })),
    candidates,
  };
}
