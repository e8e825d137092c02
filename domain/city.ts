import type { LatLng } from './geo';
import { offsetMeters } from './geo';

/** The demo city: a square street grid around a centre. Pure data for the map and the simulator. */
export interface CityConfig {
  id: string;
  name: string;
  center: LatLng;
  /** Half the side of the gridded square, metres. */
  radiusM: number;
  /** Distance between parallel streets, metres. */
  blockM: number;
}

export const demoCity: CityConfig = {
  id: 'blr',
  name: 'Bengaluru (demo grid)',
  center: { lat: 12.9716, lng: 77.5946 },
  radiusM: 6_000,
  blockM: 400,
};

/** Number of streets in each direction. */
export function gridSize(city: CityConfig): number {
  return Math.floor((2 * city.radiusM) / city.blockM) + 1;
}

/** Position of intersection (i, j), i counting west→east and j south→north. */
export function intersection(city: CityConfig, i: number, j: number): LatLng {
  return offsetMeters(city.center, -city.radiusM + j * city.blockM, -city.radiusM + i * city.blockM);
}

/** Streets as line strings: first the north-south avenues, then the east-west streets. */
export function streetLines(city: CityConfig): LatLng[][] {
  const n = gridSize(city);
  const lines: LatLng[][] = [];
  for (let i = 0; i < n; i++) lines.push([intersection(city, i, 0), intersection(city, i, n - 1)]);
  for (let j = 0; j < n; j++) lines.push([intersection(city, 0, j), intersection(city, n - 1, j)]);
  return lines;
}
