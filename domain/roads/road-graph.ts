import { haversineMeters, type LatLng } from '../geo';
import type { RoadClass } from '../map/osm-basemap';

/** One mapped road as OpenStreetMap draws it: its vertices in order and the tags that matter. */
export interface RoadLine {
  /** [lng, lat] pairs, in the way's direction. */
  coords: readonly (readonly [number, number])[];
  roadClass: RoadClass;
  /** OSM `oneway`: 'yes' (along the way), '-1' (against it), else both ways. */
  oneway?: string | undefined;
  /** OSM `maxspeed` ("45", "60 km/h"); absent: the class's typical urban speed. */
  maxspeed?: string | undefined;
  name?: string | undefined;
}

/** Typical speeds by road class where no `maxspeed` is mapped, km/h (urban traffic, not limits). */
export const defaultSpeedKph: Record<RoadClass, number> = {
  motorway: 80,
  trunk: 60,
  primary: 45,
  secondary: 40,
  tertiary: 35,
  minor: 30,
  service: 15,
  path: 5,
};

/**
 * A directed road graph: every vertex of every road is a node; an edge per direction a car may
 * drive between consecutive vertices. Adjacency in compressed rows (`first[n]..first[n+1]`)
 * so a metro's graph is a few typed arrays, not a million objects.
 */
export interface RoadGraph {
  lat: Float64Array;
  lng: Float64Array;
  first: Int32Array;
  to: Int32Array;
  lengthM: Float32Array;
  speedMps: Float32Array;
  /** Index into `names` of the road an edge belongs to (-1: unnamed). */
  nameOf: Int32Array;
  names: string[];
}

export function nodeCount(graph: RoadGraph): number {
  return graph.lat.length;
}

export function nodePosition(graph: RoadGraph, node: number): LatLng {
  return { lat: graph.lat[node]!, lng: graph.lng[node]! };
}

/** Edge indexes leaving `node`. */
export function edgesFrom(graph: RoadGraph, node: number): number[] {
  const out: number[] = [];
  for (let e = graph.first[node]!; e < graph.first[node + 1]!; e++) out.push(e);
  return out;
}

/** "60", "60 km/h" → 60; "30 mph" → 48; anything else undefined. */
export function parseMaxspeedKph(value: string | undefined): number | undefined {
  const m = value?.trim().match(/^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph)?$/i);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!(n > 0 && n < 200)) return undefined;
  return m[2]?.toLowerCase() === 'mph' ? n * 1.609 : n;
}

/** Vertices closer than ~10 cm are one node: tiles cut roads into pieces that share vertices. */
function keyOf([lng, lat]: readonly [number, number]): string {
  return `${Math.round(lat * 1e6)},${Math.round(lng * 1e6)}`;
}

interface Draft {
  from: number;
  to: number;
  lengthM: number;
  speedMps: number;
  name: number;
}

/**
 * Builds the graph of the roads cars use. Pieces of one road cut at tile edges are joined by
 * their shared vertices; the stubs a cut leaves (a dead end lying on a road that goes on) are
 * dropped; then only the largest strongly-reachable part is kept, so every node can reach every
 * other (a walker or a route never gets stuck on an island of the data).
 */
export function buildRoadGraph(lines: readonly RoadLine[]): RoadGraph {
  const ids = new Map<string, number>();
  const lat: number[] = [];
  const lng: number[] = [];
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const edges = new Map<string, Draft>();
  const node = (c: readonly [number, number]) => {
    const key = keyOf(c);
    let id = ids.get(key);
    if (id === undefined) {
      id = lat.length;
      ids.set(key, id);
      lat.push(c[1]);
      lng.push(c[0]);
    }
    return id;
  };
  for (const line of lines) {
    if (line.roadClass === 'path') continue;
    const kph = parseMaxspeedKph(line.maxspeed) ?? defaultSpeedKph[line.roadClass];
    const speedMps = kph / 3.6;
    const oneway = line.oneway === 'yes' || line.oneway === 'true' || line.oneway === '1';
    const reverse = line.oneway === '-1';
    let name = -1;
    if (line.name) {
      name = nameIds.get(line.name) ?? names.length;
      if (name === names.length) {
        names.push(line.name);
        nameIds.set(line.name, name);
      }
    }
    for (let i = 1; i < line.coords.length; i++) {
      const a = node(line.coords[i - 1]!);
      const b = node(line.coords[i]!);
      if (a === b) continue;
      const lengthM = haversineMeters({ lat: lat[a]!, lng: lng[a]! }, { lat: lat[b]!, lng: lng[b]! });
      if (!reverse) edges.set(`${a}>${b}`, { from: a, to: b, lengthM, speedMps, name });
      if (!oneway) edges.set(`${b}>${a}`, { from: b, to: a, lengthM, speedMps, name });
    }
  }
  const drafts = dropCutStubs([...edges.values()], lat, lng);
  return compact(largestStronglyConnected(drafts, lat.length), lat, lng, names);
}

