import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles } from '@/db/schema';
import { vehicleStatuses } from '@/domain/fleet';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
import { invalidField } from './internal/field-errors';
import { checkTypeFor, lockDriver, lockVehicle, requireOffDuty } from './internal/locked-rows';
import { vehicleView } from './internal/vehicle-view';

export const setVehicleStatusInput = z.object({
  vehicleId: z.uuid({ error: 'is not a vehicle id' }),
  status: z.enum(vehicleStatuses, { error: 'must be active, maintenance or retired' }),
});

/**
 * Activates a vehicle, sends it to maintenance or retires it. Taking a car out of service waits
 * until its driver is off duty. Retiring also frees its driver: a retired vehicle has nobody.
 */
export async function setVehicleStatus(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof setVehicleStatusInput>,
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const before = await lockVehicle(tx, input.vehicleId);
    if (before.status === input.status) return vehicleView(before);
    if (before.status === 'retired') {
      // Back in service: its type may have been retired or gained seats while it was out.
      const type = await checkTypeFor(tx, before.vehicleTypeId, before.capacity);
      if (!type.active)
        throw invalidField('status', `${type.name} is retired: move the vehicle to another type first`);
    }
    if (before.driverId && input.status !== 'active') {
      requireOffDuty(await lockDriver(tx, before.driverId, 'status'), 'status');
    }
    const unassigned = input.status === 'retired' ? before.driverId : null;
    const [after] = await tx
      .update(vehicles)
      .set({ status: input.status, ...(unassigned ? { driverId: null } : {}) })
      .where(eq(vehicles.id, input.vehicleId))
      .returning();
    await recordAudit(tx, {
      action: 'vehicle.changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'vehicle', id: input.vehicleId },
      details: {
        change: 'status',
        before: before.status,
        after: input.status,
        ...(unassigned ? { unassignedDriverId: unassigned } : {}),
      },
      at: now,
    });
    return vehicleView(after!);
  });
}
