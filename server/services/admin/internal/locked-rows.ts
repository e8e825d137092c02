import { eq } from 'drizzle-orm';
import { drivers, users, vehicles, vehicleTypes } from '@/db/schema';
import type { Tx } from '../deps';
import { conflictOn, invalidField, notFoundField } from './field-errors';

/**
 * Row locks shared by the admin use cases. Order, where both are taken: the vehicle first, then
 * its driver(s). Going on duty locks the driver row, so a vehicle cannot be taken
 * away between a driver's check and their going online.
 */
export async function lockVehicle(tx: Tx, vehicleId: string, field = 'vehicleId') {
  const [vehicle] = await tx.select().from(vehicles).where(eq(vehicles.id, vehicleId)).for('update');
  if (!vehicle) throw notFoundField(field, 'vehicle');
  return vehicle;
}

/** A vehicle type, locked against concurrent edits of it. */
export async function lockVehicleType(tx: Tx, id: string) {
  const [type] = await tx.select().from(vehicleTypes).where(eq(vehicleTypes.id, id)).for('update');
  if (!type) throw notFoundField('id', 'vehicle type');
  return type;
}

/** An account's role and status, locked (under `lockAdminChanges` where the change may take an admin away). */
export async function lockUser(tx: Tx, userId: string) {
  const [user] = await tx
    .select({ id: users.id, role: users.role, status: users.status })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  if (!user) throw notFoundField('userId', 'user');
  return user;
}

/**
 * The driver row, locked. `assignee`: the driver a vehicle is about to be given, who must exist and
 * still have the driver role; otherwise the current holder of a vehicle, whatever their role now.
 */
export async function lockDriver(tx: Tx, driverId: string, field: string, assignee = false) {
  const [driver] = await tx
    .select({
      id: drivers.userId,
      name: users.name,
      role: users.role,
      availability: drivers.availability,
    })
    .from(drivers)
    .innerJoin(users, eq(users.id, drivers.userId))
    .where(eq(drivers.userId, driverId))
    .for('update', { of: drivers });
  if (!driver || (assignee && driver.role !== 'driver')) throw notFoundField(field, 'driver');
  return driver;
}

/** The live index and the driver's duty session name the vehicle: it changes only while they are off duty. */
export function requireOffDuty(driver: { name: string; availability: string }, field: string): void {
  if (driver.availability !== 'offline') {
    throw conflictOn(
      field,
      `${driver.name} is on duty (${driver.availability.replace('_', ' ')}); change their vehicle once they are offline`,
    );
  }
}

/** A type new vehicles may have: it exists, is not retired and the capacity seats its riders. */
export async function checkTypeFor(tx: Tx, vehicleTypeId: string, capacity: number) {
  // FOR SHARE: a concurrent seat change or retirement of the type waits, so neither sees a stale row.
  const [type] = await tx.select().from(vehicleTypes).where(eq(vehicleTypes.id, vehicleTypeId)).for('share');
  if (!type) throw invalidField('vehicleTypeId', 'no such vehicle type');
  if (capacity < type.seats) {
    throw invalidField('capacity', `a ${type.name} must seat at least ${type.seats}`);
  }
  return type;
}
