import { eq } from 'drizzle-orm';
import { vehicles, vehicleTypes } from '@/db/schema';
import type { AuditedTx } from './audited-transaction';
import { vehicleView } from './vehicle-view';

/**
 * The last step of a vehicle change, once the use case has locked and checked what it needs:
 * writes `set` and the `vehicle.changed` entry that says what changed. Returns the browser's view.
 */
export async function updateVehicle(
  change: AuditedTx,
  vehicleId: string,
  set: Partial<typeof vehicles.$inferInsert>,
  details: Record<string, unknown>,
) {
  const [after] = await change.tx.update(vehicles).set(set).where(eq(vehicles.id, vehicleId)).returning();
  await change.audit('vehicle.changed', { type: 'vehicle', id: vehicleId }, details);
  return vehicleView(after!);
}

/** The same for a vehicle type: writes `set` and its `vehicle_type.changed` entry; returns the row. */
export async function updateVehicleType(
  change: AuditedTx,
  id: string,
  set: Partial<typeof vehicleTypes.$inferInsert>,
  details: Record<string, unknown>,
) {
  const [after] = await change.tx.update(vehicleTypes).set(set).where(eq(vehicleTypes.id, id)).returning();
  await change.audit('vehicle_type.changed', { type: 'vehicle_type', id }, details);
  return after!;
}
