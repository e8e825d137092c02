import { eq } from 'drizzle-orm';
import { gridDisk, latLngToCell } from 'h3-js';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authSessions, users } from '@/db/schema';
import { demoCity } from '@/domain/city';
import { type LatLng, offsetMeters } from '@/domain/geo';
import type { DriverOnTrip, LiveDriver } from '@/domain/realtime-contract';
import type { Role } from '@/domain/roles';
import { signServiceToken, signSocketToken } from '@/server/auth/socket-token';
import type { RealtimeProcess } from '@/server/realtime/start';
import { openAuthSession, revokeAuthSession } from '@/server/services/account/auth-sessions';
import { driverTripAction } from '@/server/services/booking/driver-trip-action';
import { respondToOffer } from '@/server/services/booking/respond-to-offer';
import { book, onDutyDriver, waitForStatus } from './support/booking-helpers';
import { createUser } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import { connect, openSocket, type TestSocket, tokenFor } from './support/sockets';

/**
 * T12: socket authorisation and location privacy, on a real realtime process fed by a real workers
 * process (dispatch, outbox → Kafka → realtime). Every bad token is refused at connect; a token
 * that expires or a session that is revoked ends the socket; nobody joins another rider's booking;
 * and over scripted trips every socket that may not see a driver's position gets 0 packets of it,
 * while the sockets that may are shown to get them (so "0" is not a broken pipe).
 */
let h: Harness;
let realtime: RealtimeProcess;
const fanoutMs = 50;
const sweepMs = 500;
const tally = { refusedConnects: 0, attemptedConnects: 0, unauthorisedPackets: 0, authorisedPackets: 0 };

beforeAll(async () => {
  h = await createHarness('sockprivacy');
  [realtime] = await Promise.all([
    startRealtimeFor(h, { FANOUT_INTERVAL_MS: String(fanoutMs), SESSION_CHECK_MS: String(sweepMs) }),
    startWorkersFor(h, { DISPATCH_OFFER_TTL_MS: '30000' }),
  ]);
}, 120_000);

afterAll(async () => {
  console.log(`[T12] ${JSON.stringify(tally)}`);
  await h?.cleanup();
});

type Person = { id: string; role: Role };

async function socketOf(user: Person, options: { ttlS?: number; sessionId?: string } = {}) {
  return openSocket(h, realtime.port, user, options);
}

/** A hand-made JWT (for forgeries the signing library would refuse to make). */
function rawJwt(header: object, payload: object, signature = '') {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}

