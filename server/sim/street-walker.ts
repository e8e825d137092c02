import { type CityConfig, gridSize, intersection } from '@/domain/city';
import type { LatLng } from '@/domain/geo';

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same city every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Node {
  i: number;
  j: number;
}

/** One virtual driver moving along the street grid from intersection to intersection. */
export class StreetWalker {
  private from: Node;
  private to: Node;
  private progressM = 0;
  readonly speedMps: number;

  constructor(
    private readonly city: CityConfig,
    private readonly random: () => number,
  ) {
    const n = gridSize(city);
    this.from = { i: Math.floor(random() * n), j: Math.floor(random() * n) };
    this.to = this.pickNext(null);
    this.speedMps = 7 + random() * 7; // 25–50 km/h
  }

  private pickNext(previous: Node | null): Node {
    const n = gridSize(this.city);
    const { i, j } = this.from;
    const options = [
      { i: i + 1, j },
      { i: i - 1, j },
      { i, j: j + 1 },
      { i, j: j - 1 },
    ].filter((o) => o.i >= 0 && o.j >= 0 && o.i < n && o.j < n);
    // No U-turns unless the street ends.
    const forward = previous ? options.filter((o) => o.i !== previous.i || o.j !== previous.j) : options;
    const choices = forward.length > 0 ? forward : options;
    return choices[Math.floor(this.random() * choices.length)]!;
  }

  /** Advances by `dtMs` and returns the new position and heading (degrees from north). */
  step(dtMs: number): { position: LatLng; headingDeg: number } {
    this.progressM += (this.speedMps * dtMs) / 1000;
    while (this.progressM >= this.city.blockM) {
      this.progressM -= this.city.blockM;
      const previous = this.from;
      this.from = this.to;
      this.to = this.pickNext(previous);
    }
    return { position: this.position(), headingDeg: this.heading() };
  }

  position(): LatLng {
    const a = intersection(this.city, this.from.i, this.from.j);
    const b = intersection(this.city, this.to.i, this.to.j);
    const f = this.progressM / this.city.blockM;
    return { lat: a.lat + (b.lat - a.lat) * f, lng: a.lng + (b.lng - a.lng) * f };
  }

  private heading(): number {
    if (this.to.j > this.from.j) return 0;
    if (this.to.i > this.from.i) return 90;
    if (this.to.j < this.from.j) return 180;
    return 270;
  }
}
