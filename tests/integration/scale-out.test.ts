import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';
import { webBuildSnapshot } from '@/scripts/lib/build';
import { ensureNginx, type RunningNginx, startNginx } from '@/scripts/lib/nginx';
import { freePort } from '@/scripts/lib/wait';
import { topicSpecs } from '@/server/infra/kafka';
import { packLocationFrames } from '@/server/infra/location-frames';
import { nearestToken } from '@/server/infra/nearest-token';
import { setAvailability } from '@/server/services/driver/set-availability';
import { type AppProcess, harnessAppEnv, startApp } from './support/app-process';
import { away, centre } from './support/booking-helpers';
import {
  createDriver,
  createRiders,
  createUser,
  ensureVehicleTypes,
  fixturePassword,
} from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { type OpsWatcher, openOpsWatcher } from './support/ops-watcher';
import { cookieAttributes, WebClient } from './support/web-client';

/**
 * Scale-out on one machine: nginx (Debian's, with the repository's site config and a self-signed
 * certificate) in front of two web, two realtime and two workers processes started from their
 * real entry points. The app is served over HTTPS only; dispatchers on either realtime instance
 * get every booking and driver event; when one realtime instance is SIGKILLed its clients
 * reconnect through nginx to the other and, with the snapshot they reload, miss nothing.
 */
let h: Harness;
let nginx: RunningNginx;
let origin: string;
const apps: AppProcess[] = [];
const watchers: OpsWatcher[] = [];
/** The watchers the second test found on realtime A. */
const watchersOnA = new Set<OpsWatcher>();
let dispatcherBrowser: WebClient;
let realtimeA: AppProcess;
let realtimeB: AppProcess;
/** The two workers processes' ports: each holds the whole nearest-driver index (ADR 0018). */
let workersPorts: number[] = [];

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

beforeAll(async () => {
  ensureNginx();
  // Any complete production build (a private copy): this file tests what is around the app.
  const webDir = webBuildSnapshot();
  h = await createHarness('scaleout');
  await ensureVehicleTypes(h.postgres.db);
  const [httpsPort, httpPort, webA, webB, rtA, rtB, wkA, wkB] = await distinctFreePorts(8);
  origin = `https://localhost:${httpsPort}`;
  const env = harnessAppEnv(h, origin);
  // No driver is near the test bookings: each goes requested → searching → no driver found,
  // three events a few seconds apart.
  const workersEnv = {
    ...env,
    DISPATCH_MAX_SEARCH_MS: '2500',
    DISPATCH_RETRY_MS: '300',
    DISPATCH_RECONCILE_MS: '1000',
  };
  const logDir = `it-${h.id}`;
  // Each app is tracked as soon as it is up, so a sibling failing to start cannot leak it.
  const tracked = (app: Promise<AppProcess>) =>
    app.then((a) => {
      apps.push(a);
      return a;
    });
  const started = await Promise.all(
    [
      startApp('workers', { label: 'workers-a', port: wkA!, env: workersEnv, logDir }),
      startApp('workers', { label: 'workers-b', port: wkB!, env: workersEnv, logDir }),
      startApp('realtime', { label: 'realtime-a', port: rtA!, env: { ...env, INSTANCE_ID: 'rt-a' }, logDir }),
      startApp('realtime', { label: 'realtime-b', port: rtB!, env: { ...env, INSTANCE_ID: 'rt-b' }, logDir }),
      // Each web instance asks "its" workers instance for nearest drivers.
      startApp('web', {
        label: 'web-a',
        port: webA!,
        env: { ...env, NEAREST_URL: `http://127.0.0.1:${wkA}` },
        logDir,
        webDir,
      }),
      startApp('web', {
        label: 'web-b',
        port: webB!,
        env: { ...env, NEAREST_URL: `http://127.0.0.1:${wkB}` },
        logDir,
        webDir,
      }),
    ].map(tracked),
  );
  realtimeA = started[2]!;
  realtimeB = started[3]!;
  workersPorts = [wkA!, wkB!];
  nginx = await startNginx({
    name: logDir,
    httpsPort,
    httpPort,
    web: [`127.0.0.1:${webA}`, `127.0.0.1:${webB}`],
    realtime: [`127.0.0.1:${rtA}`, `127.0.0.1:${rtB}`],
  });
}, 600_000);

