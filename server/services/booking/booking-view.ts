import { and, asc, desc, eq, inArray, isNotNull, notInArray, or } from 'drizzle-orm';
import { bookingCandidates, bookingEvents, bookings, users, vehicles, vehicleTypes } from '@/db/schema';
import { activeWithDriver, type BookingStatus } from '@/domain/booking';
import { canView, type Viewer } from '@/domain/booking-visibility';
import { type CancellationTerms, riderCancellationTerms } from '@/domain/cancellation';
import { DomainError } from '@/domain/errors';
import { straightLineEstimator } from '@/domain/eta';
import type { Minor } from '@/domain/money';
import type { FareBreakdown } from '@/domain/pricing';
import { loadSettings } from '../platform/settings';
import type { BookingDeps } from './deps';
import type { BookingRow } from './internal/booking-record';

export interface BookingView {
  id: string;
  status: BookingStatus;
  version: number;
  vehicleTypeId: string;
  vehicleTypeName: string;
  pickup: { lat: number; lng: number; label: string | null };
  dropoff: { lat: number; lng: number; label: string | null };
  scheduledFor: number | null;
  fare: FareBreakdown;
  currency: string;
  createdAt: number;
  acceptedAt: number | null;
  arrivedAt: number | null;
  startedAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
  cancelledBy: string | null;
  cancellationFee: number | null;
  escalated: boolean;
  /** For the driver the offer rings for: when it stops ringing. */
  offerExpiresAt: number | null;
  driver: { id: string; name: string; vehicle: string | null; plate: string | null } | null;
  rider: { name: string } | null;
  /**
   * For the rider: what cancelling now would cost; `freeUntil` (epoch ms) while a free period is
   * running out, `laterFee` once it has.
   */
  cancellation: (CancellationTerms & { freeUntil: number | null; laterFee: Minor }) | null;
  /** The assigned driver's last known position, while a driver is attached (single-booking reads only). */
  driverPosition: { lat: number; lng: number; at: number } | null;
  /** Seconds until the driver reaches the pickup (accepted) or the drop-off (in progress). */
  etaS: number | null;
}

export async function bookingView(
  deps: BookingDeps,
  viewer: Viewer,
  bookingId: string,
): Promise<BookingView> {
  const [row] = await deps.db.select().from(bookings).where(eq(bookings.id, bookingId));
  // Not yours reads exactly like not there.
  if (!row || !canView(viewer, row)) throw new DomainError('NOT_FOUND', 'Booking not found');
  return withDriverPosition(deps, (await toViews(deps, [row], viewer))[0]!);
}

/**
 * Adds where the assigned driver is and how long until they arrive, from the live index. Only
 * while a driver is attached (the rider sees their driver only then); a live index that cannot
 * answer leaves the position unknown rather than failing the read.
 */
async function withDriverPosition(deps: BookingDeps, view: BookingView): Promise<BookingView> {
  if (!view.driver || !activeWithDriver.includes(view.status)) return view;
  const last = (await deps.liveIndex.ingestView(view.driver.id).catch(() => null))?.last;
  if (!last) return view;
  const estimator = deps.estimator ?? straightLineEstimator();
  const target =
    view.status === 'accepted' ? view.pickup : view.status === 'in_progress' ? view.dropoff : null;
  return {
    ...view,
    driverPosition: { lat: last.lat, lng: last.lng, at: last.at },
    etaS: target
      ? Math.round(estimator.estimate(last, target).durationS)
      : view.status === 'arrived'
        ? 0
        : null,
  };
}

