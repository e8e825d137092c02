import { describe, expect, it } from 'vitest';
import { demoCity } from '@/domain/city';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import {
  buildRoadGraph,
  defaultSpeedKph,
  edgesFrom,
  nodeCount,
  nodePosition,
  parseMaxspeedKph,
  type RoadGraph,
  type RoadLine,
} from '@/domain/roads/road-graph';
import { readRoadLines } from '@/server/adapters/osm-road-lines';

const o = { lat: -34.9, lng: -56.16 };
const at = (northM: number, eastM: number): [number, number] => {
  const p = offsetMeters(o, northM, eastM);
  return [p.lng, p.lat];
};
/** A 100 m square block, two-way, as four roads. */
const block: RoadLine[] = [
  { coords: [at(0, 0), at(0, 100)], roadClass: 'minor' },
  { coords: [at(0, 100), at(100, 100)], roadClass: 'minor' },
  { coords: [at(100, 100), at(100, 0)], roadClass: 'minor' },
  { coords: [at(100, 0), at(0, 0)], roadClass: 'minor' },
];

function nodeAt(graph: RoadGraph, [lng, lat]: [number, number]): number {
  for (let n = 0; n < nodeCount(graph); n++)
    if (haversineMeters(nodePosition(graph, n), { lat, lng }) < 0.5) return n;
  throw new Error('no node there');
}
const targets = (g: RoadGraph, n: number) => edgesFrom(g, n).map((e) => g.to[e]!);

describe('road graph', () => {
  it('joins roads at shared vertices, both ways, with their length and speed', () => {
    const g = buildRoadGraph(block);
    expect(nodeCount(g)).toBe(4);
    expect(g.to.length).toBe(8);
    const corner = nodeAt(g, at(0, 0));
    expect(targets(g, corner).sort()).toEqual([nodeAt(g, at(0, 100)), nodeAt(g, at(100, 0))].sort());
    for (const e of edgesFrom(g, corner)) {
      expect(g.lengthM[e]).toBeCloseTo(100, 0);
      expect(g.speedMps[e]).toBeCloseTo(defaultSpeedKph.minor / 3.6, 3);
    }
  });

  it('drives one-way streets only forwards (and -1 only backwards)', () => {
    // Round the block a → b → c one way: the first street drawn along, the second drawn against.
    const g = buildRoadGraph([
      { ...block[0]!, oneway: 'yes' },
      { coords: [at(100, 100), at(0, 100)], roadClass: 'minor', oneway: '-1' },
      block[2]!,
      block[3]!,
    ]);
    const [a, b, c] = [nodeAt(g, at(0, 0)), nodeAt(g, at(0, 100)), nodeAt(g, at(100, 100))];
    expect(targets(g, a)).toContain(b);
    expect(targets(g, b)).not.toContain(a);
    expect(targets(g, b)).toContain(c);
    expect(targets(g, c)).not.toContain(b);
  });

  it('keeps only the part where every node can reach every other', () => {
    // A one-way spur out of the block is a trap: a car could enter and never leave.
    const g = buildRoadGraph([
      ...block,
      { coords: [at(0, 100), at(0, 300)], roadClass: 'minor', oneway: 'yes' },
    ]);
    expect(nodeCount(g)).toBe(4);
    // An island elsewhere is dropped too; a two-way dead end is kept (a car turns round).
    const h = buildRoadGraph([
      ...block,
      { coords: [at(5_000, 0), at(5_000, 100)], roadClass: 'minor' },
      { coords: [at(0, 100), at(0, 300)], roadClass: 'minor' },
    ]);
    expect(nodeCount(h)).toBe(5);
  });

  it('drops the stub a tile cut leaves on a road that goes on', () => {
    // The same road drawn by two tiles: one in full, one cut 30 m into it.
    const g = buildRoadGraph([
      ...block,
      { coords: [at(0, 100), at(0, 130)], roadClass: 'minor' },
      { coords: [at(0, 100), at(0, 200)], roadClass: 'minor' },
    ]);
    expect(() => nodeAt(g, at(0, 130))).toThrow();
    expect(targets(g, nodeAt(g, at(0, 100)))).toContain(nodeAt(g, at(0, 200)));
  });

  it('leaves paths out and takes maxspeed when mapped', () => {
    const g = buildRoadGraph([
      ...block.slice(0, 3),
      { ...block[3]!, maxspeed: '60' },
      { coords: [at(0, 0), at(-100, 0)], roadClass: 'path' },
    ]);
    expect(nodeCount(g)).toBe(4);
    const fast = edgesFrom(g, nodeAt(g, at(100, 0))).find((e) => g.to[e] === nodeAt(g, at(0, 0)))!;
    expect(g.speedMps[fast]).toBeCloseTo(60 / 3.6, 3);
    expect(parseMaxspeedKph('45 km/h')).toBe(45);
    expect(parseMaxspeedKph('30 mph')).toBeCloseTo(48.3, 1);
    for (const bad of ['signals', 'none', '0', '', undefined]) expect(parseMaxspeedKph(bad)).toBeUndefined();
  });

  it("builds Montevideo's roads from the OpenStreetMap tiles, nearly all connected", () => {
    const lines = readRoadLines(demoCity);
    const g = buildRoadGraph(lines);
    expect(lines.length).toBeGreaterThan(10_000);
    expect(nodeCount(g)).toBeGreaterThan(40_000);
    expect(g.names).toContain('Avenida 18 de Julio');
    const oneways = lines.filter((l) => l.oneway === 'yes').length;
    expect(oneways).toBeGreaterThan(3_000);
  }, 30_000);
});
