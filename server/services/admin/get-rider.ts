import { and, count, desc, eq, max } from 'drizzle-orm';
import { z } from 'zod';
import { bookings, users } from '@/db/schema';
import { userId } from '@/domain/admin/person-fields';
import type { Database } from '../../infra/postgres';
import { notFoundField } from './internal/field-errors';
import { personColumns, personView } from './internal/person-view';

export const getRiderInput = z.object({ userId });

/** How many recent trips the rider view lists; the totals count them all. */
export const riderRecentTrips = 20;

/** One rider: account, trip totals by outcome and the latest trips (phone only via revealPii). */
export async function getRider(db: Database, input: z.infer<typeof getRiderInput>) {
  const [rider] = await db
    .select(personColumns)
    .from(users)
    .where(and(eq(users.id, input.userId), eq(users.role, 'rider')));
  if (!rider) throw notFoundField('userId', 'rider');
  const [byStatus, recent, [last]] = await Promise.all([
    db
      .select({ status: bookings.status, n: count() })
      .from(bookings)
      .where(eq(bookings.riderId, input.userId))
      .groupBy(bookings.status),
    db
      .select({
        id: bookings.id,
        status: bookings.status,
        vehicleTypeId: bookings.vehicleTypeId,
        pickupLabel: bookings.pickupLabel,
        dropoffLabel: bookings.dropoffLabel,
        fareTotal: bookings.fareTotal,
        currency: bookings.currency,
        createdAt: bookings.createdAt,
      })
      .from(bookings)
      .where(eq(bookings.riderId, input.userId))
      .orderBy(desc(bookings.createdAt))
      .limit(riderRecentTrips),
    db
      .select({ at: max(bookings.createdAt) })
      .from(bookings)
      .where(eq(bookings.riderId, input.userId)),
  ]);
  return {
    ...personView(rider),
    trips: {
      total: byStatus.reduce((sum, r) => sum + r.n, 0),
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      lastAt: last?.at ? last.at.getTime() : null,
    },
    recent: recent.map((b) => ({ ...b, createdAt: b.createdAt.getTime() })),
  };
}