afterAll(async () => {
  for (const w of watchers) w.close();
  await nginx?.stop();
  await Promise.all(apps.map((a) => a.stop()));
  await h?.cleanup();
}, 120_000);

const socketTarget = () => ({ url: `https://127.0.0.1:${nginx.httpsPort}`, ca: nginx.ca });

/** Open dispatcher sockets on a realtime instance, from its own (private) metrics endpoint. */
async function dispatcherSocketsOn(app: AppProcess): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${app.port}/metrics`);
  const match = /^od_socket_connections\{[^}]*role="dispatcher"[^}]*\} (\d+)/m.exec(await res.text());
  return Number(match?.[1] ?? 0);
}

/** Riders signed in over HTTPS, a few at a time (each sign-in is an argon2 verification). */
async function signedInRiders(count: number): Promise<WebClient[]> {
  const riders = await createRiders(h.postgres.db, count);
  const clients: WebClient[] = [];
  for (let i = 0; i < riders.length; i += 4) {
    const batch = riders.slice(i, i + 4).map(async (r) => {
      const client = new WebClient(origin, {
        ca: nginx.ca,
        connectTo: { host: '127.0.0.1', port: nginx.httpsPort },
      });
      const answer = await client.signIn(r.email, fixturePassword);
      expect(answer.status, answer.body).toBe(200);
      return client;
    });
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** A rider books a trip the way the rider page does: a quote, then the booking, over HTTPS. */
async function bookOverHttps(rider: WebClient): Promise<string> {
  const quote = await rider.trpc<{ token: string }>('pricing.quote', {
    pickup: centre,
    dropoff: away(3_000, 2_000),
    vehicleTypeId: 'economy',
  });
  expect(quote.status, JSON.stringify(quote.error)).toBe(200);
  const created = await rider.trpc<{ booking: { id: string } }>('booking.create', {
    quoteToken: quote.data!.token,
    idempotencyKey: randomUUID(),
  });
  expect(created.status, JSON.stringify(created.error)).toBe(200);
  return created.data!.booking.id;
}

/** Every (booking, version) PostgreSQL recorded for these bookings, and whether all have ended. */
async function versionsInPostgres(ids: string[]) {
  // Statuses first: once every booking has ended, the events read after it are complete (read the
  // other way round, a transition committing in between would end a booking without its event).
  const { rows: open } = await h.postgres.pool.query(
    `select id from bookings where id = any($1::uuid[]) and status not in ('completed', 'cancelled', 'no_driver_found')`,
    [ids],
  );
  const { rows } = await h.postgres.pool.query<{ booking_id: string; version: number }>(
    'select booking_id, version from booking_events where booking_id = any($1::uuid[])',
    [ids],
  );
  const byBooking = new Map<string, number[]>();
  for (const r of rows) byBooking.set(r.booking_id, [...(byBooking.get(r.booking_id) ?? []), r.version]);
  return { byBooking, allEnded: open.length === 0 };
}

/** Versions a watcher should have received as events but did not (after its latest snapshot). */
function missed(w: OpsWatcher, byBooking: Map<string, number[]>): string[] {
  const gaps: string[] = [];
  for (const [id, versions] of byBooking) {
    const fromSnapshot = w.snapshot.get(id) ?? 0;
    for (const v of versions) if (v > fromSnapshot && !w.seen.get(id)?.has(v)) gaps.push(`${id}@${v}`);
    if (w.known(id) !== Math.max(...versions)) gaps.push(`${id}: knows ${w.known(id)}`);
  }
  return gaps;
}

describe('scale-out behind nginx', () => {
  it('serves the app over HTTPS only, with HSTS, secure cookies and the client address from nginx', async () => {
    const plain = await new WebClient(`http://localhost:${nginx.httpPort}`).get('/dispatch?x=1');
    expect(plain.status).toBe(308);
    expect(plain.headers.location).toBe(`${origin}/dispatch?x=1`);

    dispatcherBrowser = new WebClient(origin, { ca: nginx.ca });
    const health = await dispatcherBrowser.get('/api/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true, service: 'web' });
    // Exactly one HSTS header (Node would join duplicates with a comma).
    expect(health.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(health.headers['x-content-type-options']).toBe('nosniff');

    const page = await dispatcherBrowser.get('/signin');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    // Sockets go to the same origin: the page's CSP allows exactly that.
    expect(page.headers['content-security-policy']).toContain(
      `connect-src 'self' ${origin} wss://localhost:${nginx.httpsPort}`,
    );

    // A real sign-in; the client tries to pass itself off as another address.
    const dispatcher = await createUser(h.postgres.db, 'dispatcher');
    const signIn = await dispatcherBrowser.signIn(dispatcher.email, fixturePassword, {
      'x-real-ip': '203.0.113.7',
      'x-forwarded-for': '203.0.113.7',
    });
    expect(signIn.status, signIn.body).toBe(200);
    const cookies = dispatcherBrowser.setCookieLog.map(cookieAttributes);
    expect(cookies.map((c) => c.name)).toEqual(
      expect.arrayContaining(['__Host-next-auth.csrf-token', '__Secure-next-auth.session-token']),
    );
    for (const cookie of cookies) {
      expect(cookie.attributes, cookie.name).toEqual(
        expect.arrayContaining(['secure', 'httponly', 'samesite=lax']),
      );
    }
    const { rows } = await h.postgres.pool.query<{ ip: string }>(
      `select ip from audit_log where action = 'auth.sign_in' and actor_id = $1`,
      [dispatcher.id],
    );
    expect(rows).toEqual([{ ip: '127.0.0.1' }]);

    // The session works through nginx, and the socket URL handed to browsers is this origin.
    const token = await dispatcherBrowser.trpc<{ url: string }>('realtime.token', null);
    expect(token.status).toBe(200);
    expect(token.data?.url).toBe(origin);
    // A cross-site POST is refused even though the cookie rides along.
    const crossSite = await dispatcherBrowser.request('POST', '/api/trpc/realtime.token', {
      body: 'null',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);

    // Both web instances answer.
    for (let i = 0; i < 6; i++) expect((await dispatcherBrowser.get('/api/health')).status).toBe(200);
    const upstreams = new Set(
      [
        ...readFileSync(nginx.accessLog, 'utf8').matchAll(/"GET \/api\/health[^"]*" 200 \d+ upstream=(\S+)/g),
      ].map((m) => m[1]),
    );
    expect([...upstreams].sort()).toEqual(
      apps
        .filter((a) => a.name === 'web')
        .map((a) => `127.0.0.1:${a.port}`)
        .sort(),
    );
  });

  it('gives every dispatcher every booking and driver event, whichever realtime instance holds the socket', async () => {
    expect(dispatcherBrowser, 'the HTTPS test signs the dispatcher in').toBeDefined();
    const placed = { a: 0, b: 0 };
    const transports = [
      ...Array<'websocket'>(6).fill('websocket'),
      ...Array<'polling'>(2).fill('polling'),
    ] as const;
    for (const transport of transports) {
      const before = [await dispatcherSocketsOn(realtimeA), await dispatcherSocketsOn(realtimeB)];
      const w = await openOpsWatcher(dispatcherBrowser, socketTarget(), transport);
      watchers.push(w);
      await vi.waitFor(() => ready(`${transport} watcher synced`, w.syncs === 1 || w.errors.length > 0), {
        timeout: 15_000,
      });
      expect(w.errors).toEqual([]);
      const after = [await dispatcherSocketsOn(realtimeA), await dispatcherSocketsOn(realtimeB)];
      if (after[0]! > before[0]!) {
        placed.a++;
        watchersOnA.add(w);
      }
      if (after[1]! > before[1]!) placed.b++;
    }
    // WebSockets go to the least busy instance, so both hold some.
    expect(placed.a + placed.b).toBe(transports.length);
    expect(placed.a).toBeGreaterThanOrEqual(3);
    expect(placed.b).toBeGreaterThanOrEqual(3);

    const driver = await createDriver(h.postgres.db);
    await setAvailability(h.core, { driverId: driver.id, event: 'go_online', actor: 'driver' });
    const riders = await signedInRiders(6);
    const ids = await Promise.all(riders.map(bookOverHttps));
    await setAvailability(h.core, { driverId: driver.id, event: 'go_offline', actor: 'driver' });

    const { byBooking } = await vi.waitFor(
      async () => {
        const state = await versionsInPostgres(ids);
        return ready('every booking to end (no driver near)', state.allEnded ? state : null);
      },
      { timeout: 30_000 },
    );
    expect(byBooking.size).toBe(ids.length);
    // Requested, the search, and its end at least.
    for (const versions of byBooking.values()) expect(versions.length).toBeGreaterThanOrEqual(3);
    await vi.waitFor(
      () =>
        ready(
          'every dispatcher to have every booking version and both driver states',
          watchers.every(
            (w) =>
              [...byBooking].every(([id, versions]) => versions.every((v) => w.seen.get(id)?.has(v))) &&
              (w.driverStates.get(driver.id) ?? []).join() === 'available,offline',
          ),
        ),
      { timeout: 20_000 },
    );
    for (const w of watchers) {
      expect(w.disconnects).toEqual([]);
      expect(missed(w, byBooking)).toEqual([]);
    }
  });

  it('moves the clients of a killed realtime instance to the other, which miss no booking event', async () => {
    expect(watchers).toHaveLength(8);
    const onA = await dispatcherSocketsOn(realtimeA);
    expect(onA, 'dispatchers on the instance about to be killed').toBeGreaterThanOrEqual(3);
    expect(watchersOnA.size).toBe(onA);
    const others = watchers.filter((w) => !watchersOnA.has(w));
    const riders = await signedInRiders(8);
    // The killed instance's clients stay away until the test lets them back (a phone on a bad
    // network), so events are certainly published while they are gone.
    let letBack!: () => void;
    const back = new Promise<void>((resolve) => {
      letBack = resolve;
    });
    for (const w of watchersOnA) w.holdReconnects(back);

    // A crash, not a shutdown: no goodbye to its clients.
    const killedAt = Date.now();
    await realtimeA.kill();
    await vi.waitFor(
      () =>
        ready(
          'the killed instance’s clients to notice',
          [...watchersOnA].every((w) => w.disconnects.length === 1),
        ),
      { timeout: 15_000 },
    );
    const during = await Promise.all(riders.slice(0, 4).map(bookOverHttps));
    await vi.waitFor(
      () =>
        ready(
          'the other clients to see the bookings made meanwhile',
          others.every((w) => during.every((id) => w.seen.get(id)?.has(2))),
        ),
      { timeout: 15_000 },
    );
    const releasedAt = Date.now();
    letBack();
    const recovered = () => [...watchersOnA].every((w) => w.connects === 2 && w.syncs === 2);
    await vi.waitFor(() => ready('every client of the killed instance back and synced', recovered()), {
      timeout: 20_000,
    });
    const recoveryMs = Math.max(...[...watchersOnA].map((w) => w.syncedAt)) - releasedAt;
    // Every dispatcher is now on the surviving instance.
    expect(await dispatcherSocketsOn(realtimeB)).toBe(watchers.length);
    const after: string[] = [];
    for (const rider of riders.slice(4)) after.push(await bookOverHttps(rider));
    const ids = [...during, ...after];

    const { byBooking } = await vi.waitFor(
      async () => {
        const state = await versionsInPostgres(ids);
        return ready('every booking to end', state.allEnded ? state : null);
      },
      { timeout: 30_000 },
    );
    let lastCheck: string[] = [];
    await vi
      .waitFor(
        async () => {
          lastCheck = watchers.flatMap((w, i) => missed(w, byBooking).map((gap) => `watcher ${i}: ${gap}`));
          return ready(
            'every dispatcher to know every booking at its latest version',
            lastCheck.length === 0,
          );
        },
        { timeout: 20_000 },
      )
      .catch(() => undefined);
    expect(lastCheck).toEqual([]);
    // The returning clients really missed the first events of the bookings made while they were
    // away: what they know of those came from the snapshot they reloaded.
    for (const w of watchersOnA) {
      for (const id of during) expect(w.seen.get(id)?.has(1) ?? false).toBe(false);
    }
    // Clients of the surviving instance never noticed, and saw every version of every booking.
    const byNumber = (a: number, b: number) => a - b;
    for (const w of others) {
      expect(w.connects).toBe(1);
      for (const [id, versions] of byBooking) {
        expect([...(w.seen.get(id) ?? [])].sort(byNumber)).toEqual([...versions].sort(byNumber));
      }
    }
    console.log(
      `scale-out: ${watchers.length} dispatchers, ${onA} on the killed instance (SIGKILL at +0 ms), ` +
        `let back at +${releasedAt - killedAt} ms, all reconnected through nginx and synced ${recoveryMs} ms later; ` +
        `${during.length} bookings made while they were away, ${after.length} after`,
    );
  });

  it('gives the same nearest drivers from either workers instance, and web answers with them', async () => {
    // Far from the other tests' bookings (centre), so no booking here ever finds these drivers.
    const spot = away(60_000, 0);
    const random = seededRandom(18);
    const at = Date.now();
    const drivers = Array.from({ length: 400 }, (_, i) => ({
      id: randomUUID(),
      sessionId: randomUUID(),
      vt: i % 3 === 0 ? 'comfort' : 'economy',
      state: (i % 5 === 0 ? 'paused' : 'available') as 'available' | 'paused',
      ...offsetMeters(spot, (random() - 0.5) * 6_000, (random() - 0.5) * 6_000),
    }));
    // Written the way production writes them: state changes on driver.events, positions as frames.
    const producer = h.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: h.topics.driverEvents,
      acks: -1,
      messages: drivers.map((d) => ({
        key: d.id,
        value: JSON.stringify({
          type: 'driver.state',
          driverId: d.id,
          state: d.state,
          previous: 'offline',
          event: 'go_online',
          actor: 'driver',
          vehicleTypeId: d.vt,
          vehicleId: null,
          sessionId: d.sessionId,
          version: 1,
          at,
        }),
      })),
    });
    const records = drivers.map((d) => ({
      key: d.id,
      value: JSON.stringify({
        driverId: d.id,
        sessionId: d.sessionId,
        seq: 1,
        at,
        lat: d.lat,
        lng: d.lng,
        receivedAt: at,
        state: d.state,
        vehicleTypeId: d.vt,
      }),
    }));
    const pack = packLocationFrames(topicSpecs.driverLocation.partitions);
    await producer.send({
      topic: h.topics.driverLocation,
      acks: -1,
      messages: pack(h.topics.driverLocation, records),
    });
    await producer.disconnect();

    const ask = async (port: number, q: Record<string, string | number>) => {
      const params = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
      const res = await fetch(`http://127.0.0.1:${port}/nearest?${params}`, {
        headers: { 'x-nearest-token': nearestToken(h.socketSecret) },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { drivers: { driverId: string }[] }).drivers.map((d) => d.driverId);
    };
    const everyone = { ...spot, vehicleTypeId: 'economy', k: 50, maxRadiusM: 10_000, nowMs: at };
    const economyAvailable = drivers.filter((d) => d.vt === 'economy' && d.state === 'available').length;
    await vi.waitFor(
      async () => {
        for (const port of workersPorts)
          ready(
            'both workers to hold the drivers',
            (await ask(port, everyone)).length === Math.min(50, economyAvailable),
          );
      },
      { timeout: 30_000, interval: 250 },
    );
    const nowMs = Date.now();
    for (let i = 0; i < 40; i++) {
      const q = {
        ...offsetMeters(spot, (random() - 0.5) * 6_000, (random() - 0.5) * 6_000),
        vehicleTypeId: i % 2 ? 'comfort' : 'economy',
        k: 1 + (i % 12),
        maxRadiusM: 500 + random() * 3_000,
        nowMs,
      };
      const expected = drivers
        .filter((d) => d.state === 'available' && d.vt === q.vehicleTypeId)
        .map((d) => ({ id: d.id, m: haversineMeters(q, d) }))
        .filter((d) => d.m <= q.maxRadiusM)
        .sort((a, b) => a.m - b.m || a.id.localeCompare(b.id))
        .slice(0, q.k)
        .map((d) => d.id);
      expect(await ask(workersPorts[0]!, q)).toEqual(expected);
      expect(await ask(workersPorts[1]!, q)).toEqual(expected);
    }
    // A dispatcher's "nearest" through nginx and either web instance: web asks its workers.
    for (let i = 0; i < 4; i++) {
      const viaWeb = await dispatcherBrowser.trpc<{ driverId: string }[]>(
        'operations.nearestDrivers',
        {
          ...spot,
          vehicleTypeIds: ['economy'],
          k: 5,
          maxRadiusM: 3_000,
        },
        'query',
      );
      expect(viaWeb.status, JSON.stringify(viaWeb.error)).toBe(200);
      expect(viaWeb.data!.map((d) => d.driverId)).toEqual(
        await ask(workersPorts[i % 2]!, {
          ...spot,
          vehicleTypeId: 'economy',
          k: 5,
          maxRadiusM: 3_000,
          nowMs: Date.now(),
        }),
      );
    }
    // Without the token the workers' port gives nothing away.
    expect((await fetch(`http://127.0.0.1:${workersPorts[0]}/nearest?lat=1&lng=2`)).status).toBe(401);
  });
});
