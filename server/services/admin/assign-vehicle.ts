import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users, vehicles } from '@/db/schema';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { updateVehicle } from './internal/audited-updates';
import { conflictOn } from './internal/field-errors';
import { lockDriver, lockVehicle, requireOffDuty } from './internal/locked-rows';
import { vehicleView } from './internal/vehicle-view';

export const assignVehicleInput = z.object({
  vehicleId: z.uuid({ error: 'is not a vehicle id' }),
  driverId: z.uuid({ error: 'is not a driver id' }),
});

/**
 * Gives a vehicle to a driver. A driver has at most one vehicle and a vehicle one driver (both
 * unique in the database too): either already taken is refused, naming who has it, rather than
 * silently moved. A retired vehicle cannot be assigned.
 */
export async function assignVehicle(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof assignVehicleInput>,
) {
  return auditedTransaction(
    deps,
    actor,
    async (change) => {
      const { tx } = change;
      const vehicle = await lockVehicle(tx, input.vehicleId);
      if (vehicle.driverId === input.driverId) return vehicleView(vehicle);
      if (vehicle.status === 'retired') throw conflictOn('vehicleId', `${vehicle.plate} is retired`);
      if (vehicle.driverId) {
        const [holder] = await tx
          .select({ name: users.name })
          .from(users)
          .where(eq(users.id, vehicle.driverId));
        throw conflictOn(
          'vehicleId',
          `${vehicle.plate} is assigned to ${holder?.name ?? 'another driver'}; unassign it first`,
        );
      }
      const driver = await lockDriver(tx, input.driverId, 'driverId', true);
      const [current] = await tx
        .select({ plate: vehicles.plate })
        .from(vehicles)
        .where(eq(vehicles.driverId, input.driverId));
      if (current)
        throw conflictOn('driverId', `${driver.name} already drives ${current.plate}; unassign it first`);
      requireOffDuty(driver, 'driverId');
      return updateVehicle(
        change,
        input.vehicleId,
        { driverId: input.driverId },
        { change: 'assigned', driverId: input.driverId, plate: vehicle.plate },
      );
    },
    { vehicles_driver_key: ['driverId', 'this driver was just given another vehicle'] },
  );
}