describe('T12: connections', () => {
  it('refuses every missing, malformed, forged, expired or orphaned token at connect', async () => {
    const rider = await createUser(h.postgres.db, 'rider');
    const other = await createUser(h.postgres.db, 'rider');
    const now = Math.floor(Date.now() / 1000);
    const valid = await tokenFor(h.postgres.db, h.socketSecret, { id: rider.id, role: 'rider' });
    const claims = {
      sub: rider.id,
      role: 'rider',
      sid: valid.sessionId,
      aud: 'opendispatch-realtime',
      iss: 'opendispatch-web',
      iat: now,
      exp: now + 600,
    };
    const [header, , signature] = valid.token.split('.');
    const key = new TextEncoder().encode(h.socketSecret);
    const signed = (payload: Record<string, unknown>, ttlS = 600) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(now)
        .setExpirationTime(now + ttlS)
        .sign(key);

    const revoked = await tokenFor(h.postgres.db, h.socketSecret, { id: rider.id, role: 'rider' });
    await revokeAuthSession(h.postgres.db, revoked.sessionId, Date.now());
    const lapsed = await tokenFor(h.postgres.db, h.socketSecret, { id: rider.id, role: 'rider' });
    await h.postgres.db
      .update(authSessions)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(authSessions.id, lapsed.sessionId));
    const suspendedUser = await createUser(h.postgres.db, 'rider');
    const suspended = await tokenFor(h.postgres.db, h.socketSecret, { id: suspendedUser.id, role: 'rider' });
    await h.postgres.db.update(users).set({ status: 'suspended' }).where(eq(users.id, suspendedUser.id));
    const othersSession = await openAuthSession(h.postgres.db, other.id, Date.now());

    const cases: [string, unknown][] = [
      ['no token', undefined],
      ['an empty token', ''],
      ['a number', 12345],
      ['an object', { token: 'x' }],
      ['garbage', 'not a token'],
      ['a JWT-shaped nothing', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
      ['alg none', rawJwt({ alg: 'none', typ: 'JWT' }, claims)],
      ['alg none with the real signature', rawJwt({ alg: 'none' }, claims, signature)],
      [
        'a tampered payload (role admin)',
        `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`,
      ],
      [
        'the wrong secret',
        (await tokenFor(h.postgres.db, 'y'.repeat(64), { id: rider.id, role: 'rider' })).token,
      ],
      [
        'an expired token',
        (
          await tokenFor(
            h.postgres.db,
            h.socketSecret,
            { id: rider.id, role: 'rider' },
            { nowMs: Date.now() - 3_600_000 },
          )
        ).token,
      ],
      ['another audience', await signed({ ...claims, aud: 'someone-else', exp: undefined, iat: undefined })],
      ['no audience or issuer', await signed({ sub: rider.id, role: 'rider', sid: valid.sessionId })],
      [
        'a role that does not exist',
        await signed({ ...claims, role: 'superuser', exp: undefined, iat: undefined }),
      ],
      ['a revoked session', revoked.token],
      ['an expired auth session', lapsed.token],
      ['a suspended user', suspended.token],
      [
        'a role the user does not have',
        (await tokenFor(h.postgres.db, h.socketSecret, { id: rider.id, role: 'dispatcher' })).token,
      ],
      [
        'someone else’s session',
        (
          await signSocketToken(
            { id: rider.id, role: 'rider', sessionId: othersSession },
            h.socketSecret,
            Date.now(),
          )
        ).token,
      ],
      [
        'a service token that claims a user role',
        await signed({
          kind: 'service',
          role: 'admin',
          sub: 'gw',
          aud: 'opendispatch-realtime',
          iss: 'opendispatch-web',
        }),
      ],
      [
        'a service token living more than a day',
        await signed(
          {
            kind: 'service',
            role: 'gateway',
            sub: 'gw',
            aud: 'opendispatch-realtime',
            iss: 'opendispatch-web',
          },
          2 * 86_400,
        ),
      ],
      ['a 5 KiB token', `${valid.token}${'x'.repeat(5_000)}`],
    ];
    const accepted: string[] = [];
    for (const [what, token] of cases) {
      tally.attemptedConnects++;
      try {
        const socket = await connect(realtime.port, token as string);
        h.beforeCleanup(() => socket.close());
        accepted.push(what);
      } catch {
        tally.refusedConnects++;
      }
    }
    expect(accepted, 'tokens that should have been refused').toEqual([]);
    // The same person with a good token gets in: the refusals were about the tokens.
    const ok = await connect(realtime.port, valid.token);
    h.beforeCleanup(() => ok.close());
    expect(ok.connected).toBe(true);
    const gateway = await connect(
      realtime.port,
      (await signServiceToken('fleet-t12', h.socketSecret, Date.now())).token,
    );
    h.beforeCleanup(() => gateway.close());
    expect(gateway.connected).toBe(true);
  });

  it('ends a socket when its token expires while connected, and a reconnect with it is refused', async () => {
    const rider = await createUser(h.postgres.db, 'rider');
    const { socket, token } = await socketOf({ id: rider.id, role: 'rider' }, { ttlS: 2 });
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('session:ended', resolve));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(await ended).toEqual({ reason: 'token_expired' });
    expect(await closed).toBe('io server disconnect');
    await expect(connect(realtime.port, token)).rejects.toThrow('invalid or expired');
  });

  it('ends a socket within the check period when its session is revoked, and refuses it after', async () => {
    const dispatcher = await createUser(h.postgres.db, 'dispatcher');
    const { socket, token, sessionId } = await socketOf({ id: dispatcher.id, role: 'dispatcher' });
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('session:ended', resolve));
    const revokedAt = Date.now();
    await revokeAuthSession(h.postgres.db, sessionId, revokedAt);
    expect(await ended).toEqual({ reason: 'session_revoked' });
    const tookMs = Date.now() - revokedAt;
    console.log(`[T12] revoked session's socket ended after ${tookMs} ms (check period ${sweepMs} ms)`);
    expect(tookMs).toBeLessThan(sweepMs * 3 + 1_000);
    await expect(connect(realtime.port, token)).rejects.toThrow('session has ended');
  });
});

