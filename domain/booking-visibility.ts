import type { BookingStatus } from './booking';
import type { Role } from './roles';

export type Viewer = { id: string; role: Role };

/** The parts of a booking that decide who may see it. */
export interface BookingParties {
  riderId: string;
  driverId: string | null;
  offeredDriverId: string | null;
  status: BookingStatus;
}

/**
 * May this viewer see this booking? Riders their own, drivers theirs (or the offer to them),
 * dispatch all. One rule for the API read and for the realtime rooms, so a socket never follows
 * a booking the API would answer "not found" for.
 */
export function canView(viewer: Viewer, b: BookingParties): boolean {
  if (viewer.role === 'dispatcher' || viewer.role === 'admin') return true;
  if (viewer.role === 'rider') return b.riderId === viewer.id;
  if (viewer.role === 'driver')
    return b.driverId === viewer.id || (b.status === 'offered' && b.offeredDriverId === viewer.id);
  return false;
}