async function toViews(deps: BookingDeps, rows: BookingRow[], viewer: Viewer): Promise<BookingView[]> {
  if (rows.length === 0) return [];
  const now = deps.clock.now();
  const { cancellation } = await loadSettings(deps.db);
  const driverIds = rows.map((r) => r.driverId ?? r.offeredDriverId).filter((x): x is string => !!x);
  const people = await deps.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, [...new Set([...driverIds, ...rows.map((r) => r.riderId)])]));
  const names = new Map(people.map((p) => [p.id, p.name]));
  const cars = driverIds.length
    ? await deps.db
        .select({
          driverId: vehicles.driverId,
          plate: vehicles.plate,
          make: vehicles.make,
          model: vehicles.model,
          color: vehicles.color,
        })
        .from(vehicles)
        .where(inArray(vehicles.driverId, driverIds))
    : [];
  const carOf = new Map(cars.map((c) => [c.driverId, c]));
  const types = new Map((await deps.db.select().from(vehicleTypes)).map((t) => [t.id, t.name]));
  return rows.map((r) => {
    const shownDriver = r.driverId ?? (viewer.role !== 'rider' ? r.offeredDriverId : null);
    const car = shownDriver ? carOf.get(shownDriver) : undefined;
    return {
      id: r.id,
      status: r.status,
      version: r.version,
      vehicleTypeId: r.vehicleTypeId,
      vehicleTypeName: types.get(r.vehicleTypeId) ?? r.vehicleTypeId,
      pickup: { lat: r.pickupLat, lng: r.pickupLng, label: r.pickupLabel },
      dropoff: { lat: r.dropoffLat, lng: r.dropoffLng, label: r.dropoffLabel },
      scheduledFor: r.scheduledFor?.getTime() ?? null,
      fare: r.fare as FareBreakdown,
      currency: r.currency,
      createdAt: r.createdAt.getTime(),
      acceptedAt: r.acceptedAt?.getTime() ?? null,
      arrivedAt: r.arrivedAt?.getTime() ?? null,
      startedAt: r.startedAt?.getTime() ?? null,
      completedAt: r.completedAt?.getTime() ?? null,
      cancelledAt: r.cancelledAt?.getTime() ?? null,
      cancelledBy: r.cancelledBy,
      cancellationFee: r.cancellationFee,
      escalated: r.escalatedAt !== null,
      offerExpiresAt:
        r.status === 'offered' && viewer.id === r.offeredDriverId
          ? (r.offerExpiresAt?.getTime() ?? null)
          : null,
      driver: shownDriver
        ? {
            id: shownDriver,
            name: names.get(shownDriver) ?? 'Driver',
            vehicle: car ? `${car.color} ${car.make} ${car.model}` : null,
            plate: car?.plate ?? null,
          }
        : null,
      rider: viewer.role === 'rider' ? null : { name: names.get(r.riderId) ?? 'Rider' },
      cancellation:
        viewer.role === 'rider'
          ? {
              ...riderCancellationTerms(
                { status: r.status, acceptedAt: r.acceptedAt?.getTime() ?? null },
                now,
                cancellation,
              ),
              freeUntil: freeUntil(r, now, cancellation.graceAfterAcceptS),
              laterFee: cancellation.fee,
            }
          : null,
      driverPosition: null,
      etaS: null,
    };
  });
}

/** When free cancellation ends, if it is running out now (a driver accepted within the grace period). */
function freeUntil(r: BookingRow, nowMs: number, graceAfterAcceptS: number): number | null {
  if (r.status !== 'accepted' || !r.acceptedAt) return null;
  const end = r.acceptedAt.getTime() + graceAfterAcceptS * 1000;
  return end > nowMs ? end : null;
}

/** What a rider may ask for, from the platform settings: the schedule window and the cancellation rule. */
export async function bookingLimits(deps: Pick<BookingDeps, 'db'>) {
  const { schedule, cancellation } = await loadSettings(deps.db);
  return {
    schedule: { minLeadMs: schedule.minLeadMs, maxAheadMs: schedule.maxAheadMs },
    cancellation: { graceAfterAcceptS: cancellation.graceAfterAcceptS, fee: cancellation.fee },
  };
}

/** A rider's bookings, newest first. */
export async function listRiderBookings(
  deps: BookingDeps,
  riderId: string,
  limit = 20,
): Promise<BookingView[]> {
  const rows = await deps.db
    .select()
    .from(bookings)
    .where(eq(bookings.riderId, riderId))
    .orderBy(desc(bookings.createdAt))
    .limit(limit);
  return toViews(deps, rows, { id: riderId, role: 'rider' });
}

/** A driver's open offer and current trip, if any. */
export async function driverWork(
  deps: BookingDeps,
  driverId: string,
): Promise<{ offer: BookingView | null; trip: BookingView | null }> {
  const rows = await deps.db
    .select()
    .from(bookings)
    .where(
      or(
        and(eq(bookings.offeredDriverId, driverId), eq(bookings.status, 'offered')),
        and(
          eq(bookings.driverId, driverId),
          inArray(bookings.status, ['accepted', 'arrived', 'in_progress']),
        ),
      ),
    );
  const views = await toViews(deps, rows, { id: driverId, role: 'driver' });
  return {
    offer: views.find((v) => v.status === 'offered') ?? null,
    trip: views.find((v) => v.status !== 'offered') ?? null,
  };
}

/** The dispatchers' board: everything under way, escalations first, and the latest finished ones. */
export async function operationsBoard(
  deps: BookingDeps,
  viewer: Viewer,
): Promise<{ active: BookingView[]; recent: BookingView[] }> {
  const terminal: BookingStatus[] = ['completed', 'cancelled', 'no_driver_found'];
  const active = await deps.db
    .select()
    .from(bookings)
    .where(notInArray(bookings.status, terminal))
    .orderBy(desc(isNotNull(bookings.escalatedAt)), asc(bookings.scheduledFor), desc(bookings.createdAt))
    .limit(200);
  const recent = await deps.db
    .select()
    .from(bookings)
    .where(inArray(bookings.status, terminal))
    .orderBy(desc(bookings.updatedAt))
    .limit(30);
  return { active: await toViews(deps, active, viewer), recent: await toViews(deps, recent, viewer) };
}

/** For dispatchers: the booking's history and every search round's candidates with why. */
export async function bookingAudit(deps: BookingDeps, bookingId: string) {
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
