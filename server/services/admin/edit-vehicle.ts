import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles } from '@/db/schema';
import { vehicleFields } from '@/domain/admin/vehicle-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { updateVehicle } from './internal/audited-updates';
import { conflictOn, invalidField } from './internal/field-errors';
import { checkTypeFor, lockDriver, lockVehicle, requireOffDuty } from './internal/locked-rows';
import { vehicleView } from './internal/vehicle-view';

export const editVehicleInput = vehicleFields.extend({ vehicleId: z.uuid({ error: 'is not a vehicle id' }) });

/**
 * Replaces what admins type about a vehicle. A change of type moves the driver to another
 * market (the live index files them under it), so it waits until they are off duty.
 */
export async function editVehicle(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof editVehicleInput>,
) {
  const { vehicleId, ...fields } = input;
  return auditedTransaction(
    deps,
    actor,
    async (change) => {
      const { tx } = change;
      const before = await lockVehicle(tx, vehicleId);
      const type = await checkTypeFor(tx, fields.vehicleTypeId, fields.capacity);
      if (fields.vehicleTypeId !== before.vehicleTypeId) {
        if (!type.active) throw invalidField('vehicleTypeId', `${type.name} is retired`);
        if (before.driverId)
          requireOffDuty(await lockDriver(tx, before.driverId, 'vehicleTypeId'), 'vehicleTypeId');
      }
      const [taken] = await tx
        .select({ id: vehicles.id })
        .from(vehicles)
        .where(and(eq(vehicles.plate, fields.plate), ne(vehicles.id, vehicleId)));
      if (taken) throw conflictOn('plate', `${fields.plate} is already registered`);
      const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => fields[k] !== before[k]);
      if (changed.length === 0) return vehicleView(before);
      return updateVehicle(change, vehicleId, fields, {
        change: 'edited',
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, fields[k]])),
      });
    },
    { vehicles_plate_key: ['plate', `${fields.plate} was just registered`] },
  );
}
