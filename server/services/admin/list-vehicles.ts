import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { drivers, users, vehicles, vehicleTypes } from '@/db/schema';
import { vehicleStatuses } from '@/domain/fleet';
import type { Database } from '../../infra/postgres';
import { listFilter, listInput, onePage, pageOf } from './internal/list-params';

export const listVehiclesInput = listInput([
  'plate',
  'type',
  'status',
  'driver',
  'capacity',
  'createdAt',
]).extend({
  status: z.enum(vehicleStatuses).optional(),
});

const sortColumns = {
  plate: vehicles.plate,
  type: vehicleTypes.name,
  status: vehicles.status,
  driver: users.name,
  capacity: vehicles.capacity,
  createdAt: vehicles.createdAt,
} as const;

/** The fleet table: search by plate, make, model or driver; sort by any column; one page. */
export async function listVehicles(db: Database, input: z.infer<typeof listVehiclesInput>) {
  const filter = listFilter(
    input.search,
    [vehicles.plate, vehicles.make, vehicles.model, users.name],
    input.status && eq(vehicles.status, input.status),
  );
  const from = () =>
    db
      .select({
        id: vehicles.id,
        plate: vehicles.plate,
        vehicleTypeId: vehicles.vehicleTypeId,
        vehicleType: vehicleTypes.name,
        make: vehicles.make,
        model: vehicles.model,
        color: vehicles.color,
        capacity: vehicles.capacity,
        status: vehicles.status,
        driverId: vehicles.driverId,
        driverName: users.name,
        availability: drivers.availability,
        createdAt: vehicles.createdAt,
      })
      .from(vehicles)
      .innerJoin(vehicleTypes, eq(vehicleTypes.id, vehicles.vehicleTypeId))
      .leftJoin(drivers, eq(drivers.userId, vehicles.driverId))
      .leftJoin(users, eq(users.id, drivers.userId));
  const [rows, [total]] = await Promise.all([
    onePage(from().where(filter).$dynamic(), input, sortColumns, vehicles.id),
    db.select({ n: count() }).from(vehicles).leftJoin(users, eq(users.id, vehicles.driverId)).where(filter),
  ]);
  return pageOf(
    input,
    rows.map((r) => ({ ...r, createdAt: r.createdAt.getTime() })),
    total,
  );
}
