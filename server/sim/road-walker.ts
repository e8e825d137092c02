import type { LatLng } from '@/domain/geo';
import { edgesFrom, nodeCount, nodePosition, type RoadGraph } from '@/domain/roads/road-graph';

/**
 * One virtual driver cruising the city's roads: from node to node along the edges a car may
 * take (one-way streets only forwards), at the road's speed times the driver's own pace, never
 * turning back unless the road ends.
 */
export class RoadWalker {
  private from: number;
  private edge: number;
  private progressM = 0;
  /** This driver's share of the road's speed (traffic, temperament): 0.6–1. */
  private readonly pace: number;

  /** Starts at `start` (a node), else at a random node. */
  constructor(
    private readonly graph: RoadGraph,
    private readonly random: () => number,
    start?: number,
  ) {
    this.from = start ?? Math.floor(random() * nodeCount(graph));
    this.pace = 0.6 + random() * 0.4;
    this.edge = this.pickEdge(-1);
  }

  get speedMps(): number {
    return this.graph.speedMps[this.edge]! * this.pace;
  }

  private pickEdge(cameFrom: number): number {
    const options = edgesFrom(this.graph, this.from);
    const forward = options.filter((e) => this.graph.to[e] !== cameFrom);
    const choices = forward.length > 0 ? forward : options;
    return choices[Math.floor(this.random() * choices.length)]!;
  }

  /** Advances by `dtMs` and returns the new position and heading (degrees from north). */
  step(dtMs: number): { position: LatLng; headingDeg: number } {
    let left = (this.speedMps * dtMs) / 1000;
    while (this.progressM + left >= this.graph.lengthM[this.edge]!) {
      // Time left after this edge is spent on the next at that edge's speed.
      const seconds = (left - (this.graph.lengthM[this.edge]! - this.progressM)) / this.speedMps;
      const previous = this.from;
      this.from = this.graph.to[this.edge]!;
      this.progressM = 0;
      this.edge = this.pickEdge(previous);
      left = seconds * this.speedMps;
    }
    this.progressM += left;
    return { position: this.position(), headingDeg: this.heading() };
  }

  position(): LatLng {
    const a = nodePosition(this.graph, this.from);
    const b = nodePosition(this.graph, this.graph.to[this.edge]!);
    const f = this.progressM / this.graph.lengthM[this.edge]!;
    return { lat: a.lat + (b.lat - a.lat) * f, lng: a.lng + (b.lng - a.lng) * f };
  }

  private heading(): number {
    const a = nodePosition(this.graph, this.from);
    const b = nodePosition(this.graph, this.graph.to[this.edge]!);
    const east = (b.lng - a.lng) * Math.cos((a.lat * Math.PI) / 180);
    const north = b.lat - a.lat;
    return ((Math.atan2(east, north) * 180) / Math.PI + 360) % 360;
  }
}
