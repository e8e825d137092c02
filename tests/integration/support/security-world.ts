import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { gridDisk, latLngToCell } from 'h3-js';
import { bookings, drivers, fareTables, users, vehicles, vehicleTypes } from '@/db/schema';
import { demoCity } from '@/domain/city';
import { type LatLng, offsetMeters } from '@/domain/geo';
import type { Role } from '@/domain/roles';
import { serviceAreaResolution } from '@/domain/service-area';
import { assignBooking } from '@/server/services/booking/assign-booking';
import { createBooking } from '@/server/services/booking/create-booking';
import { quoteTrip } from '@/server/services/booking/quote-trip';
import { respondToOffer } from '@/server/services/booking/respond-to-offer';
import { setAvailability } from '@/server/services/driver/set-availability';
import type { Actor, MatrixFixtures, SignedInKind, Trip } from '@/tests/security/authorization-matrix';
import type { LeakWorld } from '@/tests/security/leaks';
import { moveDriver, waitForStatus } from './booking-helpers';
import { createDriver, createUser, ensureVehicleTypes, fixtureCipher } from './fixtures';
import type { Harness } from './harness';
import { sessionOf } from './trpc';

/**
 * The fixture world of the authorisation matrix: rider A's booking accepted by driver D, rider B
 * and driver E with nothing to do with it, a dispatcher and an admin, each with a real auth
 * session, an encrypted phone number (drivers a licence too) and distinctive names; plus fresh
 * objects on demand for cells that change state. Everything goes through the real use cases.
 */
export interface SecurityWorld extends Omit<MatrixFixtures, 'booking'>, Omit<LeakWorld, 'booking'> {
  booking: { id: string; pickup: LatLng };
  dutySessions: Partial<Record<SignedInKind, string>>;
}

const centre = demoCity.center;
const tag = () => randomBytes(3).toString('hex');

/** D far south-west, E far north-east; fresh trips on a grid in between, 1.7 km apart. */
const dPlace = offsetMeters(centre, -5_234.5, -5_321.7);
const ePlace = offsetMeters(centre, 6_543.2, 6_432.1);
/** Pickups nobody can serve: > 10 km from E and from the matrix test's scripted trip, D busy. */
const loneliest = offsetMeters(centre, -8_000, 2_000);
const gridPlace = (n: number): LatLng =>
  offsetMeters(centre, ((n % 6) - 3) * 1_700 + 600, ((Math.floor(n / 6) % 6) - 3) * 1_700 + 900);

