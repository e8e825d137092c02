import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fareTables } from '@/db/schema';
import { fareFields } from '@/domain/admin/fare-fields';
import { anyVehicleTypeId } from '@/domain/admin/vehicle-type-fields';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
import { notFoundField } from './internal/field-errors';

export const updateFareTableInput = z.object({ vehicleTypeId: anyVehicleTypeId, fare: fareFields });

/**
 * Replaces a type's fare table. Quotes read the table each time, so the next quote uses it;
 * quotes already given keep their signed price until they expire (5 minutes).
 */
export async function updateFareTable(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof updateFareTableInput>,
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
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
    await recordAudit(tx, {
      action: 'fare_table.changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'vehicle_type', id: input.vehicleTypeId },
      details: { before: old, after: input.fare },
      at: now,
    });
    return { ...after!, updatedAt: after!.updatedAt.getTime() };
  });
}
