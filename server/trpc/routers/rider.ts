import { z } from 'zod';
import { nearbyCars } from '../../services/location/nearby-cars';
import { roleProcedure, router } from '../init';

export const riderRouter = router({
  /** Cars near a point, per vehicle type: counts, the nearest ETA and blurred positions. */
  nearbyCars: roleProcedure('rider')
    .input(z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }))
    .query(({ ctx, input }) => nearbyCars(ctx.deps, input)),
});
