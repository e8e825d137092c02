import { and, count, eq, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles, vehicleTypes } from '@/db/schema';
import { anyVehicleTypeId, seats } from '@/domain/admin/vehicle-type-fields';
import { recordAudit } from '../platform/audit';
import type { AdminActor, AdminDeps } from './deps';
import { conflictOn, notFoundField } from './internal/field-errors';

export const setVehicleTypeSeatsInput = z.object({ id: anyVehicleTypeId, seats });

/**
 * Changes the seats riders are promised. Refused while a vehicle of the type in service seats
 * fewer: a rider booking six seats must never be sent a four-seat car.
 */
export async function setVehicleTypeSeats(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof setVehicleTypeSeatsInput>,
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [type] = await tx.select().from(vehicleTypes).where(eq(vehicleTypes.id, input.id)).for('update');
    if (!type) throw notFoundField('id', 'vehicle type');
    if (type.seats === input.seats) return type;
    const [small] = await tx
      .select({ n: count() })
      .from(vehicles)
      .where(
        and(
          eq(vehicles.vehicleTypeId, input.id),
          ne(vehicles.status, 'retired'),
          lt(vehicles.capacity, input.seats),
        ),
      );
    if (small && small.n > 0) {
      throw conflictOn(
        'seats',
        `${small.n} vehicle(s) of this type seat fewer than ${input.seats}; raise their capacity or retire them first`,
      );
    }
    const [updated] = await tx
      .update(vehicleTypes)
      .set({ seats: input.seats })
      .where(eq(vehicleTypes.id, input.id))
      .returning();
    await recordAudit(tx, {
      action: 'vehicle_type.changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'vehicle_type', id: input.id },
      details: { change: 'seats', before: type.seats, after: input.seats },
      at: now,
    });
    return updated!;
  });
}
