import { and, eq, inArray } from 'drizzle-orm';
import { users, vehicles } from '@/db/schema';
import { estimateAll, straightLineEstimator, type TravelEstimator } from '@/domain/eta';
import type { LatLng } from '@/domain/geo';
import type { LiveIndex, NearestDriver } from '../../adapters/live-index';
import type { Database } from '../../infra/postgres';
import type { Clock, NearestSource } from '../ports';

export interface NearestWithEta extends NearestDriver {
  vehicleTypeId: string;
  etaS: number;
  roadDistanceM: number;
}

export const nearestLimits = { maxK: 50, maxRadiusM: 10_000 } as const;

/**
 * The k nearest available drivers of each asked vehicle type, with a pickup ETA, nearest first.
 * (Straight-line ranking; the ETA comes from the estimator: by road where the process has one.)
 */
export async function findNearestDrivers(
  deps: { liveIndex: LiveIndex; nearest?: NearestSource; clock: Clock; estimator?: TravelEstimator },
  query: LatLng & { vehicleTypeIds: string[]; k: number; maxRadiusM: number },
): Promise<NearestWithEta[]> {
  const estimator = deps.estimator ?? straightLineEstimator();
  const nowMs = deps.clock.now();
  const source = deps.nearest ?? deps.liveIndex;
  const perType = await Promise.all(
    query.vehicleTypeIds.map(async (vehicleTypeId) => {
      const { drivers } = await source.nearest({ ...query, vehicleTypeId, nowMs });
      const travels = estimateAll(estimator, drivers, query);
      return drivers.map((d, i) => {
        const travel = travels[i]!;
        return {
          ...d,
          vehicleTypeId,
          etaS: Math.round(travel.durationS),
          roadDistanceM: Math.round(travel.distanceM),
        };
      });
    }),
  );
  return perType
    .flat()
    .sort((a, b) => a.distanceM - b.distanceM)
    .slice(0, query.k);
}

/** Names and plates of drivers, by id (the live streams carry only ids). */
export async function driverDirectory(db: Database, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, plate: vehicles.plate, vehicleTypeId: vehicles.vehicleTypeId })
    .from(users)
    .leftJoin(vehicles, eq(vehicles.driverId, users.id))
    .where(and(inArray(users.id, ids), eq(users.role, 'driver')));
}
