import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  activeWithDriver,
  type BookingActor,
  type BookingEvent,
  type BookingStatus,
  bookingEvents,
  nextBookingStatus,
} from '@/domain/booking';
import {
  type AvailabilityEvent,
  type AvailabilityState,
  driverEvents,
  nextAvailability,
} from '@/domain/driver-availability';
import { DomainError, isDomainError } from '@/domain/errors';
import {
  allowedTransitions,
  bookingActors,
  specActors,
  specRule,
  terminalStatuses,
  withDriverStatuses,
} from './support/booking-spec';

/**
 * T6, pure layer: random sequences of commands from riders, drivers and the system against the two
 * domain state machines (booking, driver availability), coupled as the use cases couple them, and
 * compared with an independent model of the lifecycle (tests/unit/support/booking-spec.ts). The
 * invariants are checked after every command.
 */

interface Booking {
  status: BookingStatus;
  version: number;
  driver: number | null;
  offeredTo: number | null;
}

type Outcome = { ok: true } | { ok: false; error: DomainError; side: 'booking' | 'driver' };

function refusal(error: unknown, side: 'booking' | 'driver'): Outcome {
  if (!isDomainError(error)) throw error;
  return { ok: false, error, side };
}

const bookingsPerRun = 2;
const driversPerRun = 3;

/**
 * The system under test: bookings and drivers that move only through `nextBookingStatus` and
 * `nextAvailability`. Each booking event carries the availability event of the driver it concerns
 * (as server/services/booking/* do in one transaction): all or nothing.
 */
class Fleet {
  constructor(
    public bookings: Booking[],
    public drivers: AvailabilityState[],
    /** Bookings whose offered driver lost their heartbeat while it rang (for the invariants). */
    public lostOffers = new Set<number>(),
  ) {}

  clone(): Fleet {
    return new Fleet(
      this.bookings.map((b) => ({ ...b })),
      [...this.drivers],
      new Set(this.lostOffers),
    );
  }

  applyBooking(b: number, event: BookingEvent, actor: BookingActor, candidate: number): Outcome {
    const booking = this.bookings[b]!;
    let to: BookingStatus;
    try {
      to = nextBookingStatus(booking.status, event, actor);
    } catch (error) {
      return refusal(error, 'booking');
    }
    const changes: [number, AvailabilityEvent][] = [];
    let set: Partial<Booking> = {};
    switch (event) {
      case 'offer':
        // assign-booking: the candidate must still be available (locked row), and a driver has
        // at most one offer ringing (unique index bookings_one_offer_per_driver).
        if (this.bookings.some((x) => x.status === 'offered' && x.offeredTo === candidate)) {
          return refusal(new DomainError('CONFLICT', 'driver already has an offer'), 'driver');
        }
        changes.push([candidate, 'offer_sent']);
        set = { offeredTo: candidate };
        break;
      case 'offer_declined':
      case 'offer_accepted':
        // respond-to-offer: only a driver still being offered it may answer.
        if (this.drivers[booking.offeredTo!] !== 'offered') {
          return refusal(new DomainError('CONFLICT', 'This offer is no longer open'), 'driver');
        }
        changes.push([booking.offeredTo!, event]);
        set =
          event === 'offer_accepted' ? { offeredTo: null, driver: booking.offeredTo } : { offeredTo: null };
        break;
      case 'offer_expired':
        // expire-offer: frees the driver only if they are still being offered it (see releaseOfferedDriver in booking/internal/offer.ts).
        if (this.drivers[booking.offeredTo!] === 'offered') changes.push([booking.offeredTo!, event]);
        set = { offeredTo: null };
        break;
      case 'trip_started':
      case 'trip_completed':
        changes.push([booking.driver!, event]);
        break;
      case 'driver_cancelled':
        changes.push([booking.driver!, 'trip_cancelled']);
        if (to === 'searching') set = { driver: null };
        break;
      case 'rider_cancelled':
      case 'system_cancelled':
        if (booking.status === 'offered' && this.drivers[booking.offeredTo!] === 'offered') {
          changes.push([booking.offeredTo!, 'offer_withdrawn']);
        }
        if (activeWithDriver.includes(booking.status)) changes.push([booking.driver!, 'trip_cancelled']);
        set = { offeredTo: null };
        break;
      default:
        break;
    }
    const drivers = [...this.drivers];
    for (const [d, e] of changes) {
      try {
        drivers[d] = nextAvailability(drivers[d]!, e);
      } catch (error) {
        return refusal(error, 'driver');
      }
    }
    this.drivers = drivers;
    this.bookings[b] = { ...booking, ...set, status: to, version: booking.version + 1 };
    if (to !== 'offered') this.lostOffers.delete(b);
    return { ok: true };
  }

