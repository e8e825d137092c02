import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fareTables } from '@/db/schema';
import { fareFields } from '@/domain/admin/fare-fields';
import { anyVehicleTypeId } from '@/domain/admin/vehicle-type-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { notFoundField } from './internal/field-errors';

export const updateFareTableInput = z.object({ vehicleTypeId: anyVehicleTypeId, fare: fareFields });

/**
 * Replaces a type's fare table. The next quote in this process uses it (the catalog copy is dropped
 * after commit), other processes' within the catalog cache period; quotes already given keep their signed price until they expire (5 minutes).
 */
export async function updateFareTable(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof updateFareTableInput>,
) {
  return auditedTransaction(deps, actor, async ({ tx, now, audit }) => {
    const [before] = await tx
      .select()
      .from(fareTables)
      .where(eq(fareTables.vehicleTypeId, input.vehicleTypeId))
      .for('update');
    if (!before) throw notFoundField('vehicleTypeId', 'vehicle type with a fare table');
    const [after] = await tx
      .update(fareTables)
      .set({ ...input.fare, updatedAt: new Date(now) })
      .where(eq(fareTables.vehicleTypeId, input.vehicleTypeId))
      .returning();
    const { vehicleTypeId: _id, updatedAt: _at, ...old } = before;
    await audit(
      'fare_table.changed',
      { type: 'vehicle_type', id: input.vehicleTypeId },
      { before: old, after: input.fare },
    );
    return { ...after!, updatedAt: after!.updatedAt.getTime() };
  });
}
