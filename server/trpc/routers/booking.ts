import { z } from 'zod';
import { rateLimits } from '@/domain/rate-limits';
import { cancelBookingByRider } from '../../services/booking/cancel-booking';
import { createBooking } from '../../services/booking/create-booking';
import { getBooking } from '../../services/booking/get-booking';
import { getBookingLimits } from '../../services/booking/get-booking-limits';
import { listRiderBookings } from '../../services/booking/list-rider-bookings';
import { presentBooking } from '../../services/booking/present-booking';
import { authedProcedure, roleProcedure, router } from '../init';

const riderProcedure = roleProcedure('rider');
const label = z.string().trim().max(200).nullable().optional();

export const bookingRouter = router({
  /** Books a signed quote. Idempotent per rider and key; the same key with another body is refused (422). */
  create: riderProcedure
    .input(
      z.object({
        quoteToken: z.string().min(1).max(8_192),
        idempotencyKey: z.uuid(),
        pickupLabel: label,
        dropoffLabel: label,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // New booking attempts per rider; a retry with the same key is the same attempt.
      await ctx.deps.rateLimiter.enforce(
        'bookingCreate',
        ctx.user.id,
        rateLimits.bookingCreate,
        'booking attempts',
        input.idempotencyKey,
      );
      const { booking, replayed } = await createBooking(ctx.deps, { ...input, riderId: ctx.user.id });
      ctx.deps.metrics.funnel.inc({ step: replayed ? 'replayed' : 'booked' });
      return { booking: await presentBooking(ctx.deps, ctx.user, booking), replayed };
    }),

  /** One booking, for whoever may see it (not yours reads as not found). */
  get: authedProcedure
    .input(z.object({ bookingId: z.uuid() }))
    .query(({ ctx, input }) => getBooking(ctx.deps, ctx.user, input.bookingId)),

  mine: riderProcedure.query(({ ctx }) => listRiderBookings(ctx.deps, ctx.user.id)),

  /** The schedule window and cancellation rule, so the booking form can say them before the server refuses. */
  limits: riderProcedure.query(({ ctx }) => getBookingLimits(ctx.deps)),

  cancel: riderProcedure
    .input(z.object({ bookingId: z.uuid(), reason: z.string().trim().max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const { booking, terms } = await cancelBookingByRider(ctx.deps, { ...input, riderId: ctx.user.id });
      return { booking: await presentBooking(ctx.deps, ctx.user, booking), terms };
    }),
});