export async function createSecurityWorld(h: Harness): Promise<SecurityWorld> {
  const db = h.postgres.db;
  // Offers ring for 5 minutes (the most the workers allow): an offer a cell left unanswered must
  // not expire mid-run and move its booking on to a fresh driver another cell is placing.
  const dispatchDeps = { ...h.booking, dispatchPolicy: { ...h.booking.dispatchPolicy, offerTtlMs: 300_000 } };
  await ensureVehicleTypes(db);
  let phones = 0;

  async function withPii(
    user: { id: string; email: string; name: string },
    role: Role,
    licence: string | null,
  ): Promise<Actor> {
    const phone = `+91 80 ${String(5_000 + phones++).padStart(4, '0')} ${(randomBytes(2).readUInt16BE() % 9_000) + 1_000}`;
    await db
      .update(users)
      .set({ phone: fixtureCipher.encrypt(phone, { table: 'users', column: 'phone', rowId: user.id }) })
      .where(eq(users.id, user.id));
    if (licence) {
      await db
        .update(drivers)
        .set({
          licenseNumber: fixtureCipher.encrypt(licence, {
            table: 'drivers',
            column: 'license_number',
            rowId: user.id,
          }),
        })
        .where(eq(drivers.userId, user.id));
    }
    return { ...user, role, phone, licence, session: await sessionOf(h, { ...user, role }) };
  }

  async function person(role: Role, label: string): Promise<Actor> {
    return withPii(await createUser(db, role, `${label} ${tag()}`), role, null);
  }

  async function driver(
    label: string,
    options: { vehicle?: boolean } = {},
  ): Promise<Actor & { vehicleId: string | null }> {
    const d = await createDriver(db, { vehicleTypeId: options.vehicle === false ? null : 'economy' });
    await db
      .update(users)
      .set({ name: `${label} ${tag()}` })
      .where(eq(users.id, d.id));
    const [row] = await db.select().from(users).where(eq(users.id, d.id));
    const actor = await withPii(row!, 'driver', `DL-${tag().toUpperCase()}-${tag().toUpperCase()}`);
    return { ...actor, vehicleId: d.vehicleId };
  }

  async function online(actor: Actor, at: LatLng): Promise<string> {
    const { sessionId } = await setAvailability(h.core, {
      driverId: actor.id,
      event: 'go_online',
      actor: 'driver',
    });
    await moveDriver(h, actor.id, sessionId!, at, 1);
    return sessionId!;
  }

  async function quote(rider: Actor, pickup: LatLng = centre): Promise<string> {
    const q = await quoteTrip(h.booking, {
      riderId: rider.id,
      pickup,
      dropoff: offsetMeters(pickup, 2_500, 1_500),
      vehicleTypeId: 'economy',
      scheduledFor: null,
    });
    return q.token;
  }

  async function book(rider: Actor, pickup: LatLng): Promise<string> {
    const { booking } = await createBooking(h.booking, {
      riderId: rider.id,
      quoteToken: await quote(rider, pickup),
      idempotencyKey: crypto.randomUUID(),
    });
    return booking.id;
  }

  /** Books next to `driver` and sees the offer ring for them (a workers process may get there first). */
  async function offeredTo(driver: Actor, rider: Actor, pickup: LatLng): Promise<string> {
    const bookingId = await book(rider, pickup);
    await assignBooking(dispatchDeps, bookingId);
    const row = await waitForStatus(h, bookingId, 'offered');
    if (row.offeredDriverId !== driver.id) {
      throw new Error(`the offer for ${bookingId} went to ${row.offeredDriverId}, not the fresh driver`);
    }
    return bookingId;
  }

  const actors: Record<SignedInKind, Actor> = {
    riderOwner: await person('rider', 'Rider Alpha'),
    otherRider: await person('rider', 'Rider Bravo'),
    assignedDriver: await driver('Driver Delta'),
    otherDriver: await driver('Driver Echo'),
    dispatcher: await person('dispatcher', 'Dispatcher Sierra'),
    admin: await person('admin', 'Admin Mike'),
  };
  const dutySessions: Partial<Record<SignedInKind, string>> = {
    assignedDriver: await online(actors.assignedDriver, dPlace),
    otherDriver: await online(actors.otherDriver, ePlace),
  };
  const pickup = offsetMeters(dPlace, 25.3, 10.7);
  const bookingId = await offeredTo(actors.assignedDriver, actors.riderOwner, pickup);
  await respondToOffer(h.booking, { driverId: actors.assignedDriver.id, bookingId, accept: true });

  const [hashRow] = await db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, actors.riderOwner.id));
  let places = 0;
  const now = Date.now();

  const fresh: MatrixFixtures['fresh'] = {
    rider: () => person('rider', 'Fresh Rider'),
    driver: (options = {}) => driver('Fresh Driver', options),
    user: (role) => person(role, `Fresh ${role}`),
    // Where nobody can serve it: the booking a cell makes from it must not take a driver another
    // cell (or the scripted trip) is about to place near the centre.
    quote: (rider) => quote(rider, loneliest),
    async requestedBooking() {
      const rider = await person('rider', 'Fresh Rider');
      return { rider, bookingId: await book(rider, loneliest) };
    },
    async offeredBooking(): Promise<Trip> {
      const at = gridPlace(places++);
      const d = await driver('Fresh Driver');
      await online(d, at);
      const rider = await person('rider', 'Fresh Rider');
      return { rider, driver: d, bookingId: await offeredTo(d, rider, offsetMeters(at, 20, 5)) };
    },
    async acceptedBooking(): Promise<Trip> {
      const trip = await fresh.offeredBooking();
      await respondToOffer(h.booking, { driverId: trip.driver.id, bookingId: trip.bookingId, accept: true });
      return trip;
    },
    async vehicle() {
      const [v] = await db
        .insert(vehicles)
        .values({
          plate: `SEC-${tag().toUpperCase()}`,
          vehicleTypeId: 'economy',
          make: 'Test',
          model: 'Car',
          color: 'Grey',
          capacity: 4,
        })
        .returning({ id: vehicles.id });
      return v!;
    },
    async vehicleType() {
      const id = `sec_${tag()}`;
      await db.insert(vehicleTypes).values({ id, name: `Sec ${tag()}`, seats: 4, sortOrder: 99 });
      return { id };
    },
    async fare(vehicleTypeId) {
      const [f] = await db.select().from(fareTables).where(eq(fareTables.vehicleTypeId, vehicleTypeId));
      return {
        baseFare: f!.baseFare,
        perKm: f!.perKm,
        perMinute: f!.perMinute,
        minimumFare: f!.minimumFare,
        bookingFee: f!.bookingFee,
      };
    },
  };

  return {
    actors,
    booking: { id: bookingId, pickup },
    gatewayName: `sec-gw-${tag()}`,
    metricsToken: `scrape-${randomBytes(12).toString('hex')}`,
    vehicleTypeId: 'economy',
    place: centre,
    serviceAreaCells: gridDisk(latLngToCell(centre.lat, centre.lng, serviceAreaResolution), 8),
    window: { from: now - 3_600_000, to: now },
    fresh,
    positions: { assignedDriver: dPlace, otherDriver: ePlace },
    dutySessions,
    passwordHash: hashRow!.hash,
  };
}

/** The booking row as stored (for assertions about who holds it). */
export async function bookingRow(h: Harness, bookingId: string) {
  const [row] = await h.postgres.db.select().from(bookings).where(eq(bookings.id, bookingId));
  return row!;
}