// ── Location privacy over scripted trips ─────────────────────────────────────────────────────

const centre = demoCity.center;
let places = 0;
/** Each scenario far from the others (4 km apart), so dispatch only sees its own drivers. */
const nextPlace = () =>
  offsetMeters(centre, -6_000 + (places % 4) * 4_000, -6_000 + Math.floor(places++ / 4) * 4_000);

interface Listener {
  name: string;
  socket: TestSocket;
  /** booking:driver-location packets, with the phase they arrived in. */
  tripPositions: (DriverOnTrip & { phase: string })[];
  /** drivers:moved entries. */
  moved: (LiveDriver & { phase: string })[];
  offers: string[];
}

let phase = 'setup';

async function listener(name: string, user: Person, ackOffers = true): Promise<Listener> {
  const { socket } = await socketOf(user);
  const l: Listener = { name, socket, tripPositions: [], moved: [], offers: [] };
  socket.on('booking:driver-location', (p) => l.tripPositions.push({ ...p, phase }));
  socket.on('drivers:moved', (f) => l.moved.push(...f.drivers.map((d) => ({ ...d, phase }))));
  socket.on('offer:new', (offer, ack) => {
    l.offers.push(offer.bookingId);
    if (ackOffers) ack({ received: true });
  });
  return l;
}

/** A driver on duty whose phone (socket) sends positions, device times 5 s apart. */
async function phoneDriver(name: string, at: LatLng) {
  const { sessionId, ...d } = await onDutyDriver(h);
  const l = await listener(name, { id: d.id, role: 'driver' });
  let seq = 0;
  const t0 = Date.now() - 120_000;
  let last = at;
  const ping = async (where: LatLng = last) => {
    seq++;
    last = where;
    const answer = await l.socket.emitWithAck('location:batch', {
      sessionId: sessionId!,
      pings: [{ seq, at: t0 + seq * 5_000, ...where, accuracyM: 5 }],
    });
    expect(answer, `${name}'s ping`).toMatchObject({ ok: true, accepted: 1 });
    const sent = seq;
    await vi.waitFor(
      async () =>
        ready(
          `${name}'s ping ${sent} in the live index`,
          (await h.liveIndex.ingestView(d.id))?.last?.seq === sent,
        ),
      { timeout: 15_000 },
    );
    return where;
  };
  await ping(at);
  return { ...d, sessionId: sessionId!, listener: l, ping, at: () => last };
}

/** Trip positions `l` received in the current phase. */
const tripPositionsOf = (l: Listener) => l.tripPositions.filter((p) => p.phase === phase).length;

/**
 * A ping, awaited on `watcher`'s map before the caller sends the next: positions are state, and
 * pings that reach realtime in one Kafka batch or one fan-out tick are coalesced to the newest
 * (ADR 0019), so a burst of pings may show as one.
 */
async function pingSeen(
  driver: { ping(to: LatLng): Promise<unknown> },
  to: LatLng,
  watcher: Listener,
  what: string,
) {
  const before = tripPositionsOf(watcher);
  await driver.ping(to);
  await vi.waitFor(() => ready(what, tripPositionsOf(watcher) > before), { timeout: 45_000 });
}

