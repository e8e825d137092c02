import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { vehicles } from '@/db/schema';
import { vehicleFields } from '@/domain/admin/vehicle-fields';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
import { conflictOn, invalidField, violatedUnique } from './internal/field-errors';
import { checkTypeFor } from './internal/locked-rows';
import { vehicleView } from './internal/vehicle-view';

export const createVehicleInput = vehicleFields;

/** Registers a vehicle, active and without a driver (assigning is its own step). */
export async function createVehicle(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof createVehicleInput>,
) {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const type = await checkTypeFor(tx, input.vehicleTypeId, input.capacity);
      if (!type.active) throw invalidField('vehicleTypeId', `${type.name} is retired`);
      const [taken] = await tx
        .select({ id: vehicles.id })
        .from(vehicles)
        .where(eq(vehicles.plate, input.plate));
      if (taken) throw conflictOn('plate', `${input.plate} is already registered`);
      const [created] = await tx
        .insert(vehicles)
        .values({ ...input, status: 'active', createdAt: new Date(now) })
        .returning();
      await recordAudit(tx, {
        action: 'vehicle.changed',
        actor,
        ip: actor.ip ?? null,
        subject: { type: 'vehicle', id: created!.id },
        details: { change: 'created', after: input },
        at: now,
      });
      return vehicleView(created!);
    });
  } catch (error) {
    // Two admins registering the same plate at once: the unique index decides.
    if (violatedUnique(error) === 'vehicles_plate_key') {
      throw conflictOn('plate', `${input.plate} was just registered`);
    }
    throw error;
  }
}
