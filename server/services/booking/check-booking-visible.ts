import { eq } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import { canView, type Viewer } from '@/domain/booking-visibility';
import { DomainError } from '@/domain/errors';
import type { CoreDeps } from '../ports';

/**
 * Resolves if the viewer may see the booking (riders their own, drivers theirs or the one offered
 * to them, dispatchers any); throws NOT_FOUND otherwise. Someone else's booking answers exactly
 * like a booking that does not exist. Reads only what the check needs (sockets ask this often).
 */
export async function checkBookingVisible(
  deps: Pick<CoreDeps, 'db'>,
  viewer: Viewer,
  bookingId: string,
): Promise<void> {
  const [row] = await deps.db
    .select({
      riderId: bookings.riderId,
      driverId: bookings.driverId,
      offeredDriverId: bookings.offeredDriverId,
      status: bookings.status,
    })
    .from(bookings)
    .where(eq(bookings.id, bookingId));
  if (!row || !canView(viewer, row)) throw new DomainError('NOT_FOUND', 'Booking not found');
}
