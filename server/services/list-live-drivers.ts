import { eq, inArray } from 'drizzle-orm';
import { users, vehicles } from '@/db/schema';
import type { LiveDriver } from '@/domain/realtime-contract';
import type { LiveIndex } from '../adapters/live-index';
import type { Database } from '../infra/postgres';
import type { Clock } from './ports';

export interface LiveDriverRow extends LiveDriver {
  name: string;
  plate: string | null;
}

/** Snapshot for the operations map: every online driver with a position, with names and plates. */
export async function listLiveDrivers(deps: {
  db: Database;
  liveIndex: LiveIndex;
  clock: Clock;
}): Promise<{ drivers: LiveDriverRow[]; serverTime: number }> {
  const live = await deps.liveIndex.snapshot();
  const ids = live.map((d) => d.driverId);
  const details =
    ids.length === 0
      ? []
      : await deps.db
          .select({ id: users.id, name: users.name, plate: vehicles.plate })
          .from(users)
          .leftJoin(vehicles, eq(vehicles.driverId, users.id))
          .where(inArray(users.id, ids));
  const byId = new Map(details.map((d) => [d.id, d]));
  return {
    drivers: live.map((d) => ({
      ...d,
      name: byId.get(d.driverId)?.name ?? 'Unknown',
      plate: byId.get(d.driverId)?.plate ?? null,
    })),
    serverTime: deps.clock.now(),
  };
}
