import { latLngSchema } from '@/domain/geo';
import { nearbyCars } from '../../services/location/nearby-cars';
import { roleProcedure, router } from '../init';

export const riderRouter = router({
  /** Cars near a point, per vehicle type: counts, the nearest ETA and blurred positions. */
  nearbyCars: roleProcedure('rider')
    .input(latLngSchema)
    .query(({ ctx, input }) => nearbyCars(ctx.deps, input)),
});
