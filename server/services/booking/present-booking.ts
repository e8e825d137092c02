import type { Viewer } from '@/domain/booking-visibility';
import type { BookingDeps } from './deps';
import type { BookingRow } from './internal/booking-record';
import { type BookingView, toViews, withDriverPosition } from './internal/booking-views';

/**
 * A booking as this viewer may see it, built from the row the caller already holds (a use case's
 * result), so a write is not followed by a second read of the same row.
 */
export async function presentBooking(
  deps: BookingDeps,
  viewer: Viewer,
  row: BookingRow,
): Promise<BookingView> {
  return withDriverPosition(deps, (await toViews(deps, [row], viewer))[0]!);
}
