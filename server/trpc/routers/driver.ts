import { z } from 'zod';
import { driverTripAction, tripActions } from '../../services/booking/driver-trip-action';
import { getDriverWork } from '../../services/booking/get-driver-work';
import { presentBooking } from '../../services/booking/present-booking';
import { respondToOffer } from '../../services/booking/respond-to-offer';
import { getDriverConsole } from '../../services/driver/get-driver-console';
import { setAvailability } from '../../services/driver/set-availability';
import { roleProcedure, router } from '../init';

const driverProcedure = roleProcedure('driver');

export const driverRouter = router({
  console: driverProcedure.query(({ ctx }) => getDriverConsole(ctx.deps.db, ctx.user.id)),

  /** The driver id comes from the session, never from input. */
  setAvailability: driverProcedure
    .input(z.object({ event: z.enum(['go_online', 'go_offline', 'pause', 'resume']) }))
    .mutation(async ({ ctx, input }) => {
      await setAvailability(ctx.deps, { driverId: ctx.user.id, event: input.event, actor: 'driver' });
      return getDriverConsole(ctx.deps.db, ctx.user.id);
    }),

  /** The offer ringing for this driver and their current trip (what the app restores on reload). */
  work: driverProcedure.query(({ ctx }) => getDriverWork(ctx.deps, ctx.user.id)),

  respondToOffer: driverProcedure
    .input(z.object({ bookingId: z.uuid(), accept: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const booking = await respondToOffer(ctx.deps, { ...input, driverId: ctx.user.id });
      return input.accept ? presentBooking(ctx.deps, ctx.user, booking) : null;
    }),

  tripAction: driverProcedure
    .input(
      z.object({
        bookingId: z.uuid(),
        action: z.enum(tripActions),
        reason: z.string().trim().max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const booking = await driverTripAction(ctx.deps, { ...input, driverId: ctx.user.id });
      return booking.driverId === ctx.user.id ? presentBooking(ctx.deps, ctx.user, booking) : null;
    }),
});
