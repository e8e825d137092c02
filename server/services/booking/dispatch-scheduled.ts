import { and, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import { dispatchPolicyOf } from '@/domain/dispatch-policy';
import { loadSettings } from '../platform/settings';
import type { BookingDeps } from './deps';
import { expireOffer } from './expire-offer';
import {
  eventMessage,
  lockBooking,
  lockBookingIfAny,
  recordBookingEvent,
  transitionBooking,
} from './internal/booking-record';

/** A scheduled booking's dispatch time has come: it starts searching. False if it already moved. */
export async function dispatchScheduledBooking(deps: BookingDeps, bookingId: string): Promise<boolean> {
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const booking = await lockBookingIfAny(tx, bookingId);
    if (booking?.status !== 'scheduled') return null;
    return transitionBooking(tx, booking, {
      event: 'dispatch',
      actor: 'system',
      actorId: null,
      now,
      reason: `scheduled pickup at ${booking.scheduledFor?.toISOString()}`,
      set: { searchStartedAt: new Date(now) },
    });
  });
  if (!row) return false;
  await deps.dispatch.assign(row.id, row.version);
  return true;
}

export interface ReconcileReport {
  dispatched: number;
  reenqueued: number;
  expired: number;
  escalated: number;
  rescheduled: number;
}

/**
 * The backstop that makes dispatch survive lost jobs (a killed worker) and an emptied Redis:
 * PostgreSQL holds the truth, and this re-derives the work from it. Runs every few seconds.
 *  - scheduled bookings whose dispatch time passed start searching (each exactly once: the
 *    transition is conditional on `scheduled`);
 *  - scheduled bookings due within the hour get their delayed job again (a no-op if it exists);
 *  - bookings stuck in requested/searching get a fresh assignment job;
 *  - offers past their expiry are expired;
 *  - scheduled bookings still without a driver close to pickup are escalated to dispatchers.
 */
export async function reconcileDispatch(deps: BookingDeps): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const { schedule } = await loadSettings(deps.db);
  const policy = dispatchPolicyOf(deps);
  const report: ReconcileReport = { dispatched: 0, reenqueued: 0, expired: 0, escalated: 0, rescheduled: 0 };

  const due = await deps.db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.status, 'scheduled'),
        lte(bookings.scheduledFor, new Date(now + schedule.dispatchLeadMs)),
      ),
    );
  for (const { id } of due)
    if (await isolated(deps, id, () => dispatchScheduledBooking(deps, id))) report.dispatched++;

  const soon = await deps.db
    .select({ id: bookings.id, scheduledFor: bookings.scheduledFor })
    .from(bookings)
    .where(and(eq(bookings.status, 'scheduled'), lte(bookings.scheduledFor, new Date(now + 3_600_000))));
  for (const b of soon) {
    const at = b.scheduledFor!.getTime() - schedule.dispatchLeadMs;
    if (await isolated(deps, b.id, () => deps.dispatch.dispatchScheduled(b.id, at).then(() => true)))
      report.rescheduled++;
  }

  const stuck = await deps.db
    .select({ id: bookings.id, version: bookings.version })
    .from(bookings)
    .where(
      and(
        inArray(bookings.status, ['requested', 'searching']),
        lt(bookings.updatedAt, new Date(now - policy.stuckAfterMs)),
      ),
    );
  for (const b of stuck) {
    const tag = `r${Math.floor(now / policy.stuckAfterMs)}`;
    if (await isolated(deps, b.id, () => deps.dispatch.assign(b.id, b.version, 0, tag).then(() => true)))
      report.reenqueued++;
  }

  const overdue = await deps.db
    .select({ id: bookings.id, offersMade: bookings.offersMade })
    .from(bookings)
    .where(
      and(eq(bookings.status, 'offered'), lt(bookings.offerExpiresAt, new Date(now - policy.offerGraceMs))),
    );
  for (const b of overdue) {
    const expire = () =>
      expireOffer(deps, { bookingId: b.id, offerSeq: b.offersMade, reason: 'offer timed out' });
    if (await isolated(deps, b.id, expire)) report.expired++;
  }

  const late = await deps.db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        inArray(bookings.status, ['scheduled', 'requested', 'searching', 'offered']),
        isNull(bookings.escalatedAt),
        sql`${bookings.scheduledFor} is not null`,
        lte(bookings.scheduledFor, new Date(now + schedule.escalateBeforeMs)),
      ),
    );
  for (const { id } of late) if (await isolated(deps, id, () => escalate(deps, id, now))) report.escalated++;
  return report;
}

/** One booking's failure is logged and skipped: it must not stop the reconciler for everyone else. */
async function isolated(
  deps: BookingDeps,
  bookingId: string,
  step: () => Promise<boolean>,
): Promise<boolean> {
  try {
    return await step();
  } catch (err) {
    deps.logger.error({ err, bookingId }, 'reconciler step failed for one booking; continuing');
    return false;
  }
}

/** Puts a booking on the dispatchers' attention list (no status change; a versioned event). */
async function escalate(deps: BookingDeps, bookingId: string, now: number): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (booking.escalatedAt || booking.driverId) return false;
    const [row] = await tx
      .update(bookings)
      .set({ escalatedAt: new Date(now), version: booking.version + 1, updatedAt: new Date(now) })
      .where(and(eq(bookings.id, bookingId), eq(bookings.version, booking.version)))
      .returning();
    const message = eventMessage(row!, {
      event: 'escalated',
      previous: booking.status,
      actor: 'system',
      reason: 'no driver yet, close to the scheduled pickup',
      at: now,
    });
    await recordBookingEvent(tx, row!, message, null);
    return true;
  });
}
