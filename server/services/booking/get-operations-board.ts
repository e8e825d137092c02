import { asc, desc, inArray, isNotNull, notInArray } from 'drizzle-orm';
import { bookings } from '@/db/schema';
import type { BookingStatus } from '@/domain/booking';
import type { Viewer } from '@/domain/booking-visibility';
import type { BookingDeps } from './deps';
import { type BookingView, toViews } from './internal/booking-views';

/** The dispatchers' board: everything under way, escalations first, and the latest finished ones. */
export async function getOperationsBoard(
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
