import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles } from '@/db/schema';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
import { lockDriver, lockVehicle, requireOffDuty } from './internal/locked-rows';
import { vehicleView } from './internal/vehicle-view';

export const unassignVehicleInput = z.object({ vehicleId: z.uuid({ error: 'is not a vehicle id' }) });

/** Takes a vehicle from its driver, once they are off duty. Already unassigned: nothing to do. */
export async function unassignVehicle(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof unassignVehicleInput>,
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const vehicle = await lockVehicle(tx, input.vehicleId);
    if (!vehicle.driverId) return vehicleView(vehicle);
    requireOffDuty(await lockDriver(tx, vehicle.driverId, 'vehicleId'), 'vehicleId');
    const [after] = await tx
      .update(vehicles)
      .set({ driverId: null })
      .where(eq(vehicles.id, input.vehicleId))
      .returning();
    await recordAudit(tx, {
      action: 'vehicle.changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'vehicle', id: input.vehicleId },
      details: { change: 'unassigned', driverId: vehicle.driverId, plate: vehicle.plate },
      at: now,
    });
    return vehicleView(after!);
  });
}
