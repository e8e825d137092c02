import { demoCity } from '@/domain/city';
import { type LatLng, offsetMeters } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';

/**
 * The benchmark's city: N drivers, derived from a seed so the parent and every child process
 * agree on ids, sessions, vehicle types and starting points without shipping them around.
 * A 30 km square around Bengaluru's centre (about a real metro's extent).
 */
/** The demo city's centre: bookings must fall inside its default service area. */
export const benchCentre: LatLng = demoCity.center;
export const benchHalfSideM = 15_000;
export const vehicleTypeIds = [
  'economy',
  'economy',
  'economy',
  'comfort',
  'comfort',
  'xl',
  'moto',
  'moto',
] as const;

export interface BenchDriver {
  id: string;
  sessionId: string;
  vehicleTypeId: string;
  start: LatLng;
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  // Version 4, variant 10xx: a valid UUID for zod and PostgreSQL.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function benchFleet(count: number, seed: number): BenchDriver[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    id: uuidFrom(random),
    sessionId: uuidFrom(random),
    vehicleTypeId: vehicleTypeIds[Math.floor(random() * vehicleTypeIds.length)]!,
    start: offsetMeters(
      benchCentre,
      (random() * 2 - 1) * benchHalfSideM,
      (random() * 2 - 1) * benchHalfSideM,
    ),
  }));
}

export function randomPointInCity(random: () => number): LatLng {
  return offsetMeters(benchCentre, (random() * 2 - 1) * benchHalfSideM, (random() * 2 - 1) * benchHalfSideM);
}
