import { type CityPlace, demoCity } from '@/domain/city';

export type Place = CityPlace;

/**
 * Named places of the demo city (domain/city.ts), so riders can book without knowing
 * coordinates. Places are client-side data: the server takes any point in the service area.
 */
export const demoPlaces: readonly Place[] = demoCity.places;

export function placeById(id: string): Place | undefined {
  return demoPlaces.find((p) => p.id === id);
}
