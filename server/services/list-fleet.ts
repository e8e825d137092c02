import { asc, eq } from 'drizzle-orm';
import { drivers, users, vehicles, vehicleTypes } from '@/db/schema';
import type { Database } from '../infra/postgres';

/** Every vehicle with its type and driver, for the admin's fleet table. */
export async function listFleet(db: Database) {
  return db
    .select({
      id: vehicles.id,
      plate: vehicles.plate,
      vehicleType: vehicleTypes.name,
      make: vehicles.make,
      model: vehicles.model,
      color: vehicles.color,
      status: vehicles.status,
      driverName: users.name,
      availability: drivers.availability,
    })
    .from(vehicles)
    .innerJoin(vehicleTypes, eq(vehicleTypes.id, vehicles.vehicleTypeId))
    .leftJoin(drivers, eq(drivers.userId, vehicles.driverId))
    .leftJoin(users, eq(users.id, drivers.userId))
    .orderBy(asc(vehicles.plate));
}
