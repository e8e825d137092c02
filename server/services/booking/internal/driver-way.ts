import type { BookingDeps } from '../deps';
import type { BookingView } from './booking-views';
import { type DriverWay, wayOf } from './trip-way';

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
