import { demoCity } from '@/domain/city';
import { type LatLng, offsetMeters } from '@/domain/geo';

export interface Place extends LatLng {
  id: string;
  label: string;
}

/**
 * Named places of the demo city, on its street grid (multiples of the 400 m block), so riders
 * can book without knowing coordinates. Places are client-side data: the server takes any point
 * in the service area.
 */
const offsets: [id: string, label: string, northM: number, eastM: number][] = [
  ['central-square', 'Central Square', 0, 0],
  ['city-station', 'City Station', 2_000, -800],
  ['hospital', 'General Hospital', 800, 1_600],
  ['lake-view', 'Lake View', 2_800, 2_400],
  ['tech-park', 'Tech Park', -1_200, 3_200],
  ['old-market', 'Old Market', -1_600, -2_000],
  ['university', 'University Gate', -3_200, -800],
  ['stadium', 'Stadium', 4_000, -3_200],
];

export const demoPlaces: Place[] = offsets.map(([id, label, north, east]) => ({
  id,
  label,
  ...offsetMeters(demoCity.center, north, east),
}));

export function placeById(id: string): Place | undefined {
  return demoPlaces.find((p) => p.id === id);
}
