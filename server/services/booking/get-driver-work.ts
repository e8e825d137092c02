import { and, eq, inArray, or } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import type { BookingDeps } from './deps';
import { type BookingView, toViews, withDriverPosition } from './internal/booking-views';

/** A driver's open offer and current trip, if any. */
export async function getDriverWork(
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
  const trip = views.find((v) => v.status !== 'offered') ?? null;
  return {
    offer: views.find((v) => v.status === 'offered') ?? null,
    // Where they are, how long to go and, where trips are timed by road, the way to drive.
    trip: trip && (await withDriverPosition(deps, trip)),
  };
}
