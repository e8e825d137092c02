import { desc, eq } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import type { BookingDeps } from './deps';
import { type BookingView, toViews } from './internal/booking-views';

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
