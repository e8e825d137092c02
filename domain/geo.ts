import { z } from 'zod';

/** A point on the globe, as every door parses one (paths `lat`, `lng` in errors). */
export const latLngSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type LatLng = z.infer<typeof latLngSchema>;

const earthRadiusM = 6_371_008.8;
const toRad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const dLat = toRad(b.lat - a.lat);
  const dLng = toRad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Moves `distanceM` from `from` along a compass bearing (degrees); fine for city distances. */
export function offsetMeters(from: LatLng, northM: number, eastM: number): LatLng {
  const dLat = northM / earthRadiusM;
  const dLng = eastM / (earthRadiusM * Math.cos(toRad(from.lat)));
  return { lat: from.lat + (dLat * 180) / Math.PI, lng: from.lng + (dLng * 180) / Math.PI };
}

/** Finite and within bounds (zod numbers refuse NaN and infinities). */
export function isValidLatLng(p: LatLng): boolean {
  return latLngSchema.safeParse(p).success;
}
