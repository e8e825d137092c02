import { and, count, eq, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import { vehicles } from '@/db/schema';
import { anyVehicleTypeId, seats } from '@/domain/admin/vehicle-type-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { updateVehicleType } from './internal/audited-updates';
import { conflictOn } from './internal/field-errors';
import { lockVehicleType } from './internal/locked-rows';

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
  return auditedTransaction(deps, actor, async (change) => {
    const type = await lockVehicleType(change.tx, input.id);
    if (type.seats === input.seats) return type;
    const [small] = await change.tx
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
    return updateVehicleType(
      change,
      input.id,
      { seats: input.seats },
      { change: 'seats', before: type.seats, after: input.seats },
    );
  });
}
