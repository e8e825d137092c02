import { z } from 'zod';
import { latLngSchema } from '@/domain/geo';
import { getBookingAudit } from '../../services/booking/get-booking-audit';
import { getOperationsBoard } from '../../services/booking/get-operations-board';
import { driverTrack, driverTrackInput } from '../../services/location/driver-track';
import {
  driverDirectory,
  findNearestDrivers,
  nearestLimits,
} from '../../services/location/find-nearest-drivers';
import { roleProcedure, router } from '../init';

const operationsProcedure = roleProcedure('dispatcher', 'admin');

export const operationsRouter = router({
  /** Names and plates for the driver ids on screen (live streams carry ids only). */
  driverDirectory: operationsProcedure
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(500) }))
    .query(({ ctx, input }) => driverDirectory(ctx.deps.db, input.ids)),

  /** The nearest available drivers to a point, with pickup ETAs: what dispatch would offer. */
  nearestDrivers: operationsProcedure
    .input(
      z.object({
        ...latLngSchema.shape,
        vehicleTypeIds: z.array(z.string().min(1).max(40)).min(1).max(10),
        k: z.int().min(1).max(nearestLimits.maxK).default(10),
        maxRadiusM: z.number().min(100).max(nearestLimits.maxRadiusM).default(5_000),
      }),
    )
    .query(async ({ ctx, input }) => {
      const drivers = await findNearestDrivers(ctx.deps, input);
      const names = new Map(
        (
          await driverDirectory(
            ctx.deps.db,
            drivers.map((d) => d.driverId),
          )
        ).map((r) => [r.id, r]),
      );
      return drivers.map((d) => ({
        ...d,
        name: names.get(d.driverId)?.name ?? null,
        plate: names.get(d.driverId)?.plate ?? null,
      }));
    }),

  /** Bookings under way (escalations first) and the latest finished ones. */
  bookings: operationsProcedure.query(({ ctx }) => getOperationsBoard(ctx.deps, ctx.user)),

  /** A booking's history and its assignment: every round's candidates, ranked, with why. */
  bookingAudit: operationsProcedure
    .input(z.object({ bookingId: z.uuid() }))
    .query(({ ctx, input }) => getBookingAudit(ctx.deps, input.bookingId)),

  /** A driver's positions over at most 24 h; every look is audited (`driver_history.viewed`). */
  driverTrack: operationsProcedure
    .input(driverTrackInput)
    .mutation(({ ctx, input }) => driverTrack(ctx.deps, { ...ctx.user, ip: ctx.ip ?? null }, input)),

  /** Surge per H3 cell with its inputs and reason, for the map. */
  surge: operationsProcedure.query(({ ctx }) => ctx.deps.surge.all()),
});
