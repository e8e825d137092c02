import { eq } from 'drizzle-orm';
import type { PgSelectBase, SelectedFields } from 'drizzle-orm/pg-core';
import { drivers, users, vehicles } from '@/db/schema';
import type { Database } from '../../../infra/postgres';

/** The rows of `selectDriversWithVehicle`: a driver's vehicle columns are null when they have none. */
type DriversWithVehicle<T extends SelectedFields> = PgSelectBase<
  'drivers',
  T,
  'partial',
  { drivers: 'not-null'; users: 'not-null'; vehicles: 'nullable' }
>;

/**
 * Drivers with their account and, where they have one, their vehicle (a driver has at most one):
 * the join of the driver's console and of the admins' driver list; `fields` from any of the three.
 */
export function selectDriversWithVehicle<T extends SelectedFields>(db: Database, fields: T) {
  // Drizzle cannot follow a join through a selection still generic here; the type above is what it
  // infers for any concrete `fields`.
  return db
    .select(fields as SelectedFields)
    .from(drivers)
    .innerJoin(users, eq(users.id, drivers.userId))
    .leftJoin(vehicles, eq(vehicles.driverId, drivers.userId)) as unknown as DriversWithVehicle<T>;
}
