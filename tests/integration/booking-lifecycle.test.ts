import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { bookingCandidates, bookingEvents, outbox } from '@/db/schema';
import { bookingEventMessageSchema } from '@/domain/booking-events';
import { cancelBookingByRider } from '@/server/services/booking/cancel-booking';
import { driverTripAction } from '@/server/services/booking/driver-trip-action';
import { respondToOffer } from '@/server/services/booking/respond-to-offer';
import {
  availabilityOf,
  away,
  book,
  centre,
  driverAt,
  rider,
  statusOf,
  waitForStatus,
} from './support/booking-helpers';
import { type BookingWorld, bookingWorld } from './support/booking-world';

/** The trip end to end on the real use cases, PostgreSQL, Redis and a real BullMQ worker. */
let world: BookingWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function eventsOf(w: BookingWorld, bookingId: string) {
  return w.h.postgres.db
    .select()
    .from(bookingEvents)
    .where(eq(bookingEvents.bookingId, bookingId))
    .orderBy(asc(bookingEvents.version));
}

describe('booking lifecycle', () => {
  it('offers the nearest driver, who accepts, arrives, starts and completes; every step recorded and published', async () => {
    world = await bookingWorld('life');
    const { h, deps } = world;
    const near = await driverAt(h, away(300));
    const far = await driverAt(h, away(1_500));
    const r = await rider(h);
    const { booking, quote } = await book(deps, r.id);
    expect(booking.status).toBe('requested');
    expect(booking.fareTotal).toBe(quote.fare.total);

    const offered = await waitForStatus(h, booking.id, 'offered');
    expect(offered.offeredDriverId).toBe(near.id);
    expect(await availabilityOf(h, near.id)).toBe('offered');
    expect(await availabilityOf(h, far.id)).toBe('available');

    await respondToOffer(deps, { driverId: near.id, bookingId: booking.id, accept: true });
    expect(await availabilityOf(h, near.id)).toBe('en_route');
    await driverTripAction(deps, { driverId: near.id, bookingId: booking.id, action: 'arrived' });
    await driverTripAction(deps, { driverId: near.id, bookingId: booking.id, action: 'start' });
    expect(await availabilityOf(h, near.id)).toBe('on_trip');
    const done = await driverTripAction(deps, {
      driverId: near.id,
      bookingId: booking.id,
      action: 'complete',
    });
    expect(done).toMatchObject({ status: 'completed', driverId: near.id, version: 7 });
    expect(done.acceptedAt && done.arrivedAt && done.startedAt && done.completedAt).toBeTruthy();
    expect(await availabilityOf(h, near.id)).toBe('available');

    const events = await eventsOf(world, booking.id);
    expect(events.map((e) => `${e.version}:${e.event}:${e.toStatus}`)).toEqual([
      '1:requested:requested',
      '2:dispatch:searching',
      '3:offer:offered',
      '4:offer_accepted:accepted',
      '5:driver_arrived:arrived',
      '6:trip_started:in_progress',
      '7:trip_completed:completed',
    ]);
    const published = (await h.postgres.db.select().from(outbox).where(eq(outbox.key, booking.id))).map((o) =>
      bookingEventMessageSchema.parse(o.payload),
    );
    expect(published.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const candidates = await h.postgres.db
      .select()
      .from(bookingCandidates)
      .where(eq(bookingCandidates.bookingId, booking.id));
    expect(candidates.find((c) => c.driverId === near.id)).toMatchObject({ rank: 1, outcome: 'accepted' });
    expect(candidates.find((c) => c.driverId === far.id)).toMatchObject({ rank: 2, outcome: null });
    expect(candidates[0]!.reason).toMatch(/pickup in \d+ min/);
  });

  it('moves to the next candidate when a driver declines, and never offers it to them again', async () => {
    world = await bookingWorld('decline');
    const { h, deps } = world;
    const first = await driverAt(h, away(200));
    const second = await driverAt(h, away(900));
    const { booking } = await book(deps, (await rider(h)).id);
    await waitForStatus(h, booking.id, 'offered');
    await respondToOffer(deps, { driverId: first.id, bookingId: booking.id, accept: false });
    expect(await availabilityOf(h, first.id)).toBe('available');
    const again = await waitForStatus(h, booking.id, 'offered');
    expect(again.offeredDriverId).toBe(second.id);
    // The first driver cannot take it back, nor can anyone but the offered driver.
    await expect(
      respondToOffer(deps, { driverId: first.id, bookingId: booking.id, accept: true }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('moves on when an offer times out', async () => {
    world = await bookingWorld('timeout', { offerTtlMs: 800 });
    const { h, deps } = world;
    const silent = await driverAt(h, away(200));
    const other = await driverAt(h, away(700));
    const { booking } = await book(deps, (await rider(h)).id);
    expect((await waitForStatus(h, booking.id, 'offered')).offeredDriverId).toBe(silent.id);
    await expect
      .poll(async () => (await statusOf(h, booking.id)).offeredDriverId, { timeout: 10_000 })
      .toBe(other.id);
    // The poll alone would also pass if the timeout had first re-offered to someone else (or to
    // `silent` again): the recorded transitions say the offer right after the timeout was `other`'s.
    const published = (await h.postgres.db.select().from(outbox).where(eq(outbox.key, booking.id))).map((o) =>
      bookingEventMessageSchema.parse(o.payload),
    );
    const around = published.filter((m) => m.version >= 3 && m.version <= 5);
    expect(around.sort((a, b) => a.version - b.version)).toEqual([
      expect.objectContaining({ version: 3, event: 'offer', offeredDriverId: silent.id, offerSeq: 1 }),
      expect.objectContaining({
        version: 4,
        event: 'offer_expired',
        actor: 'system',
        formerOfferDriverId: silent.id,
      }),
      expect.objectContaining({ version: 5, event: 'offer', offeredDriverId: other.id, offerSeq: 2 }),
    ]);
    expect(await availabilityOf(h, silent.id)).toBe('available');
    const events = await eventsOf(world, booking.id);
    expect(events.some((e) => e.event === 'offer_expired' && e.actor === 'system')).toBe(true);
  });

  it('pulls back a ringing offer when the rider cancels, at no charge', async () => {
    world = await bookingWorld('withdraw');
    const { h, deps } = world;
    const d = await driverAt(h, away(200));
    const r = await rider(h);
    const { booking } = await book(deps, r.id);
    await waitForStatus(h, booking.id, 'offered');
    const { booking: cancelled, terms } = await cancelBookingByRider(deps, {
      riderId: r.id,
      bookingId: booking.id,
      reason: 'changed my mind',
    });
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'rider',
      cancellationFee: 0,
      offeredDriverId: null,
    });
    expect(terms.fee).toBe(0);
    expect(await availabilityOf(h, d.id)).toBe('available');
    const [last] = (await h.postgres.db.select().from(outbox).where(eq(outbox.key, booking.id))).slice(-1);
    expect(bookingEventMessageSchema.parse(last!.payload)).toMatchObject({
      event: 'rider_cancelled',
      formerOfferDriverId: d.id,
    });
    await expect(
      respondToOffer(deps, { driverId: d.id, bookingId: booking.id, accept: true }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('charges the cancellation fee once the driver has been on the way past the grace period', async () => {
    world = await bookingWorld('fee');
    const { h } = world;
    let clock = Date.now();
    const deps = { ...world.deps, clock: { now: () => clock } };
    const d = await driverAt(h, away(200));
    const r = await rider(h);
    const { booking } = await book(deps, r.id);
    await waitForStatus(h, booking.id, 'offered');
    await respondToOffer(deps, { driverId: d.id, bookingId: booking.id, accept: true });
    clock += 3 * 60_000;
    const { booking: cancelled, terms } = await cancelBookingByRider(deps, {
      riderId: r.id,
      bookingId: booking.id,
    });
    expect(terms).toMatchObject({ fee: 7_000, rule: expect.stringContaining('more than 2 min') });
    expect(cancelled.cancellationFee).toBe(7_000);
    expect(await availabilityOf(h, d.id)).toBe('available');
  });

  it('matches the rider again when the driver cancels before pickup, without that driver', async () => {
    world = await bookingWorld('drivercancel');
    const { h, deps } = world;
    const quitter = await driverAt(h, away(200));
    const backup = await driverAt(h, away(800));
    const { booking } = await book(deps, (await rider(h)).id);
    await waitForStatus(h, booking.id, 'offered');
    await respondToOffer(deps, { driverId: quitter.id, bookingId: booking.id, accept: true });
    await expect(
      driverTripAction(deps, { driverId: quitter.id, bookingId: booking.id, action: 'cancel' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'reason' },
    });
    const back = await driverTripAction(deps, {
      driverId: quitter.id,
      bookingId: booking.id,
      action: 'cancel',
      reason: 'flat tyre',
    });
    expect(back).toMatchObject({ status: 'searching', driverId: null });
    expect(await availabilityOf(h, quitter.id)).toBe('available');
    const again = await waitForStatus(h, booking.id, 'offered');
    expect(again.offeredDriverId).toBe(backup.id);
  });

  it('ends in "no driver found" when nobody is near, and tells why', async () => {
    world = await bookingWorld('nodriver', { maxSearchMs: 1_500, retryDelayMs: 300 });
    const { h, deps } = world;
    await driverAt(h, away(200), 'xl'); // the wrong vehicle type
    const { booking } = await book(deps, (await rider(h)).id, { vehicleTypeId: 'economy' });
    const row = await waitForStatus(h, booking.id, 'no_driver_found', 15_000);
    expect(row.offersMade).toBe(0);
    const events = await eventsOf(world, booking.id);
    expect(events.at(-1)).toMatchObject({
      event: 'no_driver',
      actor: 'system',
      reason: expect.stringContaining('no driver accepted'),
    });
  });

  it('refuses actions out of order and actions on someone else’s trip', async () => {
    world = await bookingWorld('order');
    const { h, deps } = world;
    const d = await driverAt(h, away(200));
    const stranger = await driverAt(h, away(5_000, 5_000), 'moto');
    const { booking } = await book(deps, (await rider(h)).id);
    await waitForStatus(h, booking.id, 'offered');
    await respondToOffer(deps, { driverId: d.id, bookingId: booking.id, accept: true });
    await expect(
      driverTripAction(deps, { driverId: d.id, bookingId: booking.id, action: 'complete' }),
    ).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    await expect(
      driverTripAction(deps, { driverId: stranger.id, bookingId: booking.id, action: 'arrived' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const other = await rider(h);
    await expect(
      cancelBookingByRider(deps, { riderId: other.id, bookingId: booking.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await statusOf(h, booking.id)).status).toBe('accepted');
    expect(await availabilityOf(h, d.id)).toBe('en_route');
    void centre;
  });
});
