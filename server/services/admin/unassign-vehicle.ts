import { z } from 'zod';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { updateVehicle } from './internal/audited-updates';
import { lockDriver, lockVehicle, requireOffDuty } from './internal/locked-rows';
import { vehicleView } from './internal/vehicle-view';

export const unassignVehicleInput = z.object({ vehicleId: z.uuid({ error: 'is not a vehicle id' }) });

/** Takes a vehicle from its driver, once they are off duty. Already unassigned: nothing to do. */
export async function unassignVehicle(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof unassignVehicleInput>,
) {
  return auditedTransaction(deps, actor, async (change) => {
    const vehicle = await lockVehicle(change.tx, input.vehicleId);
    if (!vehicle.driverId) return vehicleView(vehicle);
    requireOffDuty(await lockDriver(change.tx, vehicle.driverId, 'vehicleId'), 'vehicleId');
    return updateVehicle(
      change,
      input.vehicleId,
      { driverId: null },
      { change: 'unassigned', driverId: vehicle.driverId, plate: vehicle.plate },
    );
  });
}
