import { listLiveDrivers } from '../../services/list-live-drivers';
import { roleProcedure, router } from '../init';

export const operationsRouter = router({
  liveDrivers: roleProcedure('dispatcher', 'admin').query(({ ctx }) => listLiveDrivers(ctx.deps)),
});
