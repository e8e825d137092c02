import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles } from '@/db/schema';
import { vehicleFields } from '@/domain/admin/vehicle-fields';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
import { conflictOn, invalidField, violatedUnique } from './internal/field-errors';
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
  const now = deps.clock.now();
  const { vehicleId, ...fields } = input;
  try {
    return await deps.db.transaction(async (tx) => {
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
      const [after] = await tx.update(vehicles).set(fields).where(eq(vehicles.id, vehicleId)).returning();
      await recordAudit(tx, {
        action: 'vehicle.changed',
        actor,
        ip: actor.ip ?? null,
        subject: { type: 'vehicle', id: vehicleId },
        details: {
          change: 'edited',
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, fields[k]])),
        },
        at: now,
      });
      return vehicleView(after!);
    });
  } catch (error) {
    if (violatedUnique(error) === 'vehicles_plate_key') {
      throw conflictOn('plate', `${fields.plate} was just registered`);
    }
    throw error;
  }
}