/** Distance from p to segment a–b, metres (flat approximation: segments are metres long). */
function offSegmentM(p: LatLng, a: LatLng, b: LatLng): number {
  const k = Math.cos((p.lat * Math.PI) / 180);
  const [ax, ay, bx, by, px, py] = [a.lng * k, a.lat, b.lng * k, b.lat, p.lng * k, p.lat];
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy)) * 111_320;
}

/**
 * A tile cuts a road at its buffer's edge: the cut end is a dead end lying on the same road as
 * the neighbouring tile draws it in full. Such an end (one neighbour, lying within 0.5 m of
 * another edge of that neighbour) is not a real dead end: drop its edges.
 */
function dropCutStubs(drafts: Draft[], lat: number[], lng: number[]): Draft[] {
  const neighbours = new Map<number, Set<number>>();
  const link = (a: number, b: number) => {
    if (!neighbours.has(a)) neighbours.set(a, new Set());
    neighbours.get(a)!.add(b);
  };
  for (const d of drafts) {
    link(d.from, d.to);
    link(d.to, d.from);
  }
  const at = (n: number): LatLng => ({ lat: lat[n]!, lng: lng[n]! });
  const stubs = new Set<number>();
  for (const [n, set] of neighbours) {
    if (set.size !== 1) continue;
    const [m] = set as unknown as [number];
    for (const x of neighbours.get(m) ?? []) {
      if (x !== n && offSegmentM(at(n), at(m), at(x)) < 0.5) {
        stubs.add(n);
        break;
      }
    }
  }
  return drafts.filter((d) => !stubs.has(d.from) && !stubs.has(d.to));
}

/** The drafts inside the largest strongly connected component (Tarjan, iterative). */
function largestStronglyConnected(drafts: Draft[], n: number): Draft[] {
  const adjacency: number[][] = Array.from({ length: n }, () => []);
  for (const d of drafts) adjacency[d.from]!.push(d.to);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const sizes: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || adjacency[root]!.length === 0) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i === 0) {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
      }
      const next = adjacency[v]![i];
      if (next !== undefined) {
        frame[1] = i + 1;
        if (index[next] === -1) work.push([next, 0]);
        else if (onStack[next]) low[v] = Math.min(low[v]!, index[next]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[v]!);
      if (low[v] === index[v]) {
        const id = sizes.length;
        let size = 0;
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = id;
          size++;
        } while (w !== v);
        sizes.push(size);
      }
    }
  }
  const biggest = sizes.indexOf(Math.max(...sizes));
  return drafts.filter((d) => component[d.from] === biggest && component[d.to] === biggest);
}

/** Renumbers the kept nodes densely and lays the edges out in compressed rows. */
function compact(drafts: Draft[], lat: number[], lng: number[], names: string[]): RoadGraph {
  const renumber = new Map<number, number>();
  for (const d of drafts) {
    for (const v of [d.from, d.to]) if (!renumber.has(v)) renumber.set(v, renumber.size);
  }
  const count = renumber.size;
  const graph: RoadGraph = {
    lat: new Float64Array(count),
    lng: new Float64Array(count),
    first: new Int32Array(count + 1),
    to: new Int32Array(drafts.length),
    lengthM: new Float32Array(drafts.length),
    speedMps: new Float32Array(drafts.length),
    nameOf: new Int32Array(drafts.length),
    names,
  };
  for (const [old, id] of renumber) {
    graph.lat[id] = lat[old]!;
    graph.lng[id] = lng[old]!;
  }
  const byFrom = drafts
    .map((d) => ({ ...d, from: renumber.get(d.from)!, to: renumber.get(d.to)! }))
    .sort((a, b) => a.from - b.from);
  byFrom.forEach((d, e) => {
    graph.first[d.from + 1]!++;
    graph.to[e] = d.to;
    graph.lengthM[e] = d.lengthM;
    graph.speedMps[e] = d.speedMps;
    graph.nameOf[e] = d.name;
  });
  for (let v = 0; v < count; v++) graph.first[v + 1]! += graph.first[v]!;
  return graph;
}
