import { haversineMeters, type LatLng } from '../geo';
import { nodeCount, nodePosition, type RoadGraph } from './road-graph';

/**
 * Shortest-time routes on a road graph: one-to-one (A*) for a trip's route and ETA, and
 * many-to-one (Dijkstra on the reversed graph) for ranking every candidate driver by road time
 * to a pickup in one search. Points off the graph join it at the nearest node, the gap costed
 * as a straight line at walking-to-parking speed.
 */

/** Speed over the gap between a point and the node it snaps to, m/s (a car creeping out of a car park). */
const snapSpeedMps = 3;

export interface TravelTime {
  durationS: number;
  distanceM: number;
}

export interface RouteStep {
  /** The road's name; '' when unnamed. */
  name: string;
  distanceM: number;
}

export interface Route {
  distanceM: number;
  durationS: number;
  /** The way, from the start point to the end point. */
  path: LatLng[];
  /** Consecutive stretches on one named road, in order. */
  steps: RouteStep[];
}

/** Nodes bucketed by a ~250 m grid, for snapping points to the graph. */
export interface NodeGrid {
  cellDeg: number;
  cells: Map<string, number[]>;
}

export function nodeGrid(graph: RoadGraph, cellDeg = 0.0025): NodeGrid {
  const cells = new Map<string, number[]>();
  for (let n = 0; n < nodeCount(graph); n++) {
    const key = `${Math.floor(graph.lat[n]! / cellDeg)},${Math.floor(graph.lng[n]! / cellDeg)}`;
    const list = cells.get(key);
    if (list) list.push(n);
    else cells.set(key, [n]);
  }
  return { cellDeg, cells };
}

/** The node nearest to `p` within `maxM`, or undefined when no road is that close. */
export function snapToNode(graph: RoadGraph, grid: NodeGrid, p: LatLng, maxM = 500): number | undefined {
  const row = Math.floor(p.lat / grid.cellDeg);
  const col = Math.floor(p.lng / grid.cellDeg);
  const rings = Math.ceil(maxM / (grid.cellDeg * 111_000 * 0.8)) + 1;
  let best: number | undefined;
  let bestM = maxM;
  for (let r = 0; r <= rings; r++) {
    for (let i = row - r; i <= row + r; i++) {
      for (let j = col - r; j <= col + r; j++) {
        if (Math.max(Math.abs(i - row), Math.abs(j - col)) !== r) continue;
        for (const n of grid.cells.get(`${i},${j}`) ?? []) {
          const d = haversineMeters(p, nodePosition(graph, n));
          if (d < bestM) {
            bestM = d;
            best = n;
          }
        }
      }
    }
    // Everything in later rings is at least r cells away.
    if (best !== undefined && bestM < r * grid.cellDeg * 111_000 * 0.8) break;
  }
  return best;
}

/** A binary min-heap of node ids keyed by cost: the queue of both searches. */
class Heap {
  private nodes: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.nodes.length;
  }
  push(node: number, key: number): void {
    let i = this.nodes.length;
    this.nodes.push(node);
    this.keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): [node: number, key: number] {
    const top: [number, number] = [this.nodes[0]!, this.keys[0]!];
    const lastNode = this.nodes.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.nodes.length > 0) {
      this.nodes[0] = lastNode;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.nodes.length && this.keys[l]! < this.keys[m]!) m = l;
        if (r < this.nodes.length && this.keys[r]! < this.keys[m]!) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
  private swap(a: number, b: number): void {
    [this.nodes[a], this.nodes[b]] = [this.nodes[b]!, this.nodes[a]!];
    [this.keys[a], this.keys[b]] = [this.keys[b]!, this.keys[a]!];
  }
}

/**
 * Working arrays of one search, kept per graph and reused: a search marks what it touches with
 * its generation instead of clearing arrays the size of the city, so its cost follows the nodes it
 * explores, not the graph's size (searches never interleave: they are synchronous).
 */
interface Scratch {
  generation: number;
  seen: Uint32Array;
  settled: Uint32Array;
  time: Float64Array;
  distance: Float64Array;
  via: Int32Array;
  previous: Int32Array;
  maxSpeedMps: number;
}

const scratches = new WeakMap<RoadGraph, Scratch>();

function scratchFor(graph: RoadGraph): Scratch {
  let s = scratches.get(graph);
  if (!s) {
    const n = nodeCount(graph);
    let max = 0;
    for (const v of graph.speedMps) max = Math.max(max, v);
    s = {
      generation: 0,
      seen: new Uint32Array(n),
      settled: new Uint32Array(n),
      time: new Float64Array(n),
      distance: new Float64Array(n),
      via: new Int32Array(n),
      previous: new Int32Array(n),
      maxSpeedMps: max,
    };
    scratches.set(graph, s);
  }
  s.generation = (s.generation + 1) >>> 0 || 1;
  return s;
}

/** Time found so far to node v in this search (infinite if not reached). */
function timeOf(s: Scratch, v: number): number {
  return s.seen[v] === s.generation ? s.time[v]! : Number.POSITIVE_INFINITY;
}

