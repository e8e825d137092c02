import { z } from 'zod';
import { latLngSchema } from '@/domain/geo';
import { quoteTrip } from '../../services/booking/quote-trip';
import { roleProcedure, router } from '../init';

export const pricingRouter = router({
  /** A fare with its breakdown and a signed price lock, valid 5 minutes. */
  quote: roleProcedure('rider')
    .input(
      z.object({
        pickup: latLngSchema,
        dropoff: latLngSchema,
        vehicleTypeId: z.string().min(1).max(40),
        /** Epoch ms of a scheduled pickup; absent or null to go now. */
        scheduledFor: z.int().min(0).nullable().default(null),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const quote = await quoteTrip(ctx.deps, { ...input, riderId: ctx.user.id });
      ctx.deps.metrics.funnel.inc({ step: 'quoted' });
      return quote;
    }),
});
