import { count, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { drivers, users, vehicles } from '@/db/schema';
import { accountStatuses } from '@/domain/account';
import { documentStatuses } from '@/domain/fleet';
import type { Database } from '../../infra/postgres';
import { selectDriversWithVehicle } from '../driver/internal/driver-with-vehicle';
import { listFilter, listInput, onePage, pageOf } from './internal/list-params';
import { personColumns, personView } from './internal/person-view';

export const listDriversInput = listInput([
  'name',
  'email',
  'documentStatus',
  'status',
  'availability',
  'plate',
  'createdAt',
]).extend({
  documentStatus: z.enum(documentStatuses).optional(),
  status: z.enum(accountStatuses).optional(),
  /** Drivers a vehicle can be given to. */
  withoutVehicle: z.boolean().default(false),
});

const sortColumns = {
  name: users.name,
  email: users.email,
  documentStatus: drivers.documentStatus,
  status: users.status,
  availability: drivers.availability,
  plate: vehicles.plate,
  createdAt: users.createdAt,
} as const;

/**
 * Drivers with their onboarding state and vehicle. Personal fields stay encrypted here: the list
 * says only whether a phone is on file; `revealPii` shows one on demand, and audits it.
 */
export async function listDrivers(db: Database, input: z.infer<typeof listDriversInput>) {
  const filter = listFilter(
    input.search,
    [users.name, users.email, vehicles.plate],
    eq(users.role, 'driver'),
    input.documentStatus && eq(drivers.documentStatus, input.documentStatus),
    input.status && eq(users.status, input.status),
    input.withoutVehicle ? isNull(vehicles.id) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    onePage(
      selectDriversWithVehicle(db, {
        ...personColumns,
        documentStatus: drivers.documentStatus,
        documentNote: drivers.documentNote,
        availability: drivers.availability,
        vehicleId: vehicles.id,
        plate: vehicles.plate,
        vehicleStatus: vehicles.status,
      })
        .where(filter)
        .$dynamic(),
      input,
      sortColumns,
      users.id,
    ),
    selectDriversWithVehicle(db, { n: count() }).where(filter),
  ]);
  return pageOf(input, rows.map(personView), total);
}
