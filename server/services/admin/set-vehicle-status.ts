import { z } from 'zod';
import { vehicleStatuses } from '@/domain/fleet';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { updateVehicle } from './internal/audited-updates';
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
  return auditedTransaction(deps, actor, async (change) => {
    const { tx } = change;
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
    return updateVehicle(
      change,
      input.vehicleId,
      { status: input.status, ...(unassigned ? { driverId: null } : {}) },
      {
        change: 'status',
        before: before.status,
        after: input.status,
        ...(unassigned ? { unassignedDriverId: unassigned } : {}),
      },
    );
  });
}
