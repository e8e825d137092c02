import { and, count, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles, vehicleTypes } from '@/db/schema';
import { anyVehicleTypeId } from '@/domain/admin/vehicle-type-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { updateVehicleType } from './internal/audited-updates';
import { conflictOn, notFoundField } from './internal/field-errors';

export const setVehicleTypeActiveInput = z.object({ id: anyVehicleTypeId, active: z.boolean() });

/**
 * Retires a type (no longer quoted, no new vehicles of it; past bookings keep naming it) or brings
 * it back. The last active type cannot be retired: riders would have nothing to book.
 */
export async function setVehicleTypeActive(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof setVehicleTypeActiveInput>,
) {
  return auditedTransaction(deps, actor, async (change) => {
    // Every type row is locked, so two admins cannot each retire one of the last two.
    const all = await change.tx.select().from(vehicleTypes).for('update');
    const type = all.find((t) => t.id === input.id);
    if (!type) throw notFoundField('id', 'vehicle type');
    if (type.active === input.active) return type;
    if (!input.active && all.filter((t) => t.active).length === 1) {
      throw conflictOn('id', 'this is the last active vehicle type; riders could book nothing');
    }
    const [inService] = await change.tx
      .select({ n: count() })
      .from(vehicles)
      .where(and(eq(vehicles.vehicleTypeId, input.id), ne(vehicles.status, 'retired')));
    return updateVehicleType(
      change,
      input.id,
      { active: input.active },
      { change: input.active ? 'reactivated' : 'retired', vehiclesInService: inService?.n ?? 0 },
    );
  });
}
