import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BookingUpdate, DriverOnTrip, OfferView } from '@/domain/realtime-contract';
import type { RealtimeProcess } from '@/server/realtime/start';
import { cancelBookingByRider } from '@/server/services/booking/cancel-booking';
import { driverTripAction } from '@/server/services/booking/driver-trip-action';
import { respondToOffer } from '@/server/services/booking/respond-to-offer';
import { away, book, onDutyDriver, rider, waitForStatus } from './support/booking-helpers';
import { createDriver, createUser } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import { openSocket } from './support/sockets';

/**
 * Booking notifications through the production wiring: Kafka-fed realtime fan-out to the rider,
 * the driver (offers, acknowledged) and dispatchers, with the driver's position shared with the
 * rider only while the trip is theirs.
 */
let h: Harness;
let realtime: RealtimeProcess;
const fanoutMs = 50;

beforeAll(async () => {
  h = await createHarness('bookingrt');
  realtime = await startRealtimeFor(h, { FANOUT_INTERVAL_MS: String(fanoutMs) });
  await startWorkersFor(h, { DISPATCH_OFFER_TTL_MS: '30000' });
}, 60_000);

afterAll(async () => {
  await h?.cleanup();
});

async function socketFor(user: { id: string; role: 'rider' | 'driver' | 'dispatcher' | 'admin' }) {
  return (await openSocket(h, realtime.port, user)).socket;
}

/**
 * A driver on duty whose phone is connected and has sent positions through the real path; the
 * app acknowledges offers unless told not to.
 */
async function driverOnPhone(at = away(300), options: { ackOffers?: boolean } = {}) {
  const { sessionId, ...d } = await onDutyDriver(h);
  const socket = await socketFor({ id: d.id, role: 'driver' });
  const offers: OfferView[] = [];
  const withdrawn: { bookingId: string; reason: string }[] = [];
  socket.on('offer:new', (offer, ack) => {
    offers.push(offer);
    if (options.ackOffers ?? true) ack({ received: true });
  });
  socket.on('offer:withdrawn', (info) => withdrawn.push(info));
  let seq = 0;
  // Device times 5 s apart, like a phone's heartbeat, so short hops pass the speed filter.
  const clockStart = Date.now() - 60_000;
  const ping = async (where: { lat: number; lng: number }) => {
    seq++;
    const answer = await socket.emitWithAck('location:batch', {
      sessionId: sessionId!,
      pings: [{ seq, at: clockStart + seq * 5_000, ...where, accuracyM: 5 }],
    });
    expect(answer).toMatchObject({ ok: true, accepted: 1 });
    const sent = seq;
    await vi.waitFor(
      async () =>
        ready('the position in the live index', (await h.liveIndex.ingestView(d.id))?.last?.seq === sent),
      { timeout: 15_000 },
    );
  };
  await ping(at);
  /** Waits until the offer of `bookingId` rings on this phone. */
  const offerFor = (bookingId: string, what = 'the offer') =>
    vi.waitFor(
      () =>
        ready(
          what,
          offers.find((o) => o.bookingId === bookingId),
        ),
      { timeout: 15_000 },
    );
  return { ...d, sessionId: sessionId!, socket, offers, withdrawn, ping, offerFor };
}

/** Waits until the booking's offer has expired, and returns the reason recorded for it. */
function offerExpiry(what: string, bookingId: string, timeout: number) {
  return vi.waitFor(
    async () => {
      const { rows } = await h.postgres.pool.query<{ reason: string }>(
        `select reason from booking_events where booking_id = $1 and event = 'offer_expired'`,
        [bookingId],
      );
      return ready(what, rows[0]);
    },
    { timeout },
  );
}

async function riderWatching() {
  const r = await rider(h);
  const socket = await socketFor({ id: r.id, role: 'rider' });
  const updates: BookingUpdate[] = [];
  const positions: DriverOnTrip[] = [];
  socket.on('booking:updated', (u) => updates.push(u));
  socket.on('booking:driver-location', (p) => positions.push(p));
  return { ...r, socket, updates, positions };
}

/** Long enough for a position to have been fanned out if it were going to be. */
const settle = () => new Promise((r) => setTimeout(r, fanoutMs * 8));

