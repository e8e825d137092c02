import { z } from 'zod';
import { socketEventLimits } from '@/domain/rate-limits';
import { rooms } from '@/domain/realtime-contract';
import { roles as userRoles } from '@/domain/roles';
import type { Database } from '../../infra/postgres';
import { checkBookingVisible } from '../../services/booking/check-booking-visible';
import { defineSocketEvent } from '../socket-event';

/** A socket follows at most this many bookings (a rider's trip, a dispatcher's open details). */
export const maxWatchedBookings = 10;
const watchSchema = z.object({ bookingId: z.uuid() });

/**
 * `booking:watch`: join a booking's room after the server checked the socket's user may see it;
 * past the cap, the oldest followed booking is left.
 */
export const bookingWatchEvent = (deps: { db: Database }) =>
  defineSocketEvent({
    event: 'booking:watch',
    roles: userRoles,
    forbidden: 'Gateways do not follow bookings',
    schema: watchSchema,
    rateLimit: socketEventLimits['booking:watch'],
    async handle({ bookingId }, { socket, principal }) {
      await checkBookingVisible(deps, { id: principal.userId, role: principal.role }, bookingId);
      const watching = [...socket.rooms].filter((r) => r.startsWith('booking:'));
      if (watching.length >= maxWatchedBookings) await socket.leave(watching[0]!);
      const room = rooms.booking(bookingId);
      await socket.join(room);
      return { room };
    },
  });
