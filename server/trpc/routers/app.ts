import { publicProcedure, router } from '../init';
import { accountRouter } from './account';
import { adminRouter } from './admin';
import { analyticsRouter } from './analytics';
import { bookingRouter } from './booking';
import { catalogRouter } from './catalog';
import { driverRouter } from './driver';
import { operationsRouter } from './operations';
import { pricingRouter } from './pricing';
import { realtimeRouter } from './realtime';
import { riderRouter } from './rider';

export const appRouter = router({
  me: publicProcedure.query(({ ctx }) =>
    ctx.user ? { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email, role: ctx.user.role } : null,
  ),
  account: accountRouter,
  admin: adminRouter,
  analytics: analyticsRouter,
  booking: bookingRouter,
  catalog: catalogRouter,
  driver: driverRouter,
  operations: operationsRouter,
  pricing: pricingRouter,
  realtime: realtimeRouter,
  rider: riderRouter,
});

export type AppRouter = typeof appRouter;