describe('booking notifications over Socket.IO', () => {
  it('tells rider, driver and dispatchers every step; the rider sees the driver only during the trip', async () => {
    const d = await driverOnPhone();
    const r = await riderWatching();
    const dispatcher = await socketFor(await createUser(h.postgres.db, 'dispatcher'));
    const board: string[] = [];
    dispatcher.on('booking:board', (c) => board.push(`${c.bookingId}:${c.status}`));
    // Opening the operations view joins the dispatchers' room, as the dispatcher page does.
    expect(await dispatcher.emitWithAck('ops:watch', { cells: [] })).toMatchObject({ ok: true });

    const { booking } = await book(h.booking, r.id);
    expect(await r.socket.emitWithAck('booking:watch', { bookingId: booking.id })).toEqual({
      ok: true,
      room: `booking:${booking.id}`,
    });
    const offer = await d.offerFor(booking.id, 'the offer on the driver’s phone');
    expect(offer.fareTotal).toBe(booking.fareTotal);
    expect(offer.expiresAt).toBeGreaterThan(Date.now());
    expect(offer.pickupDistanceM).toBeGreaterThan(250);
    expect(offer.pickupDistanceM).toBeLessThan(350);

    // Offered, not yet accepted: the driver's movements stay private.
    await d.ping(away(250));
    await settle();
    expect(r.positions).toEqual([]);

    await respondToOffer(h.booking, { driverId: d.id, bookingId: booking.id, accept: true });
    await vi.waitFor(
      () =>
        ready(
          'acceptance on the rider’s screen',
          r.updates.find((u) => u.status === 'accepted' && u.driverId === d.id),
        ),
      { timeout: 15_000 },
    );
    await d.ping(away(200));
    const seen = await vi.waitFor(
      () =>
        ready(
          'the driver moving on the rider’s map',
          r.positions.find((p) => Math.abs(p.lat - away(200).lat) < 1e-9),
        ),
      { timeout: 15_000 },
    );
    expect(seen.bookingId).toBe(booking.id);

    for (const action of ['arrived', 'start', 'complete'] as const) {
      await driverTripAction(h.booking, { driverId: d.id, bookingId: booking.id, action });
    }
    await waitForStatus(h, booking.id, 'completed');
    await vi.waitFor(
      () =>
        ready(
          'completion on the rider’s screen',
          r.updates.find((u) => u.status === 'completed'),
        ),
      { timeout: 15_000 },
    );
    // Versions arrive in order, each once, with no gap after the watch began.
    const versions = r.updates.map((u) => u.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.at(-1)! - versions[0]!).toBe(versions.length - 1);
    expect(r.updates.map((u) => u.status)).toEqual(
      expect.arrayContaining(['accepted', 'arrived', 'in_progress', 'completed']),
    );

    // The trip is over: the driver's position is theirs again.
    const before = r.positions.length;
    await d.ping(away(100));
    await settle();
    expect(r.positions).toHaveLength(before);
    await vi.waitFor(
      () => ready('the board nudged for dispatchers', board.includes(`${booking.id}:completed`)),
      { timeout: 15_000 },
    );
  });

  it('takes a ringing offer off the driver’s screen when the rider cancels', async () => {
    const d = await driverOnPhone(away(-6_000));
    const r = await rider(h);
    const { booking } = await book(h.booking, r.id, { pickup: away(-5_950) });
    await d.offerFor(booking.id);
    await cancelBookingByRider(h.booking, { bookingId: booking.id, riderId: r.id });
    const gone = await vi.waitFor(
      () =>
        ready(
          'the offer withdrawn',
          d.withdrawn.find((w) => w.bookingId === booking.id),
        ),
      { timeout: 15_000 },
    );
    expect(gone.reason).toMatch(/rider cancelled/i);
  });

  it('moves on at once when the driver’s app does not take the offer, or the driver disconnects', async () => {
    const silent = await driverOnPhone(away(0, 5_000), { ackOffers: false });
    const r1 = await rider(h);
    const first = await book(h.booking, r1.id, { pickup: away(0, 4_900) });
    const expired = await offerExpiry('the unacknowledged offer ended early', first.booking.id, 20_000);
    expect(expired.reason).toBe('driver app did not take the offer');
    expect(silent.offers.map((o) => o.bookingId)).toContain(first.booking.id);

    const leaving = await driverOnPhone(away(0, -5_000));
    const r2 = await rider(h);
    const second = await book(h.booking, r2.id, { pickup: away(0, -4_900) });
    await leaving.offerFor(second.booking.id);
    leaving.socket.close();
    const gone = await offerExpiry('the offer ended by the disconnect', second.booking.id, 15_000);
    expect(gone.reason).toBe('driver disconnected');
  });

  it('lets people follow only the bookings that are theirs', async () => {
    const r = await rider(h);
    const { booking } = await book(h.booking, r.id, { pickup: away(9_000) });
    const watch = async (
      user: { id: string; role: 'rider' | 'driver' | 'dispatcher' },
      bookingId = booking.id,
    ) => (await socketFor(user)).emitWithAck('booking:watch', { bookingId });

    expect(await watch({ id: r.id, role: 'rider' })).toMatchObject({ ok: true });
    expect(await watch({ ...(await rider(h)), role: 'rider' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await watch({ ...(await createDriver(h.postgres.db)), role: 'driver' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await watch({ ...(await createUser(h.postgres.db, 'dispatcher')), role: 'dispatcher' }),
    ).toMatchObject({
      ok: true,
    });
    expect(await watch({ id: r.id, role: 'rider' }, 'not-a-uuid')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
