import { eq, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { fareTables, vehicleTypes } from '@/db/schema';
import { fareFields } from '@/domain/admin/fare-fields';
import { seats, vehicleTypeId, vehicleTypeName } from '@/domain/admin/vehicle-type-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { conflictOn } from './internal/field-errors';

/** A type is created with its fare table: a type without one could not be quoted. */
export const createVehicleTypeInput = z.object({
  id: vehicleTypeId,
  name: vehicleTypeName,
  seats,
  fare: fareFields,
});

/** Adds a vehicle type and its fare table, listed last, in one transaction with its audit entry. */
export async function createVehicleType(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof createVehicleTypeInput>,
) {
  return auditedTransaction(
    deps,
    actor,
    async ({ tx, now, audit }) => {
      const [taken] = await tx
        .select({ id: vehicleTypes.id })
        .from(vehicleTypes)
        .where(eq(vehicleTypes.id, input.id));
      if (taken) throw conflictOn('id', `a vehicle type "${input.id}" already exists`);
      const [sameName] = await tx
        .select({ id: vehicleTypes.id })
        .from(vehicleTypes)
        .where(sql`lower(${vehicleTypes.name}) = lower(${input.name})`);
      if (sameName) throw conflictOn('name', `"${sameName.id}" already has this name`);
      const [last] = await tx.select({ order: max(vehicleTypes.sortOrder) }).from(vehicleTypes);
      const [created] = await tx
        .insert(vehicleTypes)
        .values({ id: input.id, name: input.name, seats: input.seats, sortOrder: (last?.order ?? 0) + 1 })
        .returning();
      await tx
        .insert(fareTables)
        .values({ vehicleTypeId: input.id, ...input.fare, updatedAt: new Date(now) });
      await audit(
        'vehicle_type.changed',
        { type: 'vehicle_type', id: input.id },
        { change: 'created', name: input.name, seats: input.seats, fare: input.fare },
      );
      return created!;
    },
    // Two admins creating the same id at once: the primary key decides.
    { vehicle_types_pkey: ['id', 'this id was just taken'] },
  );
}
