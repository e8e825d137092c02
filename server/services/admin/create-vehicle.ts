import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { vehicles } from '@/db/schema';
import { vehicleFields } from '@/domain/admin/vehicle-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { conflictOn, invalidField } from './internal/field-errors';
import { checkTypeFor } from './internal/locked-rows';
import { vehicleView } from './internal/vehicle-view';

export const createVehicleInput = vehicleFields;

/** Registers a vehicle, active and without a driver (assigning is its own step). */
export async function createVehicle(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof createVehicleInput>,
) {
  return auditedTransaction(
    deps,
    actor,
    async ({ tx, now, audit }) => {
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
      await audit(
        'vehicle.changed',
        { type: 'vehicle', id: created!.id },
        { change: 'created', after: input },
      );
      return vehicleView(created!);
    },
    // Two admins registering the same plate at once: the unique index decides.
    { vehicles_plate_key: ['plate', `${input.plate} was just registered`] },
  );
}