/** Waits until `proof` has seen the position, then a little longer for anything else in flight. */
async function delivered(what: string, proof: () => boolean) {
  // Generous: on a loaded CI machine (two heavy files at once) realtime's Kafka reader can lag.
  await vi.waitFor(() => ready(what, proof()), { timeout: 45_000 });
  await new Promise((r) => setTimeout(r, fanoutMs * 6));
}

function packetsAbout(l: Listener, driverIds: string[], bookingIds: string[]) {
  return [
    ...l.tripPositions.filter((p) => bookingIds.includes(p.bookingId)),
    ...l.moved.filter((m) => driverIds.includes(m.driverId)),
  ];
}

describe('T12: location packets reach only those who may see them', () => {
  it('a declined offer, another rider’s trip, bystanders and far dispatchers: 0 packets; the rider only during the trip', async () => {
    const here = nextPlace();
    const there = nextPlace();
    const hereCells = gridDisk(latLngToCell(here.lat, here.lng, 6), 1);
    // Another city: a res-6 ring is ~10 km across, so a "far" viewport must really be far.
    const elsewhereCells = gridDisk(latLngToCell(28.61, 77.2, 6), 1);

    // Drivers: X nearest (will decline), D next (will take the trip), E elsewhere; F serves rider B.
    const x = await phoneDriver('declining driver X', offsetMeters(here, 20, 0));
    const d = await phoneDriver('assigned driver D', offsetMeters(here, 400, 0));
    const e = await phoneDriver('other driver E', offsetMeters(there, 0, 300));
    const f = await phoneDriver('driver F of rider B', offsetMeters(there, 10, 0));

    const riderA = await createUser(h.postgres.db, 'rider');
    const riderB = await createUser(h.postgres.db, 'rider');
    const riderC = await createUser(h.postgres.db, 'rider');
    const a = await listener('rider A (owner)', { id: riderA.id, role: 'rider' });
    const b = await listener('rider B (on another trip)', { id: riderB.id, role: 'rider' });
    const c = await listener('rider C (no booking)', { id: riderC.id, role: 'rider' });
    const near = await listener('dispatcher watching the trip', {
      id: (await createUser(h.postgres.db, 'dispatcher')).id,
      role: 'dispatcher',
    });
    const far = await listener('dispatcher watching elsewhere', {
      id: (await createUser(h.postgres.db, 'dispatcher')).id,
      role: 'dispatcher',
    });
    const idle = await listener('admin watching nothing', {
      id: (await createUser(h.postgres.db, 'admin')).id,
      role: 'admin',
    });
    const { token: gatewayToken } = await signServiceToken('fleet-t12b', h.socketSecret, Date.now());
    const gatewaySocket = await connect(realtime.port, gatewayToken);
    h.beforeCleanup(() => gatewaySocket.close());
    const gateway: Listener = {
      name: 'gateway',
      socket: gatewaySocket,
      tripPositions: [],
      moved: [],
      offers: [],
    };
    gatewaySocket.on('booking:driver-location', (p) => gateway.tripPositions.push({ ...p, phase }));
    gatewaySocket.on('drivers:moved', (m) => gateway.moved.push(...m.drivers.map((x) => ({ ...x, phase }))));

    expect(await near.socket.emitWithAck('ops:watch', { cells: hereCells })).toMatchObject({ ok: true });
    expect(await far.socket.emitWithAck('ops:watch', { cells: elsewhereCells })).toMatchObject({ ok: true });
    // Everyone else tries to watch the trip's cells too, and is refused.
    for (const l of [a, b, c, x.listener, d.listener, e.listener, gateway]) {
      expect(await l.socket.emitWithAck('ops:watch', { cells: hereCells }), l.name).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }

    // Rider B's own trip with F, elsewhere: B follows F, and only F.
    const tripB = await book(h.booking, riderB.id, {
      pickup: offsetMeters(there, 15, 0),
      dropoff: offsetMeters(there, 3_000, 0),
    });
    await vi.waitFor(() => ready('F offered B’s trip', f.listener.offers.includes(tripB.booking.id)), {
      timeout: 15_000,
    });
    await respondToOffer(h.booking, { driverId: f.id, bookingId: tripB.booking.id, accept: true });
    expect(await b.socket.emitWithAck('booking:watch', { bookingId: tripB.booking.id })).toMatchObject({
      ok: true,
    });

    /** D reported on the near dispatcher's map during the current phase. */
    const dOnNearMap = (what: string) =>
      delivered(what, () => near.moved.some((m) => m.driverId === d.id && m.phase === phase));

    // Phase 1: A books; the offer rings for X, who opens the booking (allowed while it rings).
    phase = 'offered to X';
    const tripA = await book(h.booking, riderA.id, {
      pickup: here,
      dropoff: offsetMeters(here, 3_000, 2_000),
    });
    const bookingId = tripA.booking.id;
    expect(await a.socket.emitWithAck('booking:watch', { bookingId })).toMatchObject({ ok: true });
    await vi.waitFor(() => ready('the offer on X’s phone', x.listener.offers.includes(bookingId)), {
      timeout: 15_000,
    });
    expect(await x.listener.socket.emitWithAck('booking:watch', { bookingId })).toMatchObject({ ok: true });
    expect(await near.socket.emitWithAck('booking:watch', { bookingId })).toMatchObject({ ok: true });
    // Nobody else gets into A's booking room.
    for (const l of [b, c, d.listener, e.listener, f.listener]) {
      expect(await l.socket.emitWithAck('booking:watch', { bookingId }), l.name).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    }
    expect(await gateway.socket.emitWithAck('booking:watch', { bookingId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await x.ping(offsetMeters(here, 30, 0));
    await d.ping(offsetMeters(d.at(), -40, 0));
    await dOnNearMap('X and D on the near dispatcher’s map');
    expect(a.tripPositions, 'the rider sees no driver before one accepts').toEqual([]);

    // Phase 2: X declines; dispatch offers D; D moves while it rings.
    phase = 'offered to D';
    await respondToOffer(h.booking, { driverId: x.id, bookingId, accept: false });
    await vi.waitFor(() => ready('the offer on D’s phone', d.listener.offers.includes(bookingId)), {
      timeout: 15_000,
    });
    expect(await d.listener.socket.emitWithAck('booking:watch', { bookingId })).toMatchObject({ ok: true });
    await d.ping(offsetMeters(d.at(), -40, 0));
    await dOnNearMap('D on the near dispatcher’s map');
    expect(a.tripPositions, 'still nothing before acceptance').toEqual([]);

    // Phase 3: D accepts and drives to the pickup, starts and drives on.
    phase = 'trip';
    await respondToOffer(h.booking, { driverId: d.id, bookingId, accept: true });
    await waitForStatus(h, bookingId, 'accepted');
    for (let i = 0; i < 3; i++)
      await pingSeen(d, offsetMeters(d.at(), -40, 0), a, `D’s ping ${i + 1} on A’s map`);
    await delivered('D on rider A’s map', () => tripPositionsOf(a) >= 3);
    await driverTripAction(h.booking, { driverId: d.id, bookingId, action: 'arrived' });
    await driverTripAction(h.booking, { driverId: d.id, bookingId, action: 'start' });
    for (let i = 0; i < 2; i++)
      await pingSeen(d, offsetMeters(d.at(), 40, 40), a, `D’s ping ${i + 1} of the ride on A’s map`);
    await f.ping(offsetMeters(f.at(), 40, 0));
    await delivered(
      'D and F moving during the trips',
      () => b.tripPositions.some((p) => p.phase === 'trip') && tripPositionsOf(a) >= 5,
    );

    // Phase 4: the trip ends; D keeps driving.
    await driverTripAction(h.booking, { driverId: d.id, bookingId, action: 'complete' });
    await waitForStatus(h, bookingId, 'completed');
    await new Promise((r) => setTimeout(r, 300));
    phase = 'after the trip';
    for (let i = 0; i < 2; i++) await d.ping(offsetMeters(d.at(), 40, 0));
    await dOnNearMap('D on the near dispatcher’s map after the trip');

    // Counts. Packets about D, X or A's booking at sockets that may not see them:
    const subjects = [d.id, x.id];
    const unauthorised = [b, c, far, idle, gateway, e.listener, f.listener, x.listener];
    const counts: Record<string, number> = {};
    for (const l of unauthorised) counts[l.name] = packetsAbout(l, subjects, [bookingId]).length;
    // Rider A outside the trip, and D's own room after it.
    counts['rider A outside the trip'] = a.tripPositions.filter((p) => p.phase !== 'trip').length;
    counts['rider B: positions of anyone but F'] = b.tripPositions.filter(
      (p) => p.bookingId !== tripB.booking.id,
    ).length;
    const authorised = {
      'rider A during the trip': a.tripPositions.filter((p) => p.phase === 'trip').length,
      'near dispatcher (map)': near.moved.filter((m) => m.driverId === d.id).length,
      'near dispatcher (booking room)': near.tripPositions.length,
      'rider B (their own driver F)': b.tripPositions.length,
    };
    tally.unauthorisedPackets += Object.values(counts).reduce((s, n) => s + n, 0);
    tally.authorisedPackets += Object.values(authorised).reduce((s, n) => s + n, 0);
    console.log(`[T12] packets at unauthorised sockets: ${JSON.stringify(counts)}`);
    console.log(`[T12] packets at authorised sockets: ${JSON.stringify(authorised)}`);
    for (const n of Object.values(authorised)) expect(n).toBeGreaterThan(0);
    expect(counts).toEqual(Object.fromEntries(Object.keys(counts).map((k) => [k, 0])));
  }, 180_000);

  it('a driver who cancels loses sight of the trip: the next driver’s positions never reach them', async () => {
    const here = nextPlace();
    const first = await phoneDriver('first driver (cancels)', offsetMeters(here, 20, 0));
    const second = await phoneDriver('second driver', offsetMeters(here, 500, 0));
    const riderA = await createUser(h.postgres.db, 'rider');
    const a = await listener('rider', { id: riderA.id, role: 'rider' });
    const { booking } = await book(h.booking, riderA.id, {
      pickup: here,
      dropoff: offsetMeters(here, 3_000, 0),
    });
    expect(await a.socket.emitWithAck('booking:watch', { bookingId: booking.id })).toMatchObject({
      ok: true,
    });
    await vi.waitFor(
      () => ready('the offer on the first driver’s phone', first.listener.offers.includes(booking.id)),
      { timeout: 15_000 },
    );
    await respondToOffer(h.booking, { driverId: first.id, bookingId: booking.id, accept: true });
    expect(await first.listener.socket.emitWithAck('booking:watch', { bookingId: booking.id })).toMatchObject(
      { ok: true },
    );
    phase = 'first driver’s trip';
    await first.ping(offsetMeters(first.at(), 30, 0));
    await delivered('the first driver on the rider’s map', () =>
      a.tripPositions.some((p) => p.phase === phase),
    );

    phase = 'second driver’s trip';
    await driverTripAction(h.booking, {
      driverId: first.id,
      bookingId: booking.id,
      action: 'cancel',
      reason: 'flat tyre',
    });
    await vi.waitFor(
      () => ready('the offer on the second driver’s phone', second.listener.offers.includes(booking.id)),
      { timeout: 15_000 },
    );
    await respondToOffer(h.booking, { driverId: second.id, bookingId: booking.id, accept: true });
    for (let i = 0; i < 3; i++)
      await pingSeen(second, offsetMeters(second.at(), -40, 0), a, `the second driver’s ping ${i + 1}`);
    await delivered('the second driver on the rider’s map', () => tripPositionsOf(a) >= 3);

    const leaked = first.listener.tripPositions.filter((p) => p.phase === phase).length;
    tally.unauthorisedPackets += leaked;
    tally.authorisedPackets += a.tripPositions.length;
    console.log(`[T12] second driver's positions at the first (cancelled) driver's socket: ${leaked}`);
    expect(leaked).toBe(0);
  });
});
