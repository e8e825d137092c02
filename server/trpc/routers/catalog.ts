import { asc } from 'drizzle-orm';
import { vehicleTypes } from '@/db/schema';
import { authedProcedure, router } from '../init';

export const catalogRouter = router({
  vehicleTypes: authedProcedure.query(({ ctx }) =>
    ctx.deps.db.select().from(vehicleTypes).orderBy(asc(vehicleTypes.sortOrder)),
  ),
});
