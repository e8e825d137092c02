import { describe, expect, it } from 'vitest';
import { rateLimits } from '@/domain/rate-limits';
import type { SessionUser } from '@/server/auth/session-user';
import { handleRestRequest, type RestError } from '@/server/openapi/rest-handler';
import { handleTrpcRequest } from '@/server/trpc/http';
import { maxRequestBodyBytes } from '@/server/web/body-limit';
import { away, centre, driverAt, rider } from './support/booking-helpers';
import { createDriver, createUser } from './support/fixtures';
import { httpCall, sessionOf } from './support/trpc';
import { webWorld } from './support/web-world';

/**
 * The REST surface (/api/v1) over real PostgreSQL and Redis, through the same handler the Next
 * route uses. Each answer is compared with the same call over tRPC: same status, same field.
 */
const web = webWorld('restv1');
const site = () => new URL(web.deps.env.NEXTAUTH_URL).origin;

interface Answer<T> {
  status: number;
  headers: Headers;
  data?: T;
  error?: RestError;
}

async function rest<T = unknown>(
  method: 'GET' | 'POST',
  path: string,
  user: SessionUser | null,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new Request(`http://it.test/api/v1/${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...options.headers },
    body,
  });
  const res = await handleRestRequest(request, web.deps, async () => user);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const json = (await res.json()) as { data?: T; error?: RestError };
  if (res.status === 200) expect(Object.keys(json)).toEqual(['data']);
  else expect(Object.keys(json)).toEqual(['error']);
  return { status: res.status, headers: res.headers, ...json };
}

const quoteInput = { pickup: centre, dropoff: away(2_000), vehicleTypeId: 'economy' };

describe('queries over GET', () => {
  it('answers { data } from query parameters, as tRPC does', async () => {
    await driverAt(web.h, away(300));
    const r = await sessionOf(web.h, await rider(web.h));
    const viaRest = await rest<{ vehicleTypeId: string; available: number }[]>(
      'GET',
      `rider/nearbyCars?lat=${centre.lat}&lng=${centre.lng}`,
      r,
    );
    const viaTrpc = await httpCall(web.deps, r, 'rider.nearbyCars', centre, 'query');
    expect(viaRest.status).toBe(200);
    expect(viaRest.data).toEqual(viaTrpc.data);
    expect(viaRest.data!.find((t) => t.vehicleTypeId === 'economy')!.available).toBeGreaterThanOrEqual(1);
    expect(viaRest.headers.get('cache-control')).toBe('no-store');
  });

  it('reads repeated parameters as lists and nested input from one JSON parameter', async () => {
    const near = await driverAt(web.h, away(200, 100));
    const dispatcher = await sessionOf(web.h, await createUser(web.h.postgres.db, 'dispatcher'));
    const flat = await rest<{ driverId: string }[]>(
      'GET',
      `operations/nearestDrivers?lat=${centre.lat}&lng=${centre.lng}&vehicleTypeIds=economy&vehicleTypeIds=comfort&k=50`,
      dispatcher,
    );
    expect(flat.status).toBe(200);
    expect(flat.data!.map((d) => d.driverId)).toContain(near.id);
    const input = encodeURIComponent(JSON.stringify({ ...centre, vehicleTypeIds: ['economy'], k: 50 }));
    const json = await rest<{ driverId: string }[]>(
      'GET',
      `operations/nearestDrivers?input=${input}`,
      dispatcher,
    );
    expect(json.status).toBe(200);
    expect(json.data!.map((d) => d.driverId)).toContain(near.id);
  });

  it('answers a signed-out caller of a public query, and refuses one of a private query with 401', async () => {
    expect(await rest('GET', 'me', null)).toMatchObject({ status: 200, data: null });
    const mine = await rest('GET', 'booking/mine', null);
    expect(mine).toMatchObject({ status: 401, error: { code: 'UNAUTHORIZED', field: null } });
    expect((await httpCall(web.deps, null, 'booking.mine', undefined, 'query')).status).toBe(401);
  });

  it('refuses a role that may not call it with 403, as tRPC does', async () => {
    const d = await sessionOf(web.h, await createDriver(web.h.postgres.db));
    const viaRest = await rest('GET', `rider/nearbyCars?lat=1&lng=2`, d);
    expect(viaRest).toMatchObject({ status: 403, error: { code: 'FORBIDDEN' } });
    expect((await httpCall(web.deps, d, 'rider.nearbyCars', { lat: 1, lng: 2 }, 'query')).status).toBe(403);
  });

  it('names the bad field in a 400: invalid values, unknown parameters, broken JSON', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const tooFar = await rest('GET', 'rider/nearbyCars?lat=200&lng=77', r);
    const viaTrpc = await httpCall(web.deps, r, 'rider.nearbyCars', { lat: 200, lng: 77 }, 'query');
    expect(tooFar).toMatchObject({ status: 400, error: { code: 'BAD_REQUEST', field: 'lat' } });
    expect(tooFar.error!.message).toMatch(/^lat: /);
    expect([viaTrpc.status, viaTrpc.error?.data.field]).toEqual([400, 'lat']);
    expect(await rest('GET', 'rider/nearbyCars?lat=north&lng=77', r)).toMatchObject({
      status: 400,
      error: { field: 'lat' },
    });
    expect(await rest('GET', 'rider/nearbyCars?lat=1&lng=2&radius=5', r)).toMatchObject({
      status: 400,
      error: { code: 'BAD_REQUEST', field: 'radius' },
    });
    expect(await rest('GET', 'rider/nearbyCars?input=%7Blat', r)).toMatchObject({
      status: 400,
      error: { field: 'input' },
    });
  });

  it('answers 404 for a missing record as tRPC does, and for a path that is no procedure', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const id = crypto.randomUUID();
    expect(await rest('GET', `booking/get?bookingId=${id}`, r)).toMatchObject({
      status: 404,
      error: { code: 'NOT_FOUND' },
    });
    expect((await httpCall(web.deps, r, 'booking.get', { bookingId: id }, 'query')).status).toBe(404);
    expect(await rest('GET', 'booking/nothing', r)).toMatchObject({
      status: 404,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('mutations over POST', () => {
  it('takes a JSON body and answers { data }, with 409 and 422 as tRPC answers them', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const quote = await rest<{ token: string; fare: { total: number } }>('POST', 'pricing/quote', r, {
      body: quoteInput,
    });
    expect(quote.status).toBe(200);
    expect(quote.data!.fare.total).toBeGreaterThan(0);
    const key = crypto.randomUUID();
    const create = (idempotencyKey: string, pickupLabel: string | null = null) =>
      rest<{ booking: { id: string; status: string }; replayed: boolean }>('POST', 'booking/create', r, {
        body: { quoteToken: quote.data!.token, idempotencyKey, pickupLabel },
      });
    const booked = await create(key);
    expect(booked).toMatchObject({
      status: 200,
      data: { replayed: false, booking: { status: 'requested' } },
    });
    expect(await create(key)).toMatchObject({ status: 200, data: { replayed: true } });
    // The same key with another body: 422; the spent quote with a new key: 409. tRPC agrees.
    const reused = await create(key, 'Somewhere else');
    expect(reused).toMatchObject({
      status: 422,
      error: { code: 'UNPROCESSABLE_CONTENT', field: 'idempotencyKey' },
    });
    const spent = await create(crypto.randomUUID());
    expect(spent).toMatchObject({ status: 409, error: { code: 'CONFLICT', field: 'quoteToken' } });
    const viaTrpc = await httpCall(web.deps, r, 'booking.create', {
      quoteToken: quote.data!.token,
      idempotencyKey: crypto.randomUUID(),
    });
    expect([viaTrpc.status, viaTrpc.error?.data.field]).toEqual([409, 'quoteToken']);
  });

  it('names the field a use case refuses, and refuses a body that is not JSON', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const outside = { ...quoteInput, pickup: { lat: 60, lng: 10 } };
    expect(await rest('POST', 'pricing/quote', r, { body: outside })).toMatchObject({
      status: 400,
      error: { code: 'BAD_REQUEST', field: 'pickup', message: 'pickup: outside the service area' },
    });
    expect((await httpCall(web.deps, r, 'pricing.quote', outside)).status).toBe(400);
    const nested = await rest('POST', 'pricing/quote', r, {
      body: { ...quoteInput, dropoff: { lat: 'x', lng: 1 } },
    });
    expect(nested).toMatchObject({ status: 400, error: { field: 'dropoff.lat' } });
    expect(nested.error!.issues).toEqual([{ field: 'dropoff.lat', message: expect.any(String) }]);
    const broken = await rest('POST', 'pricing/quote', r, { rawBody: '{"pickup":' });
    expect(broken.status).toBe(400);
    // A cross-site form may send text/plain without a preflight: not taken, whatever it holds.
    const plain = await rest('POST', 'pricing/quote', r, {
      body: quoteInput,
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain).toMatchObject({ status: 415, error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('refuses a body over the limit with 413 on both doors, declared or streamed', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const big = JSON.stringify({ ...quoteInput, pad: 'x'.repeat(maxRequestBodyBytes) });
    expect(await rest('POST', 'pricing/quote', r, { rawBody: big })).toMatchObject({
      status: 413,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    const bytes = new TextEncoder().encode(big);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65_536) controller.enqueue(bytes.slice(at, at + 65_536));
        controller.close();
      },
    });
    const trpc = await handleTrpcRequest(
      new Request('http://it.test/api/trpc/pricing.quote', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: streamed,
        duplex: 'half',
      } as RequestInit),
      web.deps,
      async () => r,
    );
    expect(trpc.status).toBe(413);
    expect(await trpc.json()).toMatchObject({ error: { data: { code: 'PAYLOAD_TOO_LARGE' } } });
    // An ordinary body is read and answered as usual.
    expect((await rest('POST', 'pricing/quote', r, { body: quoteInput })).status).toBe(200);
  });

  it('answers 405 with Allow when the method does not fit the procedure', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const get = await rest('GET', 'pricing/quote', r);
    expect(get).toMatchObject({ status: 405, error: { code: 'METHOD_NOT_SUPPORTED' } });
    expect(get.headers.get('allow')).toBe('POST');
    expect((await rest('POST', 'booking/mine', r)).headers.get('allow')).toBe('GET');
  });

  it('counts against the same rate limit as tRPC and answers 429 with Retry-After', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const viaTrpc = await Promise.all(
      Array.from({ length: 20 }, () => httpCall(web.deps, r, 'pricing.quote', quoteInput)),
    );
    const viaRest = await Promise.all(
      Array.from({ length: 60 }, () => rest('POST', 'pricing/quote', r, { body: quoteInput })),
    );
    expect(viaTrpc.filter((a) => a.status === 200)).toHaveLength(20);
    expect(viaRest.filter((a) => a.status === 200)).toHaveLength(rateLimits.quote.limit - 20);
    const limited = viaRest.filter((a) => a.status === 429);
    expect(limited).toHaveLength(80 - rateLimits.quote.limit);
    expect(limited[0]!.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', field: null });
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it("refuses a browser's cross-site POST before the procedure runs; this site's own page may", async () => {
    const driver = await createDriver(web.h.postgres.db);
    const d = await sessionOf(web.h, driver);
    const goOnline = { body: { event: 'go_online' } };
    const attacks: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of attacks) {
      const refused = await rest('POST', 'driver/setAvailability', d, { ...goOnline, headers });
      expect(refused, JSON.stringify(headers)).toMatchObject({
        status: 403,
        error: { code: 'FORBIDDEN', field: null },
      });
      expect(refused.error!.message).toMatch(/^Cross-site request refused/);
    }
    const console_ = await rest<{ state: string }>('GET', 'driver/console', d);
    expect(console_.data!.state).toBe('offline');
    const own = await rest<{ state: string }>('POST', 'driver/setAvailability', d, {
      ...goOnline,
      headers: { origin: site(), 'sec-fetch-site': 'same-origin' },
    });
    expect(own).toMatchObject({ status: 200, data: { state: 'available' } });
  });
});
