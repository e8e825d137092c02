import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { bookings } from '@/db/schema';
import { canView } from '@/domain/booking-visibility';
import { type Ack, rooms } from '@/domain/realtime-contract';
import type { Database } from '../../infra/postgres';
import { fail, invalid } from '../ack';
import type { RealtimeSocket } from '../types';

/** A socket follows at most this many bookings (a rider's trip, a dispatcher's open details). */
export const maxWatchedBookings = 10;
const watchSchema = z.object({ bookingId: z.uuid() });

/**
 * `booking:watch`: join a booking's room after the server checked the socket's user may see it
 * (a rider their own, a driver theirs or the one offered to them, dispatchers any). Someone
 * else's booking answers exactly like a booking that does not exist.
 */
export function bookingWatchHandler(db: Database) {
  return async function (this: RealtimeSocket, payload: unknown, ack: unknown) {
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<{ room: string }>) => void;
    const { principal } = this.data;
    if (principal.role === 'gateway') return reply(fail('FORBIDDEN', 'Gateways do not follow bookings'));
    const parsed = watchSchema.safeParse(payload);
    if (!parsed.success) return reply(invalid(parsed.error));
    const [row] = await db
      .select({
        riderId: bookings.riderId,
        driverId: bookings.driverId,
        offeredDriverId: bookings.offeredDriverId,
        status: bookings.status,
      })
      .from(bookings)
      .where(eq(bookings.id, parsed.data.bookingId));
    if (!row || !canView({ id: principal.userId, role: principal.role }, row)) {
      return reply(fail('NOT_FOUND', 'Booking not found'));
    }
    const watching = [...this.rooms].filter((r) => r.startsWith('booking:'));
    if (watching.length >= maxWatchedBookings) await this.leave(watching[0]!);
    const room = rooms.booking(parsed.data.bookingId);
    await this.join(room);
    reply({ ok: true, room });
  };
}
