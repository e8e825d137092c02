import { haversineMeters, type LatLng } from './geo';

/**
 * Distance and time between two points: the quote, the ranking of candidate drivers, the ETA in
 * the booking view and the nearest-driver search (server), and the rider's live ETA (browser).
 * `straightLineEstimator` stretches the straight line by a road factor at a city speed (no data
 * needed); `roadEstimator` (domain/roads) follows the city's roads. The server's use cases take
 * one in their deps (`BookingDeps.estimator`, find-nearest-drivers) and fall back to the straight
 * line without one.
 */
export interface TravelEstimate {
  distanceM: number;
  durationS: number;
  /** The way, where the estimator follows roads (simplified for drawing); absent for a guess. */
  path?: LatLng[];
  /** The named roads along the way, in order, where the estimator follows roads. */
  steps?: { name: string; distanceM: number }[];
}

export interface TravelEstimator {
  estimate(from: LatLng, to: LatLng): TravelEstimate;
  /** Many origins to one target (candidate drivers to a pickup), when one search can do it. */
  estimateMany?(origins: readonly LatLng[], to: LatLng): TravelEstimate[];
}

export interface StraightLinePolicy {
  /** Road distance ÷ straight-line distance; ~1.3–1.4 in gridded cities. */
  roadFactor: number;
  /** Average door-to-door speed in city traffic. */
  speedKmh: number;
}

export const defaultStraightLinePolicy: StraightLinePolicy = { roadFactor: 1.35, speedKmh: 22 };

export function straightLineEstimator(
  policy: StraightLinePolicy = defaultStraightLinePolicy,
): TravelEstimator {
  return {
    estimate(from, to) {
      const distanceM = haversineMeters(from, to) * policy.roadFactor;
      return { distanceM, durationS: distanceM / ((policy.speedKmh * 1000) / 3600) };
    },
  };
}

/** Many origins to one target: one search where the estimator can, else one estimate each. */
export function estimateAll(
  estimator: TravelEstimator,
  origins: readonly LatLng[],
  to: LatLng,
): TravelEstimate[] {
  if (origins.length === 0) return [];
  return estimator.estimateMany
    ? estimator.estimateMany(origins, to)
    : origins.map((from) => estimator.estimate(from, to));
}