  /** A driver's own command (go online/offline, pause, resume) or the presence sweep's heartbeat_lost. */
  applyDriver(d: number, event: AvailabilityEvent): Outcome {
    try {
      const from = this.drivers[d]!;
      this.drivers[d] = nextAvailability(from, event);
      // The sweep leaves the booking offered; remember whose offer rings for nobody.
      if (from === 'offered') {
        this.bookings.forEach((b, i) => {
          if (b.status === 'offered' && b.offeredTo === d) this.lostOffers.add(i);
        });
      }
      return { ok: true };
    } catch (error) {
      return refusal(error, 'driver');
    }
  }
}

/** The model: what the lifecycle spec says each booking's status and version are. */
interface Model {
  statuses: BookingStatus[];
  versions: number[];
}

const legalMoves = (status: BookingStatus): [BookingEvent, BookingActor][] =>
  allowedTransitions
    .filter(([from]) => from === status)
    .flatMap(([, e, , actors]) => actors.map((a) => [e, a] as [BookingEvent, BookingActor]));

/** Plain checks: thousands per run, so cheaper than `expect`; the message says which invariant broke. */
function must(holds: boolean, what: string): void {
  if (!holds) throw new Error(`invariant broken: ${what}`);
}
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkInvariants(fleet: Fleet, before: Fleet): void {
  fleet.bookings.forEach((b, i) => {
    const prev = before.bookings[i]!;
    const tag = `booking${i} ${JSON.stringify(b)}`;
    must(!terminalStatuses.includes(prev.status) || same(b, prev), `${tag}: a terminal booking changed`);
    must(b.version === prev.version || b.version === prev.version + 1, `${tag}: version jumped`);
    must(b.version !== prev.version || same(b, prev), `${tag}: changed without a new version`);
    // A driver is bound exactly while the trip needs one (kept on completion; either way on cancel).
    must(
      b.status === 'cancelled' || (b.driver !== null) === withDriverStatuses.includes(b.status),
      `${tag}: driver bound ≠ status needs one`,
    );
    // An offer rings exactly while offered, to a driver who is being offered it (unless they vanished).
    must((b.offeredTo !== null) === (b.status === 'offered'), `${tag}: offer ≠ offered`);
    must(
      b.offeredTo === null || fleet.lostOffers.has(i) || fleet.drivers[b.offeredTo] === 'offered',
      `${tag}: offered to a driver who is ${b.offeredTo === null ? '' : fleet.drivers[b.offeredTo]}`,
    );
  });
  // Each driver's availability mirrors their bookings: at most one offer or trip at a time.
  fleet.drivers.forEach((state, d) => {
    const ringing = fleet.bookings
      .map((b, i) => ({ b, i }))
      .filter(({ b }) => b.status === 'offered' && b.offeredTo === d);
    const offers = ringing.filter(({ i }) => !fleet.lostOffers.has(i)).length;
    const enRoute = fleet.bookings.filter(
      (b) => b.driver === d && ['accepted', 'arrived'].includes(b.status),
    ).length;
    const onTrip = fleet.bookings.filter((b) => b.driver === d && b.status === 'in_progress').length;
    const tag = `driver${d} ${state}: ${ringing.length} offers, ${enRoute} to pickup, ${onTrip} on trip`;
    must(ringing.length + enRoute + onTrip <= 1, `${tag}: more than one at a time`);
    must((state === 'offered') === (offers === 1), tag);
    must((state === 'en_route') === (enRoute === 1), tag);
    must((state === 'on_trip') === (onTrip === 1), tag);
  });
  // Nothing gets stuck: every booking still under way can be ended now, by its rider or its driver.
  fleet.bookings.forEach((b, i) => {
    if (terminalStatuses.includes(b.status)) return;
    const [event, actor]: [BookingEvent, BookingActor] =
      b.status === 'in_progress' ? ['trip_completed', 'driver'] : ['rider_cancelled', 'rider'];
    const ended = fleet.clone().applyBooking(i, event, actor, 0);
    must(ended.ok, `booking${i} (${b.status}) cannot be ended: ${ended.ok ? '' : ended.error.message}`);
  });
}

const statusesOf = (fleet: Fleet) => fleet.bookings.map((x) => x.status);
const versionsOf = (fleet: Fleet) => fleet.bookings.map((x) => x.version);

class BookingStep implements fc.Command<Model, Fleet> {
  constructor(
    readonly b: number,
    readonly pick: { event: BookingEvent; actor: BookingActor } | number,
    readonly candidate: number,
  ) {}

