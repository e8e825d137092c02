import type { LatLng } from '@/domain/geo';
import type { OfferView } from '@/domain/realtime-contract';
import type { CityRoads } from '@/domain/roads/road-estimator';
import { fastestRoute, snapToNode } from '@/domain/roads/routing';
import { RoadWalker } from './road-walker';
import { RouteFollower } from './route-follower';

/** How simulated drivers behave (SIM_* settings). */
export interface DriverBehaviour {
  /** Share of offers accepted. */
  acceptRate: number;
  /** A human takes this long to answer an offer, ms (uniform between the two). */
  answerDelayMs: readonly [number, number];
  /** Time at the pickup before the rider is in, ms. */
  boardingMs: number;
}

export const defaultBehaviour: DriverBehaviour = {
  acceptRate: 0.85,
  answerDelayMs: [2_000, 6_000],
  boardingMs: 15_000,
};

/** What a simulated driver does through the platform's doors (the same API a driver's app calls). */
export interface DriverDoors {
  respond(bookingId: string, accept: boolean): Promise<void>;
  tripAction(bookingId: string, action: 'arrived' | 'start' | 'complete'): Promise<void>;
}

type Job =
  | { phase: 'answering'; offer: OfferView; at: number }
  | { phase: 'to_pickup' | 'to_dropoff'; offer: OfferView; follower: RouteFollower }
  | { phase: 'boarding'; offer: OfferView; until: number };

/**
 * One simulated driver: cruises the roads until offered a trip, answers after a human delay,
 * and when it accepts drives the road route to the pickup, declares arrival, waits for the rider,
 * drives to the drop-off and completes, then cruises on from there. Time is given by `tick`, so a
 * test can run a trip in milliseconds.
 */
export class SimDriver {
  private walker: RoadWalker;
  private last: { position: LatLng; headingDeg: number };
  private job: Job | null = null;
  private busy = false;

  constructor(
    readonly id: string,
    private readonly roads: CityRoads,
    private readonly random: () => number,
    private readonly doors: DriverDoors,
    private readonly behaviour: DriverBehaviour = defaultBehaviour,
    private readonly onError: (error: unknown, what: string) => void = () => undefined,
  ) {
    this.walker = new RoadWalker(roads.graph, random);
    this.last = { position: this.walker.position(), headingDeg: 0 };
  }

  get phase(): Job['phase'] | 'cruising' {
    return this.job?.phase ?? 'cruising';
  }

  get speedMps(): number {
    return this.job && 'follower' in this.job
      ? this.job.follower.speedMps
      : this.job
        ? 0
        : this.walker.speedMps;
  }

  /** An offer rang: answer it after a human delay, unless already on a job. */
  offer(offer: OfferView, nowMs: number): void {
    if (this.job) return;
    const [min, max] = this.behaviour.answerDelayMs;
    this.job = { phase: 'answering', offer, at: nowMs + min + this.random() * (max - min) };
  }

  /** The offer went to someone else or the rider cancelled. */
  withdrawn(bookingId: string): void {
    if (this.job?.offer.bookingId === bookingId) this.job = null;
  }

  /** Moves by `dtMs` and does what is due; returns where the driver is now. */
  tick(dtMs: number, nowMs: number): { position: LatLng; headingDeg: number } {
    const job = this.job;
    if (!job || job.phase === 'answering') {
      // Drivers keep driving while they read an offer.
      this.last = this.walker.step(dtMs);
      if (job && nowMs >= job.at) this.answer(job.offer);
    } else if (job.phase === 'boarding') {
      if (nowMs >= job.until) this.startTrip(job.offer);
    } else {
      this.last = job.follower.step(dtMs);
      if (job.follower.arrived) this.reachedEnd(job.phase, job.offer, nowMs);
    }
    return this.last;
  }

  private answer(offer: OfferView): void {
    const accept = this.random() < this.behaviour.acceptRate;
    this.act(`answer ${offer.bookingId}`, async () => {
      await this.doors.respond(offer.bookingId, accept);
      if (!accept) return this.release(offer.bookingId);
      this.drive('to_pickup', offer, this.last.position, offer.pickup);
    });
  }

  private reachedEnd(phase: 'to_pickup' | 'to_dropoff', offer: OfferView, nowMs: number): void {
    if (phase === 'to_pickup') {
      this.job = { phase: 'boarding', offer, until: Number.POSITIVE_INFINITY };
      this.act(`arrive ${offer.bookingId}`, async () => {
        await this.doors.tripAction(offer.bookingId, 'arrived');
        this.job = { phase: 'boarding', offer, until: nowMs + this.behaviour.boardingMs };
      });
      return;
    }
    this.job = { phase: 'boarding', offer, until: Number.POSITIVE_INFINITY };
    this.act(`complete ${offer.bookingId}`, async () => {
      await this.doors.tripAction(offer.bookingId, 'complete');
      this.cruiseFrom(offer.dropoff);
    });
  }

  private startTrip(offer: OfferView): void {
    this.job = { phase: 'boarding', offer, until: Number.POSITIVE_INFINITY };
    this.act(`start ${offer.bookingId}`, async () => {
      await this.doors.tripAction(offer.bookingId, 'start');
      this.drive('to_dropoff', offer, offer.pickup, offer.dropoff);
    });
  }

  private drive(phase: 'to_pickup' | 'to_dropoff', offer: OfferView, from: LatLng, to: LatLng): void {
    const route = fastestRoute(this.roads.graph, this.roads.grid, from, to) ?? {
      distanceM: 0,
      durationS: 0,
      path: [from, to],
      steps: [],
    };
    this.job = { phase, offer, follower: new RouteFollower(route) };
  }

  private cruiseFrom(at: LatLng): void {
    this.walker = new RoadWalker(
      this.roads.graph,
      this.random,
      snapToNode(this.roads.graph, this.roads.grid, at),
    );
    this.job = null;
  }

  private release(bookingId: string): void {
    if (this.job?.offer.bookingId === bookingId) this.job = null;
  }

  /**
   * One call to the platform at a time. A refusal (offer gone, trip cancelled by the rider) or
   * an outage drops the job and the driver cruises on from where it is: like a person, it does
   * not retry a trip the platform says is over.
   */
  private act(what: string, call: () => Promise<void>): void {
    if (this.busy) return;
    this.busy = true;
    call()
      .catch((error: unknown) => {
        this.onError(error, what);
        this.cruiseFrom(this.last.position);
      })
      .finally(() => {
        this.busy = false;
      });
  }
}
