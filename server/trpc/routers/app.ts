import { publicProcedure, router } from '../init';
import { catalogRouter } from './catalog';
import { driverRouter } from './driver';
import { operationsRouter } from './operations';
import { realtimeRouter } from './realtime';
import { riderRouter } from './rider';

export const appRouter = router({
  me: publicProcedure.query(({ ctx }) =>
    ctx.user ? { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email, role: ctx.user.role } : null,
  ),
  catalog: catalogRouter,
  driver: driverRouter,
  operations: operationsRouter,
  realtime: realtimeRouter,
  rider: riderRouter,
});

export type AppRouter = typeof appRouter;
