import { eq } from 'drizzle-orm';
import { drivers, users, vehicles } from '@/db/schema';
import { type AvailabilityState, allowedEvents, driverEvents } from '@/domain/driver-availability';
import { DomainError } from '@/domain/errors';
import type { Database } from '../../infra/postgres';
import { selectDriversWithVehicle } from './internal/driver-with-vehicle';

export interface DriverConsole {
  driverId: string;
  name: string;
  state: AvailabilityState;
  version: number;
  sessionId: string | null;
  vehicle: { plate: string; vehicleTypeId: string; description: string } | null;
  /** Commands the driver can give from this state; the app shows only these. */
  actions: string[];
}

export async function getDriverConsole(db: Database, driverId: string): Promise<DriverConsole> {
  const [row] = await selectDriversWithVehicle(db, {
    name: users.name,
    state: drivers.availability,
    version: drivers.availabilityVersion,
    sessionId: drivers.dutySessionId,
    plate: vehicles.plate,
    vehicleTypeId: vehicles.vehicleTypeId,
    make: vehicles.make,
    model: vehicles.model,
    color: vehicles.color,
  })
    .where(eq(drivers.userId, driverId))
    .limit(1);
  if (!row) throw new DomainError('NOT_FOUND', 'No driver profile for this account');
  return {
    driverId,
    name: row.name,
    state: row.state,
    version: row.version,
    sessionId: row.sessionId,
    vehicle:
      row.plate && row.vehicleTypeId
        ? {
            plate: row.plate,
            vehicleTypeId: row.vehicleTypeId,
            description: `${row.color} ${row.make} ${row.model}`,
          }
        : null,
    actions: allowedEvents(row.state).filter((e) => driverEvents.includes(e)),
  };
}
