import { and, count, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles, vehicleTypes } from '@/db/schema';
import { anyVehicleTypeId } from '@/domain/admin/vehicle-type-fields';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
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
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // Every type row is locked, so two admins cannot each retire one of the last two.
    const all = await tx.select().from(vehicleTypes).for('update');
    const type = all.find((t) => t.id === input.id);
    if (!type) throw notFoundField('id', 'vehicle type');
    if (type.active === input.active) return type;
    if (!input.active && all.filter((t) => t.active).length === 1) {
      throw conflictOn('id', 'this is the last active vehicle type; riders could book nothing');
    }
    const [inService] = await tx
      .select({ n: count() })
      .from(vehicles)
      .where(and(eq(vehicles.vehicleTypeId, input.id), ne(vehicles.status, 'retired')));
    const [updated] = await tx
      .update(vehicleTypes)
      .set({ active: input.active })
      .where(eq(vehicleTypes.id, input.id))
      .returning();
    await recordAudit(tx, {
      action: 'vehicle_type.changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'vehicle_type', id: input.id },
      details: { change: input.active ? 'reactivated' : 'retired', vehiclesInService: inService?.n ?? 0 },
      at: now,
    });
    return updated!;
  });
}
