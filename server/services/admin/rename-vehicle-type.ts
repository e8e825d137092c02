import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { vehicleTypes } from '@/db/schema';
import { anyVehicleTypeId, vehicleTypeName } from '@/domain/admin/vehicle-type-fields';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
import { conflictOn, notFoundField } from './internal/field-errors';

export const renameVehicleTypeInput = z.object({ id: anyVehicleTypeId, name: vehicleTypeName });

/** Renames a type (what riders read); the id, which bookings keep, never changes. */
export async function renameVehicleType(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof renameVehicleTypeInput>,
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [type] = await tx.select().from(vehicleTypes).where(eq(vehicleTypes.id, input.id)).for('update');
    if (!type) throw notFoundField('id', 'vehicle type');
    const [sameName] = await tx
      .select({ id: vehicleTypes.id })
      .from(vehicleTypes)
      .where(and(ne(vehicleTypes.id, input.id), sql`lower(${vehicleTypes.name}) = lower(${input.name})`));
    if (sameName) throw conflictOn('name', `"${sameName.id}" already has this name`);
    if (type.name === input.name) return type;
    const [updated] = await tx
      .update(vehicleTypes)
      .set({ name: input.name })
      .where(eq(vehicleTypes.id, input.id))
      .returning();
    await recordAudit(tx, {
      action: 'vehicle_type.changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'vehicle_type', id: input.id },
      details: { change: 'renamed', before: type.name, after: input.name },
      at: now,
    });
    return updated!;
  });
}
