import type { TravelEstimate } from '@/domain/eta';
import type { LatLng } from '@/domain/geo';

/** The road route a trip's driver is on now, as the rider's and the driver's maps draw it. */
export interface DriverWay {
  /** To the pickup (accepted) or the drop-off (in progress), from the driver's last position. */
  to: 'pickup' | 'dropoff';
  path: LatLng[];
  distanceM: number;
  durationS: number;
  /** The road to turn into next ('' roads skipped); the current one when no turn is left. */
  nextRoad: string | null;
}

/** The way an estimate describes; null when the estimator only guessed (no road path). */
export function wayOf(to: DriverWay['to'], travel: TravelEstimate): DriverWay | null {
  if (!travel.path) return null;
  const named = (travel.steps ?? []).filter((s) => s.name);
  return {
    to,
    path: travel.path,
    distanceM: Math.round(travel.distanceM),
    durationS: Math.round(travel.durationS),
    nextRoad: (named[1] ?? named[0])?.name ?? null,
  };
}