  private move(m: Model): [BookingEvent, BookingActor] | null {
    if (typeof this.pick !== 'number') return [this.pick.event, this.pick.actor];
    const moves = legalMoves(m.statuses[this.b]!);
    return moves.length === 0 ? null : moves[this.pick % moves.length]!;
  }

  check(m: Readonly<Model>): boolean {
    return this.move(m) !== null;
  }

  run(m: Model, fleet: Fleet): void {
    const [event, actor] = this.move(m)!;
    const before = fleet.clone();
    const from = m.statuses[this.b]!;
    const outcome = fleet.applyBooking(this.b, event, actor, this.candidate);
    const rule = specRule(from, event);
    const refused = (code: string) =>
      !outcome.ok && outcome.side === 'booking' && outcome.error.code === code;
    if (!specActors(event).has(actor)) {
      must(refused('FORBIDDEN'), `${this}: only ${[...specActors(event)]} may ${event}`);
    } else if (!rule) {
      must(refused('INVALID_TRANSITION'), `${this}: ${event} is not allowed from ${from}`);
    } else if (outcome.ok) {
      m.statuses[this.b] = rule[2];
      m.versions[this.b]! += 1;
    } else {
      // Allowed by the lifecycle, refused by the driver's side (not available, already has an offer…).
      must(outcome.side === 'driver', `${this}: refused ${outcome.error.message}`);
    }
    must(same(statusesOf(fleet), m.statuses), `${this}: statuses differ from the model`);
    must(same(versionsOf(fleet), m.versions), `${this}: versions differ from the model`);
    checkInvariants(fleet, before);
  }

  toString(): string {
    const what =
      typeof this.pick === 'number' ? `legal#${this.pick}` : `${this.pick.actor}:${this.pick.event}`;
    return `booking${this.b}.${what}(driver${this.candidate})`;
  }
}

class DriverStep implements fc.Command<Model, Fleet> {
  constructor(
    readonly d: number,
    readonly event: AvailabilityEvent,
  ) {}

  check(): boolean {
    return true;
  }

  run(m: Model, fleet: Fleet): void {
    const before = fleet.clone();
    const outcome = fleet.applyDriver(this.d, this.event);
    must(outcome.ok || outcome.error.code === 'INVALID_TRANSITION', `${this}: refused oddly`);
    must(same(fleet.bookings, before.bookings), `${this}: a driver's own event changed a booking`);
    must(same(statusesOf(fleet), m.statuses), `${this}: statuses differ from the model`);
    checkInvariants(fleet, before);
  }

  toString(): string {
    return `driver${this.d}.${this.event}`;
  }
}

const bookingIndex = fc.nat(bookingsPerRun - 1);
const driverIndex = fc.nat(driversPerRun - 1);
const commands = [
  // Mostly moves the lifecycle allows, so runs get deep into trips…
  fc.tuple(bookingIndex, fc.nat(), driverIndex).map(([b, pick, d]) => new BookingStep(b, pick, d)),
  fc.tuple(bookingIndex, fc.nat(), driverIndex).map(([b, pick, d]) => new BookingStep(b, pick, d)),
  // …and any event by any actor, which must be refused unless allowed.
  fc
    .tuple(bookingIndex, fc.constantFrom(...bookingEvents), fc.constantFrom(...bookingActors), driverIndex)
    .map(([b, event, actor, d]) => new BookingStep(b, { event, actor }, d)),
  // Drivers going on and off duty, and the presence sweep.
  fc
    .tuple(driverIndex, fc.constantFrom<AvailabilityEvent>(...driverEvents, 'heartbeat_lost'))
    .map(([d, event]) => new DriverStep(d, event)),
];

const initial = fc.record({
  statuses: fc.array(fc.constantFrom<BookingStatus>('requested', 'scheduled'), {
    minLength: bookingsPerRun,
    maxLength: bookingsPerRun,
  }),
  drivers: fc.array(fc.constantFrom<AvailabilityState>('available', 'available', 'offline', 'paused'), {
    minLength: driversPerRun,
    maxLength: driversPerRun,
  }),
});

describe('booking state machine, model-based (T6, pure)', () => {
  it('keeps every invariant under random commands from riders, drivers and the system', () => {
    fc.assert(
      fc.property(initial, fc.commands(commands, { maxCommands: 60, size: 'max' }), (init, cmds) => {
        const setup = () => ({
          model: { statuses: [...init.statuses], versions: init.statuses.map(() => 1) },
          real: new Fleet(
            init.statuses.map((status) => ({ status, version: 1, driver: null, offeredTo: null })),
            [...init.drivers],
          ),
        });
        fc.modelRun(setup, cmds);
      }),
      { numRuns: 1_000 },
    );
  }, 60_000);
});
