import { asc } from 'drizzle-orm';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { vehicleTypes } from '@/db/schema';
import type { LatLng } from '@/domain/geo';
import type { LiveIndex } from '../../adapters/live-index';
import type { Database } from '../../infra/postgres';
import type { Clock, NearestSource } from '../ports';
import { findNearestDrivers } from './find-nearest-drivers';

/** "Cars near you" shows positions only to within an H3 res-8 cell (~500 m): never a driver's exact spot. */
const blurResolution = 8;
const radiusM = 3_000;
const perType = 5;

export interface NearbyType {
  vehicleTypeId: string;
  name: string;
  available: number;
  /** Pickup ETA of the nearest car, seconds; null when none is near. */
  etaS: number | null;
  /** Blurred positions, no ids. */
  cars: LatLng[];
}

/** What a rider sees before booking: per vehicle type, how many cars are near and how soon one could come. */
export async function nearbyCars(
  deps: { db: Database; liveIndex: LiveIndex; nearest?: NearestSource; clock: Clock },
  at: LatLng,
): Promise<NearbyType[]> {
  const types = await deps.db.select().from(vehicleTypes).orderBy(asc(vehicleTypes.sortOrder));
  return Promise.all(
    types.map(async (t) => {
      const drivers = await findNearestDrivers(deps, {
        ...at,
        vehicleTypeIds: [t.id],
        k: perType,
        maxRadiusM: radiusM,
      });
      const cars = drivers.map((d) => {
        const [lat, lng] = cellToLatLng(latLngToCell(d.lat, d.lng, blurResolution));
        return { lat, lng };
      });
      return {
        vehicleTypeId: t.id,
        name: t.name,
        available: drivers.length,
        etaS: drivers[0]?.etaS ?? null,
        cars,
      };
    }),
  );
}
