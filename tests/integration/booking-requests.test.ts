import { describe, expect, it } from 'vitest';
import type { BookingView } from '@/server/services/booking/internal/booking-views';
import type { Quote } from '@/server/services/booking/quote-trip';
import { away, centre, rider } from './support/booking-helpers';
import { type HttpAnswer, httpCall, sessionOf } from './support/trpc';
import { webWorld } from './support/web-world';

const web = webWorld('bookingreq');

const trip = { pickup: centre, dropoff: away(3_000, 1_000), vehicleTypeId: 'economy' };
type Created = { booking: BookingView; replayed: boolean };

async function riderSession() {
  return sessionOf(web.h, await rider(web.h));
}

async function quote(user: Awaited<ReturnType<typeof riderSession>>, input: object = trip) {
  return httpCall<Quote>(web.deps, user, 'pricing.quote', input);
}

/** How many rows the booking tables hold: a refused request must not change them. */
async function written() {
  const { rows } = await web.h.postgres.pool.query<{ b: number; e: number; o: number }>(
    `select (select count(*)::int from bookings) b, (select count(*)::int from booking_events) e,
            (select count(*)::int from outbox where topic = 'bookingEvents') o`,
  );
  return rows[0]!;
}

function expectRefused(answer: HttpAnswer, status: number, field: string | null, message: RegExp) {
  expect(answer.status, JSON.stringify(answer.error)).toBe(status);
  expect(answer.error?.data.field).toBe(field);
  expect(answer.error?.message).toMatch(message);
}

