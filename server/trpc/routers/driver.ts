import { z } from 'zod';
import { getDriverConsole } from '../../services/get-driver-console';
import { setAvailability } from '../../services/set-availability';
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
});
