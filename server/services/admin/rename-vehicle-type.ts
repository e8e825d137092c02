import { and, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { vehicleTypes } from '@/db/schema';
import { anyVehicleTypeId, vehicleTypeName } from '@/domain/admin/vehicle-type-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { updateVehicleType } from './internal/audited-updates';
import { conflictOn } from './internal/field-errors';
import { lockVehicleType } from './internal/locked-rows';

export const renameVehicleTypeInput = z.object({ id: anyVehicleTypeId, name: vehicleTypeName });

/** Renames a type (what riders read); the id, which bookings keep, never changes. */
export async function renameVehicleType(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof renameVehicleTypeInput>,
) {
  return auditedTransaction(deps, actor, async (change) => {
    const type = await lockVehicleType(change.tx, input.id);
    const [sameName] = await change.tx
      .select({ id: vehicleTypes.id })
      .from(vehicleTypes)
      .where(and(ne(vehicleTypes.id, input.id), sql`lower(${vehicleTypes.name}) = lower(${input.name})`));
    if (sameName) throw conflictOn('name', `"${sameName.id}" already has this name`);
    if (type.name === input.name) return type;
    return updateVehicleType(
      change,
      input.id,
      { name: input.name },
      { change: 'renamed', before: type.name, after: input.name },
    );
  });
}