describe('quotes refuse bad trips with a clear error', () => {
  it('names the problem: outside the area, unknown type, too close, bad coordinates, bad times', async () => {
    const r = await riderSession();
    const before = await written();
    expectRefused(
      await quote(r, { ...trip, pickup: { lat: 48.85, lng: 2.35 } }),
      400,
      'pickup',
      /pickup: outside the service area/,
    );
    expectRefused(
      await quote(r, { ...trip, dropoff: away(80_000) }),
      400,
      'dropoff',
      /dropoff: outside the service area/,
    );
    expectRefused(
      await quote(r, { ...trip, vehicleTypeId: 'hovercraft' }),
      400,
      'vehicleTypeId',
      /unknown vehicle type/,
    );
    expectRefused(await quote(r, { ...trip, dropoff: away(40) }), 400, 'dropoff', /less than 100 m/);
    expectRefused(
      await quote(r, { ...trip, pickup: { lat: 91, lng: 0 } }),
      400,
      'pickup.lat',
      /pickup\.lat: .*90/,
    );
    expectRefused(
      await quote(r, { ...trip, scheduledFor: Date.now() - 60_000 }),
      400,
      'scheduledFor',
      /at least 15 minutes from now/,
    );
    expectRefused(
      await quote(r, { ...trip, scheduledFor: Date.now() + 30 * 86_400_000 }),
      400,
      'scheduledFor',
      /at most 7 days ahead/,
    );
    expect(await written()).toEqual(before);
  });

  it('quotes only for riders, and prices with a breakdown and a five-minute lock', async () => {
    const driver = await sessionOf(web.h, { ...(await rider(web.h)), role: 'driver' });
    expect((await quote(driver)).status).toBe(403);
    expect((await httpCall(web.deps, null, 'pricing.quote', trip)).status).toBe(401);

    const answer = await quote(await riderSession());
    expect(answer.status).toBe(200);
    const q = answer.data!;
    expect(q.fare.total).toBeGreaterThan(0);
    const f = q.fare;
    // Parts add up to the total, which is rounded to whole pesos (100 minor units).
    const parts = f.base + f.distance + f.time + f.surge + f.minimumAdjustment + f.bookingFee;
    expect(Math.abs(f.total - parts)).toBeLessThan(100);
    expect(f.total % 100).toBe(0);
    expect(q.expiresAt - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(q.expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });
});

describe('booking refuses bad quotes and writes nothing', () => {
  it('refuses a tampered quote, an expired one and another rider’s', async () => {
    const r = await riderSession();
    const q = (await quote(r)).data!;
    const before = await written();
    const create = (token: string, who = r) =>
      httpCall(web.deps, who, 'booking.create', { quoteToken: token, idempotencyKey: crypto.randomUUID() });

    // A cheaper price written into the token's payload: the signature no longer matches.
    const [head, payload, signature] = q.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.q.total = 1;
    const forged = [head, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expectRefused(await create(forged), 400, 'quoteToken', /not a valid quote/);
    expectRefused(await create('not-a-token'), 400, 'quoteToken', /not a valid quote/);

    const stale = await httpCall<Quote>(
      { ...web.deps, clock: { now: () => Date.now() - 6 * 60_000 } },
      r,
      'pricing.quote',
      trip,
    );
    expectRefused(await create(stale.data!.token), 400, 'quoteToken', /expired; get a new quote/);

    expectRefused(await create(q.token, await riderSession()), 400, 'quoteToken', /another account/);
    expect(await written()).toEqual(before);
  });

  it('uses a quote once, and gives a rider one trip under way at a time', async () => {
    const r = await riderSession();
    const q = (await quote(r)).data!;
    const first = await httpCall<Created>(web.deps, r, 'booking.create', {
      quoteToken: q.token,
      idempotencyKey: crypto.randomUUID(),
    });
    expect(first.status).toBe(200);
    expect(first.data!.booking.status).toBe('requested');
    expect(first.data!.booking.fare.total).toBe(q.fare.total);

    const before = await written();
    expectRefused(
      await httpCall(web.deps, r, 'booking.create', {
        quoteToken: q.token,
        idempotencyKey: crypto.randomUUID(),
      }),
      409,
      'quoteToken',
      /already used/,
    );
    const second = (await quote(r)).data!;
    expectRefused(
      await httpCall(web.deps, r, 'booking.create', {
        quoteToken: second.token,
        idempotencyKey: crypto.randomUUID(),
      }),
      409,
      null,
      /already have a trip under way/,
    );
    expect(await written()).toEqual(before);
  });
});

describe('T5: create is idempotent per rider and key', () => {
  it('turns 50 concurrent identical requests into one booking, one event, one dispatch', async () => {
    const r = await riderSession();
    const q = (await quote(r)).data!;
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        httpCall<Created>(web.deps, r, 'booking.create', { quoteToken: q.token, idempotencyKey: key }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const ids = new Set(answers.map((a) => a.data!.booking.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => !a.data!.replayed)).toHaveLength(1);

    const [id] = ids;
    const { rows } = await web.h.postgres.pool.query<{ b: number; e: number; o: number }>(
      `select (select count(*)::int from bookings where rider_id = $1) b,
              (select count(*)::int from booking_events where booking_id = $2) e,
              (select count(*)::int from outbox where key = $2::text) o`,
      [r.id, id],
    );
    expect(rows[0]).toEqual({ b: 1, e: 1, o: 1 });
    const jobs = await web.h.redis.keys(`${web.h.redisPrefix}:bull:dispatch:assign-${id}-*`);
    expect(jobs).toHaveLength(1);
  });

  it('refuses the same key with a different body (422), and keeps keys apart between riders', async () => {
    const r = await riderSession();
    const key = crypto.randomUUID();
    const first = await httpCall<Created>(web.deps, r, 'booking.create', {
      quoteToken: (await quote(r)).data!.token,
      idempotencyKey: key,
    });
    expect(first.status).toBe(200);

    const before = await written();
    const other = (await quote(r, { ...trip, dropoff: away(-2_000) })).data!;
    expectRefused(
      await httpCall(web.deps, r, 'booking.create', { quoteToken: other.token, idempotencyKey: key }),
      422,
      'idempotencyKey',
      /already used for a different booking request/,
    );
    expect(await written()).toEqual(before);

    // Another rider's request with the same key is theirs alone.
    const someoneElse = await riderSession();
    const theirs = await httpCall<Created>(web.deps, someoneElse, 'booking.create', {
      quoteToken: (await quote(someoneElse)).data!.token,
      idempotencyKey: key,
    });
    expect(theirs.status).toBe(200);
    expect(theirs.data!.replayed).toBe(false);
    expect(theirs.data!.booking.id).not.toBe(first.data!.booking.id);
    const { rows } = await web.h.postgres.pool.query(
      'select count(*)::int as n from bookings where idempotency_key = $1',
      [key],
    );
    expect(rows[0]).toEqual({ n: 2 });
  });

  it('refuses a malformed key before doing anything', async () => {
    const r = await riderSession();
    expectRefused(
      await httpCall(web.deps, r, 'booking.create', { quoteToken: 'x', idempotencyKey: 'abc' }),
      400,
      'idempotencyKey',
      /idempotencyKey: /,
    );
  });
});
