import { eq } from 'drizzle-orm';
import { vi } from 'vitest';
import { bookings, drivers } from '@/db/schema';
import type { BookingStatus } from '@/domain/booking';
import { demoCity } from '@/domain/city';
import type { LatLng } from '@/domain/geo';
import { offsetMeters } from '@/domain/geo';
import type { EventProducer } from '@/server/infra/kafka';
import { topicSpecs } from '@/server/infra/kafka';
import { packLocationFrames } from '@/server/infra/location-frames';
import { createBooking } from '@/server/services/booking/create-booking';
import type { BookingDeps } from '@/server/services/booking/deps';
import { quoteTrip } from '@/server/services/booking/quote-trip';
import { setAvailability } from '@/server/services/driver/set-availability';
import { createDriver, createUser } from './fixtures';
import { type Harness, ready } from './harness';

export const centre: LatLng = demoCity.center;
export const away = (northM: number, eastM = 0) => offsetMeters(centre, northM, eastM);

/** A new driver who went online (available, in a duty session), with no position yet. */
export async function onDutyDriver(h: Harness, vehicleTypeId = 'economy') {
  const d = await createDriver(h.postgres.db, { vehicleTypeId });
  const { sessionId } = await setAvailability(h.core, {
    driverId: d.id,
    event: 'go_online',
    actor: 'driver',
  });
  return { ...d, sessionId: sessionId! };
}

/** A driver on duty, available, whose position the live index holds (fresh). */
export async function driverAt(h: Harness, at: LatLng, vehicleTypeId = 'economy') {
  const d = await onDutyDriver(h, vehicleTypeId);
  await moveDriver(h, d.id, d.sessionId, at, 1, vehicleTypeId);
  return d;
}

export async function moveDriver(
  h: Harness,
  driverId: string,
  sessionId: string,
  at: LatLng,
  seq: number,
  vehicleTypeId = 'economy',
) {
  const now = Date.now();
  const record = {
    driverId,
    sessionId,
    seq,
    at: now,
    ...at,
    receivedAt: now,
    state: 'available',
    vehicleTypeId,
  } as const;
  await h.liveIndex.applyPositions([record]);
  // Also on `driver.location`, as realtime publishes it: the workers' in-memory nearest index
  // (ADR 0018) learns positions from the stream, not from Redis, and counts a driver whose last
  // position is older than the staleness limit as gone.
  const producer = await locationProducer(h);
  await producer.send({
    topic: h.topics.driverLocation,
    acks: -1,
    messages: packFrames(h.topics.driverLocation, [{ key: driverId, value: record }]),
  });
}

const packFrames = packLocationFrames(topicSpecs.driverLocation.partitions);
const producers = new WeakMap<Harness, Promise<EventProducer>>();

function locationProducer(h: Harness): Promise<EventProducer> {
  let producer = producers.get(h);
  if (!producer) {
    const p = h.kafka.producer();
    producer = p.connect().then(() => p);
    producers.set(h, producer);
    h.beforeCleanup(() => p.disconnect());
  }
  return producer;
}

export async function rider(h: Harness) {
  return createUser(h.postgres.db, 'rider');
}

export async function book(
  deps: BookingDeps,
  riderId: string,
  trip: {
    pickup?: LatLng;
    dropoff?: LatLng;
    vehicleTypeId?: string;
    scheduledFor?: number | null;
    key?: string;
  } = {},
) {
  const quote = await quoteTrip(deps, {
    riderId,
    pickup: trip.pickup ?? centre,
    dropoff: trip.dropoff ?? away(3_000, 2_000),
    vehicleTypeId: trip.vehicleTypeId ?? 'economy',
    scheduledFor: trip.scheduledFor ?? null,
  });
  const { booking } = await createBooking(deps, {
    riderId,
    quoteToken: quote.token,
    idempotencyKey: trip.key ?? crypto.randomUUID(),
  });
  return { quote, booking };
}

export async function statusOf(h: Harness, bookingId: string) {
  const [row] = await h.postgres.db.select().from(bookings).where(eq(bookings.id, bookingId));
  return row!;
}

export function waitForStatus(
  h: Harness,
  bookingId: string,
  wanted: BookingStatus | BookingStatus[],
  timeoutMs = 15_000,
) {
  const set = Array.isArray(wanted) ? wanted : [wanted];
  return vi.waitFor(
    async () => {
      const row = await statusOf(h, bookingId);
      return ready(
        `booking ${bookingId.slice(0, 8)} ${set.join('/')}`,
        set.includes(row.status) ? row : null,
      );
    },
    { timeout: timeoutMs },
  );
}

export async function availabilityOf(h: Harness, driverId: string) {
  const [row] = await h.postgres.db
    .select({ state: drivers.availability })
    .from(drivers)
    .where(eq(drivers.userId, driverId));
  return row!.state;
}
