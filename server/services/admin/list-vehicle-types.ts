import { asc, count, eq, ne } from 'drizzle-orm';
import { fareTables, vehicles, vehicleTypes } from '@/db/schema';
import type { Database } from '../../infra/postgres';

/**
 * Every vehicle type (retired ones too) with its fare table and how many vehicles are in service.
 * Not paged: types are a handful per city and the pricing form needs them all.
 */
export async function listVehicleTypes(db: Database) {
  const rows = await db
    .select({
      id: vehicleTypes.id,
      name: vehicleTypes.name,
      seats: vehicleTypes.seats,
      sortOrder: vehicleTypes.sortOrder,
      active: vehicleTypes.active,
      baseFare: fareTables.baseFare,
      perKm: fareTables.perKm,
      perMinute: fareTables.perMinute,
      minimumFare: fareTables.minimumFare,
      bookingFee: fareTables.bookingFee,
      fareUpdatedAt: fareTables.updatedAt,
    })
    .from(vehicleTypes)
    .leftJoin(fareTables, eq(fareTables.vehicleTypeId, vehicleTypes.id))
    .orderBy(asc(vehicleTypes.sortOrder), asc(vehicleTypes.id));
  const inService = await db
    .select({ typeId: vehicles.vehicleTypeId, n: count() })
    .from(vehicles)
    .where(ne(vehicles.status, 'retired'))
    .groupBy(vehicles.vehicleTypeId);
  const counts = new Map(inService.map((r) => [r.typeId, r.n]));
  return rows.map(({ baseFare, perKm, perMinute, minimumFare, bookingFee, fareUpdatedAt, ...type }) => ({
    ...type,
    vehiclesInService: counts.get(type.id) ?? 0,
    fare:
      baseFare === null
        ? null
        : {
            baseFare,
            perKm: perKm!,
            perMinute: perMinute!,
            minimumFare: minimumFare!,
            bookingFee: bookingFee!,
            updatedAt: fareUpdatedAt!.getTime(),
          },
  }));
}
