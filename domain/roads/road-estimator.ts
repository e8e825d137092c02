import { straightLineEstimator, type TravelEstimate, type TravelEstimator } from '../eta';
import type { LatLng } from '../geo';
import type { RoadGraph } from './road-graph';
import { fastestRoute, type NodeGrid, nodeGrid, reversed, timesTo } from './routing';
import { simplifyPath } from './simplify-path';

/** A city's road graph with what searching it needs, built once per process. */
export interface CityRoads {
  graph: RoadGraph;
  reverse: RoadGraph;
  grid: NodeGrid;
}

export function cityRoads(graph: RoadGraph): CityRoads {
  return { graph, reverse: reversed(graph), grid: nodeGrid(graph) };
}

/**
 * Travel by road: the fastest route's distance and time; a point off the roads (or a pair with
 * no route) falls back to `fallback`, so a quote or a ranking never fails for want of a road.
 * `estimateMany` ranks many drivers against one pickup in one search.
 */
export function roadEstimator(
  roads: CityRoads,
  fallback: TravelEstimator = straightLineEstimator(),
): TravelEstimator {
  return {
    estimate(from: LatLng, to: LatLng): TravelEstimate {
      const route = fastestRoute(roads.graph, roads.grid, from, to);
      return route
        ? {
            distanceM: route.distanceM,
            durationS: route.durationS,
            path: simplifyPath(route.path),
            steps: route.steps,
          }
        : fallback.estimate(from, to);
    },
    estimateMany(origins: readonly LatLng[], to: LatLng): TravelEstimate[] {
      const times = timesTo(roads.graph, roads.reverse, roads.grid, origins, to);
      return origins.map((from, i) => times[i] ?? fallback.estimate(from, to));
    },
  };
}
