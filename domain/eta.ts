import { haversineMeters, type LatLng } from './geo';

/**
 * Distance and time between two points. The default is the straight line stretched by a road
 * factor at a city speed: no external routing service is needed, and the interface lets a real
 * router (OSRM, Valhalla) replace it.
 */
export interface TravelEstimate {
  distanceM: number;
  durationS: number;
}

export interface TravelEstimator {
  estimate(from: LatLng, to: LatLng): TravelEstimate;
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
