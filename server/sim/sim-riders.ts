import type { CityConfig } from '@/domain/city';
import { isDomainError } from '@/domain/errors';
import { arrivals, demandShare, localHour, type PlannedTrip, planTrip, type RiderDemand } from './rider-plan';

/** What a simulated rider does through the platform's doors (the same API the rider app calls). */
export interface RiderDoors {
  /** A price lock for the trip; its token. */
  quote(trip: PlannedTrip, scheduledFor: number | null): Promise<string>;
  /** Books the quote; the booking's id. */
  book(quoteToken: string, trip: PlannedTrip): Promise<string>;
  cancel(bookingId: string): Promise<void>;
}

export interface RiderCounts {
  booked: number;
  scheduled: number;
  cancelled: number;
  /** The rider chosen already had a trip under way (the platform allows one at a time). */
  riderBusy: number;
  /** Every rider was in the middle of a request. */
  noRiderFree: number;
  /** Refused for another reason (logged). */
  refused: number;
}

/**
 * The city's riders: bookings arrive at random (Poisson) at the demand curve's rate for the local
 * hour, from near one of the city's places to near another; some are for later, some are
 * cancelled after a while. Riders take turns. Time is given by `tick`, so a test runs an hour in
 * milliseconds with doors of its own.
 */
export class SimRiders {
  readonly counts: RiderCounts = {
    booked: 0,
    scheduled: 0,
    cancelled: 0,
    riderBusy: 0,
    noRiderFree: 0,
    refused: 0,
  };
  private next = 0;
  private readonly requesting = new Set<number>();
  private cancels: { at: number; rider: number; bookingId: string }[] = [];

  constructor(
    private readonly riders: readonly RiderDoors[],
    private readonly random: () => number,
    private readonly city: CityConfig,
    private readonly demand: RiderDemand,
    private readonly onError: (error: unknown, what: string) => void = () => undefined,
  ) {}

  /** Advances by `dtMs` to `nowMs`: cancels what is due, books the interval's arrivals. Resolves when their requests ended. */
  tick(dtMs: number, nowMs: number): Promise<void> {
    const work: Promise<void>[] = [];
    const due = this.cancels.filter((c) => c.at <= nowMs);
    this.cancels = this.cancels.filter((c) => c.at > nowMs);
    for (const c of due) work.push(this.cancel(c.rider, c.bookingId));
    const mean =
      (this.demand.peakPerHour * demandShare(localHour(nowMs, this.city.timeZone)) * dtMs) / 3_600_000;
    for (let n = arrivals(this.random, mean); n > 0; n--) {
      const rider = this.freeRider();
      if (rider === null) {
        this.counts.noRiderFree++;
        continue;
      }
      work.push(this.book(rider, planTrip(this.random, this.city, this.demand), nowMs));
    }
    return Promise.all(work).then(() => undefined);
  }

  private freeRider(): number | null {
    for (let tried = 0; tried < this.riders.length; tried++) {
      const i = this.next;
      this.next = (this.next + 1) % this.riders.length;
      if (!this.requesting.has(i)) return i;
    }
    return null;
  }

  private async book(rider: number, trip: PlannedTrip, nowMs: number): Promise<void> {
    this.requesting.add(rider);
    try {
      const doors = this.riders[rider]!;
      const scheduledFor = trip.scheduledInMs === null ? null : nowMs + trip.scheduledInMs;
      const bookingId = await doors.book(await doors.quote(trip, scheduledFor), trip);
      this.counts.booked++;
      if (scheduledFor !== null) this.counts.scheduled++;
      if (trip.cancelAfterMs !== null)
        this.cancels.push({ at: nowMs + trip.cancelAfterMs, rider, bookingId });
    } catch (error) {
      if (isDomainError(error) && error.code === 'CONFLICT') this.counts.riderBusy++;
      else {
        this.counts.refused++;
        this.onError(error, 'booking');
      }
    } finally {
      this.requesting.delete(rider);
    }
  }

  private async cancel(rider: number, bookingId: string): Promise<void> {
    try {
      await this.riders[rider]!.cancel(bookingId);
      this.counts.cancelled++;
    } catch (error) {
      // Too late (the trip ended or is already cancelled) is a rider's ordinary luck.
      if (!(isDomainError(error) && error.code === 'CONFLICT')) this.onError(error, 'cancel');
    }
  }
}
