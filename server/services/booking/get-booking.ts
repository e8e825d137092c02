import { eq } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import { canView, type Viewer } from '@/domain/booking-visibility';
import { DomainError } from '@/domain/errors';
import type { BookingDeps } from './deps';
import type { BookingView } from './internal/booking-views';
import { presentBooking } from './present-booking';

/** One booking, for whoever may see it. */
export async function getBooking(deps: BookingDeps, viewer: Viewer, bookingId: string): Promise<BookingView> {
  const [row] = await deps.db.select().from(bookings).where(eq(bookings.id, bookingId));
  // Not yours reads exactly like not there.
  if (!row || !canView(viewer, row)) throw new DomainError('NOT_FOUND', 'Booking not found');
  return presentBooking(deps, viewer, row);
}
