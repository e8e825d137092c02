import type { TravelEstimate } from '@/domain/eta';
import type { BookingDeps } from '../deps';
import type { BookingView, DriverWay } from './booking-views';

/**
 * The road route a driver should drive now, for their own trip: from their last known position to
 * the pickup while heading there, from the pickup to the drop-off once arrived or under way. Only
 * where the process times trips by road (an estimator that returns a path); a live index that
 * cannot answer leaves the way unknown rather than failing the read.
 */
export async function withDriverWay(
  deps: BookingDeps,
  trip: BookingView,
  driverId: string,
): Promise<BookingView> {
  if (!deps.estimator) return trip;
  let way: DriverWay | null = null;
  if (trip.status === 'accepted') {
    const last = (await deps.liveIndex.ingestView(driverId).catch(() => null))?.last;
    if (last) way = wayOf('pickup', deps.estimator.estimate(last, trip.pickup));
  } else if (trip.status === 'arrived' || trip.status === 'in_progress') {
    way = wayOf('dropoff', deps.estimator.estimate(trip.pickup, trip.dropoff));
  }
  return { ...trip, way };
}

function wayOf(to: DriverWay['to'], travel: TravelEstimate): DriverWay | null {
  if (!travel.path) return null;
  const named = (travel.steps ?? []).filter((s) => s.name);
  return {
    to,
    path: travel.path,
    distanceM: Math.round(travel.distanceM),
    durationS: Math.round(travel.durationS),
    nextRoad: (named[1] ?? named[0])?.name ?? null,
  };
}
