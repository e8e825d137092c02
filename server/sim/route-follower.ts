import { haversineMeters, type LatLng } from '@/domain/geo';
import type { Route } from '@/domain/roads/routing';

/** A simulated driver on a job: along a route's path at the route's average speed, then stopped at its end. */
export class RouteFollower {
  private leg = 0;
  private intoLegM = 0;
  private readonly legM: number[];
  readonly speedMps: number;

  constructor(private readonly route: Route) {
    this.legM = route.path.slice(1).map((p, i) => haversineMeters(route.path[i]!, p));
    this.speedMps = route.durationS > 0 ? route.distanceM / route.durationS : 0;
  }

  get arrived(): boolean {
    return this.leg >= this.legM.length;
  }

  step(dtMs: number): { position: LatLng; headingDeg: number } {
    let left = (this.speedMps * dtMs) / 1000;
    while (!this.arrived && this.intoLegM + left >= this.legM[this.leg]!) {
      left -= this.legM[this.leg]! - this.intoLegM;
      this.leg++;
      this.intoLegM = 0;
    }
    if (!this.arrived) this.intoLegM += left;
    return { position: this.position(), headingDeg: this.heading() };
  }

  position(): LatLng {
    const path = this.route.path;
    if (this.arrived) return path[path.length - 1]!;
    const a = path[this.leg]!;
    const b = path[this.leg + 1]!;
    const f = this.legM[this.leg]! > 0 ? this.intoLegM / this.legM[this.leg]! : 0;
    return { lat: a.lat + (b.lat - a.lat) * f, lng: a.lng + (b.lng - a.lng) * f };
  }

  private heading(): number {
    const path = this.route.path;
    const i = Math.min(this.leg, path.length - 2);
    const a = path[Math.max(0, i)]!;
    const b = path[Math.max(1, i + 1)] ?? a;
    const east = (b.lng - a.lng) * Math.cos((a.lat * Math.PI) / 180);
    return ((Math.atan2(east, b.lat - a.lat) * 180) / Math.PI + 360) % 360;
  }
}
