import type { LatLng } from '@/domain/geo';
import { demoPlaces } from './demo-places';

/** One end of a trip as the rider set it: a named place or a pin (label null). */
export interface TripEndValue extends LatLng {
  label: string | null;
}

/** What the planner starts from: empty, or the trip a "try again" repeats. */
export interface TripDraft {
  pickup: TripEndValue | null;
  dropoff: TripEndValue | null;
  vehicleTypeId: string;
}

export const emptyDraft: TripDraft = { pickup: null, dropoff: null, vehicleTypeId: 'economy' };

/** The named place at this exact point, if the rider chose one. */
export function placeIdOf(value: TripEndValue | null): string {
  if (!value) return '';
  const place = demoPlaces.find(
    (p) =>
      p.label === value.label && Math.abs(p.lat - value.lat) < 1e-7 && Math.abs(p.lng - value.lng) < 1e-7,
  );
  return place?.id ?? 'pin';
}
