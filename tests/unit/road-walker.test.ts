import { describe, expect, it } from 'vitest';
import { haversineMeters, type LatLng, offsetMeters } from '@/domain/geo';
import {
  buildRoadGraph,
  edgesFrom,
  nodeCount,
  nodePosition,
  type RoadGraph,
} from '@/domain/roads/road-graph';
import { seededRandom } from '@/domain/seeded-random';
import { RoadWalker } from '@/server/sim/road-walker';

const o = { lat: -34.9, lng: -56.16 };
const at = (northM: number, eastM: number): [number, number] => {
  const p = offsetMeters(o, northM, eastM);
  return [p.lng, p.lat];
};
// A 3×3 grid of 200 m blocks; the middle east-west street is one-way eastwards.
const lines = [0, 200, 400, 600].flatMap((k) => [
  {
    coords: [at(k, 0), at(k, 300), at(k, 600)],
    roadClass: 'minor' as const,
    oneway: k === 200 ? 'yes' : undefined,
  },
  { coords: [at(0, k), at(600, k)], roadClass: 'secondary' as const },
]);
const graph = buildRoadGraph(lines);

/** Distance from p to the nearest edge of the graph, metres. */
function offRoadM(g: RoadGraph, p: LatLng): number {
  let best = Number.POSITIVE_INFINITY;
  for (let n = 0; n < nodeCount(g); n++) {
    const a = nodePosition(g, n);
    for (const e of edgesFrom(g, n)) {
      const b = nodePosition(g, g.to[e]!);
      const len = haversineMeters(a, b);
      const along = Math.max(
        0,
        Math.min(1, ((haversineMeters(a, p) ** 2 - haversineMeters(b, p) ** 2) / len + len) / (2 * len)),
      );
      const q = { lat: a.lat + (b.lat - a.lat) * along, lng: a.lng + (b.lng - a.lng) * along };
      best = Math.min(best, haversineMeters(q, p));
    }
  }
  return best;
}

describe('a simulated driver on the roads', () => {
  it('stays on a road, at the road speed', () => {
    const walker = new RoadWalker(graph, seededRandom(5));
    let previous = walker.position();
    for (let s = 0; s < 500; s++) {
      const { position } = walker.step(1_000);
      expect(offRoadM(graph, position)).toBeLessThan(1);
      // Never faster than the fastest road (40 km/h here) in a straight line.
      expect(haversineMeters(previous, position)).toBeLessThanOrEqual(40 / 3.6 + 0.01);
      previous = position;
    }
  });

  it('never drives the one-way street westwards', () => {
    for (const seed of [1, 2, 3, 4]) {
      const walker = new RoadWalker(graph, seededRandom(seed));
      let previous = walker.position();
      for (let s = 0; s < 1_000; s++) {
        const { position, headingDeg } = walker.step(500);
        const onOneWay =
          Math.abs(haversineMeters({ lat: position.lat, lng: o.lng }, { lat: at(200, 0)[1], lng: o.lng })) <
            0.5 &&
          Math.abs(haversineMeters({ lat: previous.lat, lng: o.lng }, { lat: at(200, 0)[1], lng: o.lng })) <
            0.5;
        if (onOneWay && position.lng !== previous.lng) {
          expect(position.lng, `seed ${seed} step ${s}`).toBeGreaterThan(previous.lng);
          expect(headingDeg).toBeCloseTo(90, 0);
        }
        previous = position;
      }
    }
  });

  it('is the same drive for the same seed', () => {
    const a = new RoadWalker(graph, seededRandom(9));
    const b = new RoadWalker(graph, seededRandom(9));
    for (let s = 0; s < 100; s++) expect(b.step(2_000)).toEqual(a.step(2_000));
  });
});
