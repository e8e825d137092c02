import { inArray } from 'drizzle-orm';
import { users, vehicles } from '@/db/schema';
import { activeWithDriver, type BookingStatus } from '@/domain/booking';
import type { Viewer } from '@/domain/booking-visibility';
import { type CancellationTerms, riderCancellationTerms } from '@/domain/cancellation';
import { straightLineEstimator } from '@/domain/eta';
import type { Minor } from '@/domain/money';
import type { FareBreakdown } from '@/domain/pricing';
import { loadCatalog } from '../../platform/internal/catalog';
import { loadSettings } from '../../platform/settings';
import type { BookingDeps } from '../deps';
import type { BookingRow } from './booking-record';
import { type DriverWay, wayOf } from './trip-way';

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
  /** The road route the driver is on now (to the pickup or the drop-off), where trips are timed by road. */
  way?: DriverWay | null;
}

/**
 * Adds where the assigned driver is, how long until they arrive and, where trips are timed by
 * road, the way they are on, from the live index. Only while a driver is attached (the rider sees
 * their driver only then); a live index that cannot answer leaves the position unknown rather than
 * failing the read.
 */
export async function withDriverPosition(deps: BookingDeps, view: BookingView): Promise<BookingView> {
  if (!view.driver || !activeWithDriver.includes(view.status)) return view;
  const last = (await deps.liveIndex.ingestView(view.driver.id).catch(() => null))?.last;
  if (!last) return view;
  const estimator = deps.estimator ?? straightLineEstimator();
  const to = view.status === 'accepted' ? 'pickup' : view.status === 'in_progress' ? 'dropoff' : null;
  const travel = to ? estimator.estimate(last, to === 'pickup' ? view.pickup : view.dropoff) : null;
  // Only where trips are timed by road: a straight-line estimate has no way to draw.
  const way = to && travel ? wayOf(to, travel) : null;
  return {
    ...view,
    driverPosition: { lat: last.lat, lng: last.lng, at: last.at },
    etaS: travel ? Math.round(travel.durationS) : view.status === 'arrived' ? 0 : null,
    ...(way ? { way } : {}),
  };
}

export async function toViews(deps: BookingDeps, rows: BookingRow[], viewer: Viewer): Promise<BookingView[]> {
  if (rows.length === 0) return [];
  const now = deps.clock.now();
  const { cancellation } = await loadSettings(deps.db);
  // Only the people and cars this viewer is shown are read (a rider is not shown a driver who is
  // only being offered the trip, nor their own name), and type names come from the catalog copy:
  // a booking just written costs no read at all.
  const shownDriverOf = (r: BookingRow) => r.driverId ?? (viewer.role !== 'rider' ? r.offeredDriverId : null);
  const driverIds = [...new Set(rows.map(shownDriverOf).filter((x): x is string => !!x))];
  const personIds =
    viewer.role === 'rider' ? driverIds : [...new Set([...driverIds, ...rows.map((r) => r.riderId)])];
  const [people, cars, catalog] = await Promise.all([
    personIds.length
      ? deps.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, personIds))
      : [],
    driverIds.length
      ? deps.db
          .select({
            driverId: vehicles.driverId,
            plate: vehicles.plate,
            make: vehicles.make,
            model: vehicles.model,
            color: vehicles.color,
          })
          .from(vehicles)
          .where(inArray(vehicles.driverId, driverIds))
      : [],
    loadCatalog(deps.db),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const carOf = new Map(cars.map((c) => [c.driverId, c]));
  return rows.map((r) => {
    const shownDriver = shownDriverOf(r);
    const car = shownDriver ? carOf.get(shownDriver) : undefined;
    return {
      id: r.id,
      status: r.status,
      version: r.version,
      vehicleTypeId: r.vehicleTypeId,
      vehicleTypeName: catalog.get(r.vehicleTypeId)?.name ?? r.vehicleTypeId,
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
