import { publicProcedure, router } from '../init';
import { driverRouter } from './driver';
import { operationsRouter } from './operations';
import { realtimeRouter } from './realtime';

export const appRouter = router({
  me: publicProcedure.query(({ ctx }) =>
    ctx.user ? { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email, role: ctx.user.role } : null,
  ),
  driver: driverRouter,
  operations: operationsRouter,
  realtime: realtimeRouter,
});

export type AppRouter = typeof appRouter;
