import { describe, expect, it } from 'vitest';
import { rankCandidates } from '@/domain/assignment';
import { demoCity } from '@/domain/city';
import { estimateAll, straightLineEstimator, type TravelEstimator } from '@/domain/eta';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import { cityRoads, roadEstimator } from '@/domain/roads/road-estimator';
import { buildRoadGraph, type RoadLine } from '@/domain/roads/road-graph';
import { fastestRoute, nodeGrid, reversed, timesTo } from '@/domain/roads/routing';
import { readRoadLines } from '@/server/adapters/osm-road-lines';

const o = { lat: -34.9, lng: -56.16 };
const at = (northM: number, eastM: number) => offsetMeters(o, northM, eastM);
const coords = (...ps: [number, number][]) =>
  ps.map(([n, e]) => [at(n, e).lng, at(n, e).lat] as [number, number]);

// A 400 m square of streets: the southern one ("Sur") is one-way eastwards, the others
// ("Oeste", "Norte", "Este") two-way; "Atajo" is a slow diagonal service road.
const lines: RoadLine[] = [
  { coords: coords([0, 0], [0, 200], [0, 400]), roadClass: 'minor', oneway: 'yes', name: 'Sur' },
  { coords: coords([0, 400], [200, 400], [400, 400]), roadClass: 'minor', name: 'Este' },
  { coords: coords([400, 400], [400, 200], [400, 0]), roadClass: 'minor', name: 'Norte' },
  { coords: coords([400, 0], [200, 0], [0, 0]), roadClass: 'minor', name: 'Oeste' },
  { coords: coords([0, 0], [400, 400]), roadClass: 'service', name: 'Atajo' },
];
const graph = buildRoadGraph(lines);
const grid = nodeGrid(graph);

describe('routes on the roads', () => {
  it('follows one-way streets: east along Sur, but back west the long way round', () => {
    const east = fastestRoute(graph, grid, at(0, 0), at(0, 400))!;
    expect(east.distanceM).toBeCloseTo(400, -1);
    expect(east.steps.map((s) => s.name)).toEqual(['Sur']);
    const west = fastestRoute(graph, grid, at(0, 400), at(0, 0))!;
    expect(west.steps.map((s) => s.name)).toEqual(['Este', 'Norte', 'Oeste']);
    expect(west.distanceM).toBeCloseTo(1_200, -1);
    expect(west.path[0]).toEqual(at(0, 400));
    expect(west.path[west.path.length - 1]).toEqual(at(0, 0));
  });

  it('takes the faster way, not the shorter: the slow diagonal loses to the streets', () => {
    const r = fastestRoute(graph, grid, at(0, 0), at(400, 400))!;
    // 566 m at 15 km/h (136 s) against 800 m at 30 km/h (96 s).
    expect(r.steps.map((s) => s.name)).toEqual(['Sur', 'Este']);
    expect(r.durationS).toBeCloseTo(800 / (30 / 3.6), 0);
  });

  it('gives every origin its time to one target in one search, matching one-to-one routes', () => {
    const reverse = reversed(graph);
    const origins = [at(0, 0), at(0, 400), at(400, 0), at(200, 400)];
    const times = timesTo(graph, reverse, grid, origins, at(400, 400));
    origins.forEach((from, i) => {
      const route = fastestRoute(graph, grid, from, at(400, 400))!;
      expect(times[i]!.durationS).toBeCloseTo(route.durationS, 3);
      expect(times[i]!.distanceM).toBeCloseTo(route.distanceM, 1);
    });
    expect(timesTo(graph, reverse, grid, [at(0, 0)], at(400, 400), 10)).toEqual([undefined]);
  });

  it('refuses points far from any road', () => {
    expect(fastestRoute(graph, grid, at(0, 0), at(5_000, 0))).toBeUndefined();
    expect(timesTo(graph, reversed(graph), grid, [at(5_000, 0)], at(0, 0))).toEqual([undefined]);
  });

  it('routes across Montevideo on real streets, longer than the straight line', () => {
    const city = buildRoadGraph(readRoadLines(demoCity));
    const cityGrid = nodeGrid(city);
    const [a, b] = [demoCity.places[0]!, demoCity.places[2]!];
    const r = fastestRoute(city, cityGrid, a, b)!;
    const straight = haversineMeters(a, b);
    expect(r.distanceM).toBeGreaterThan(straight);
    expect(r.distanceM).toBeLessThan(straight * 2);
    expect(r.steps.length).toBeGreaterThan(1);
    expect(r.steps.some((s) => s.name !== '')).toBe(true);
  }, 30_000);
});

describe('the road estimator', () => {
  const roads = cityRoads(graph);
  const estimator = roadEstimator(roads);

  it('follows the roads where it can and the straight line where it cannot', () => {
    expect(estimator.estimate(at(0, 400), at(0, 0)).distanceM).toBeCloseTo(1_200, -1);
    const offRoad = estimator.estimate(at(0, 0), at(5_000, 0));
    expect(offRoad).toEqual(straightLineEstimator().estimate(at(0, 0), at(5_000, 0)));
  });

  it('ranks candidates by road time: a nearer driver behind a one-way street comes second', () => {
    const pickup = at(0, 0);
    // On Sur, 300 m east of the pickup, but Sur runs east: the way back is round the square.
    const behindOneWay = { driverId: 'a', ...at(0, 300) };
    // 400 m north, straight down the two-way Oeste.
    const straightDown = { driverId: 'b', ...at(400, 0) };
    const rank = (e: TravelEstimator) => {
      const drivers = [behindOneWay, straightDown];
      const travels = estimateAll(e, drivers, pickup);
      const ranked = rankCandidates(
        drivers.map((d, i) => ({
          driverId: d.driverId,
          etaS: Math.round(travels[i]!.durationS),
          distanceM: Math.round(travels[i]!.distanceM),
          idleS: 0,
        })),
      );
      return ranked.map((c) => c.driverId);
    };
    expect(rank(straightLineEstimator())).toEqual(['a', 'b']);
    expect(rank(estimator)).toEqual(['b', 'a']);
  });

  it('ranks many origins in one search, the same as one at a time', () => {
    const origins = [at(0, 0), at(0, 400), at(5_000, 0)];
    const many = estimator.estimateMany!(origins, at(400, 400));
    origins.forEach((from, i) => {
      const one = estimator.estimate(from, at(400, 400));
      expect(many[i]!.durationS).toBeCloseTo(one.durationS, 3);
      expect(many[i]!.distanceM).toBeCloseTo(one.distanceM, 1);
    });
  });
});