/** The fastest route from one point to another, or undefined when either is off the roads or no route exists. */
export function fastestRoute(graph: RoadGraph, grid: NodeGrid, from: LatLng, to: LatLng): Route | undefined {
  const source = snapToNode(graph, grid, from);
  const target = snapToNode(graph, grid, to);
  if (source === undefined || target === undefined) return undefined;
  const s = scratchFor(graph);
  const gen = s.generation;
  const { time, via, previous } = s;
  const goal = nodePosition(graph, target);
  const heap = new Heap();
  s.seen[source] = gen;
  time[source] = 0;
  heap.push(source, haversineMeters(nodePosition(graph, source), goal) / s.maxSpeedMps);
  while (heap.size > 0) {
    const [v] = heap.pop();
    if (s.settled[v] === gen) continue;
    s.settled[v] = gen;
    if (v === target) break;
    for (let e = graph.first[v]!; e < graph.first[v + 1]!; e++) {
      const w = graph.to[e]!;
      const t = time[v]! + graph.lengthM[e]! / graph.speedMps[e]!;
      if (t < timeOf(s, w)) {
        s.seen[w] = gen;
        time[w] = t;
        via[w] = e;
        previous[w] = v;
        heap.push(w, t + haversineMeters(nodePosition(graph, w), goal) / s.maxSpeedMps);
      }
    }
  }
  if (s.settled[target] !== gen) return undefined;
  const edges: number[] = [];
  const nodes: number[] = [target];
  for (let v = target; v !== source; ) {
    const e = via[v]!;
    edges.push(e);
    v = previous[v]!;
    nodes.push(v);
  }
  edges.reverse();
  nodes.reverse();
  const startGapM = haversineMeters(from, nodePosition(graph, source));
  const endGapM = haversineMeters(nodePosition(graph, target), to);
  let distanceM = startGapM + endGapM;
  const steps: RouteStep[] = [];
  for (const e of edges) {
    distanceM += graph.lengthM[e]!;
    const name = graph.names[graph.nameOf[e]!] ?? '';
    const last = steps[steps.length - 1];
    if (last && last.name === name) last.distanceM += graph.lengthM[e]!;
    else steps.push({ name, distanceM: graph.lengthM[e]! });
  }
  return {
    distanceM,
    durationS: time[target]! + (startGapM + endGapM) / snapSpeedMps,
    path: [from, ...nodes.map((v) => nodePosition(graph, v)), to],
    steps,
  };
}

/** The graph with every edge turned round: searching it from a pickup gives times *to* the pickup. */
export function reversed(graph: RoadGraph): RoadGraph {
  const n = nodeCount(graph);
  const m = graph.to.length;
  const first = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) first[graph.to[e]! + 1]!++;
  for (let v = 0; v < n; v++) first[v + 1]! += first[v]!;
  const fill = first.slice(0, n);
  const out = {
    ...graph,
    first,
    to: new Int32Array(m),
    lengthM: new Float32Array(m),
    speedMps: new Float32Array(m),
    nameOf: new Int32Array(m),
  };
  for (let v = 0; v < n; v++) {
    for (let e = graph.first[v]!; e < graph.first[v + 1]!; e++) {
      const slot = fill[graph.to[e]!]!++;
      out.to[slot] = v;
      out.lengthM[slot] = graph.lengthM[e]!;
      out.speedMps[slot] = graph.speedMps[e]!;
      out.nameOf[slot] = graph.nameOf[e]!;
    }
  }
  return out;
}

/**
 * The fastest road travel from each of `origins` to `target` (undefined: off the roads or
 * beyond `maxS` seconds), in one Dijkstra over the reversed graph that stops once every origin
 * is settled or the budget is spent.
 */
export function timesTo(
  graph: RoadGraph,
  reverse: RoadGraph,
  grid: NodeGrid,
  origins: readonly LatLng[],
  target: LatLng,
  maxS = 1_800,
): (TravelTime | undefined)[] {
  const goal = snapToNode(graph, grid, target);
  if (goal === undefined) return origins.map(() => undefined);
  const starts = origins.map((o) => snapToNode(graph, grid, o));
  const waiting = new Set(starts.filter((s): s is number => s !== undefined));
  const s = scratchFor(reverse);
  const gen = s.generation;
  const { time, distance } = s;
  const heap = new Heap();
  s.seen[goal] = gen;
  time[goal] = 0;
  distance[goal] = 0;
  heap.push(goal, 0);
  while (heap.size > 0 && waiting.size > 0) {
    const [v, t] = heap.pop();
    if (s.settled[v] === gen) continue;
    if (t > maxS) break;
    s.settled[v] = gen;
    waiting.delete(v);
    for (let e = reverse.first[v]!; e < reverse.first[v + 1]!; e++) {
      const w = reverse.to[e]!;
      const tw = t + reverse.lengthM[e]! / reverse.speedMps[e]!;
      if (tw < timeOf(s, w)) {
        s.seen[w] = gen;
        time[w] = tw;
        distance[w] = distance[v]! + reverse.lengthM[e]!;
        heap.push(w, tw);
      }
    }
  }
  const endGapM = haversineMeters(target, nodePosition(graph, goal));
  return starts.map((start, i) => {
    if (start === undefined || s.settled[start] !== gen) return undefined;
    const gapM = endGapM + haversineMeters(origins[i]!, nodePosition(graph, start));
    return { durationS: time[start]! + gapM / snapSpeedMps, distanceM: distance[start]! + gapM };
  });
}
