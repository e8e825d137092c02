import { and, eq } from 'drizzle-orm';
import { gridDisk, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog } from '@/db/schema';
import { offsetMeters } from '@/domain/geo';
import { signServiceToken, verifySocketToken } from '@/server/auth/socket-token';
import type { RealtimeProcess } from '@/server/realtime/start';
import { appRouter } from '@/server/trpc/routers/app';
import type { WebDeps } from '@/server/web/deps';
import {
  type Actor,
  type Cell,
  type DeliveredEvent,
  principalKinds,
  procedureMatrix,
  restMatrix,
  type SignedInKind,
  type SocketPrincipal,
  socketConnectMatrix,
  socketDeliveryMatrix,
  socketEventMatrix,
  socketPrincipals,
} from '@/tests/security/authorization-matrix';
import { findLeaks, markersFor } from '@/tests/security/leaks';
import { createHarness, type Harness, ready } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import {
  callableRoutes,
  callProcedure,
  callProcedureOverRest,
  callRoute,
  installWebDeps,
  routePatterns,
} from './support/rest-routes';
import { createSecurityWorld, type SecurityWorld } from './support/security-world';
import { connect, openSocket, type TestSocket } from './support/sockets';
import { httpCall, quoteThenBook, webDepsFor } from './support/trpc';

/**
 * T11: the authorisation matrix (tests/security/authorization-matrix.ts) cell by cell, through the
 * real tRPC HTTP handler, the REST route modules and real sockets on a real realtime process.
 * Every refused cell must be refused with its code and carry no data; every answer (allowed or not)
 * is searched for other people's ids, e-mails, names, phone and licence numbers, session ids and
 * positions that its principal must not see.
 */
let h: Harness;
let deps: WebDeps;
let world: SecurityWorld;
let realtime: RealtimeProcess;
let restoreDeps: () => void;
const tally = { cells: 0, allowed: 0, refused: 0, leakChecks: 0, socketCells: 0, deliveries: 0 };

beforeAll(async () => {
  h = await createHarness('authzmatrix');
  deps = webDepsFor(h);
  [realtime] = await Promise.all([
    startRealtimeFor(h, { FANOUT_INTERVAL_MS: '50' }),
    startWorkersFor(h, { DISPATCH_OFFER_TTL_MS: '300000' }),
  ]);
  world = await createSecurityWorld(h);
  // The REST routes see this file's services, with a scrape token configured.
  restoreDeps = installWebDeps({ ...deps, env: { ...deps.env, METRICS_TOKEN: world.metricsToken } });
}, 120_000);

afterAll(async () => {
  console.log(`[T11] ${JSON.stringify(tally)}`);
  restoreDeps?.();
  await h?.cleanup();
});

const userOf = (actor: Actor | null) => actor?.session ?? null;
let addresses = 0;
/** Each cell from its own client address: per-address limits (sign-up) are not what is tested here. */
const nextAddress = () => `198.18.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;
const describeCell = (cell: Cell) => ('allow' in cell ? `allow ${cell.status}` : `deny ${cell.deny}`);

/** Extra promises some allowed cells make, beyond their status. */
const allowedChecks: Record<string, (data: unknown, actor: Actor | null) => Promise<void> | void> = {
  me: (data, actor) =>
    actor ? expect(data).toMatchObject({ id: actor.id, role: actor.role }) : expect(data).toBeNull(),
  'realtime.token': async (data, actor) => {
    const claims = await verifySocketToken(
      (data as { token: string }).token,
      deps.env.SOCKET_TOKEN_SECRET,
      Date.now(),
    );
    expect(claims).toMatchObject({
      userId: actor!.id,
      role: actor!.role,
      sessionId: actor!.session.sessionId,
    });
  },
  'operations.driverTrack': async (_data, actor) => {
    const rows = await h.postgres.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'driver_history.viewed'), eq(auditLog.actorId, actor!.id)));
    expect(rows.length, 'every look at a driver’s history is audited').toBeGreaterThan(0);
  },
  'booking.mine': (data, actor) => {
    const ids = (data as { id: string }[]).map((b) => b.id);
    if (actor!.id === world.actors.riderOwner.id) expect(ids).toContain(world.booking.id);
    else expect(ids).not.toContain(world.booking.id);
  },
};

describe('T11: every tRPC procedure has a row', () => {
  it('lists every procedure of appRouter, with its kind, and nothing else', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const missing = Object.keys(procedures).filter((p) => !procedureMatrix[p]);
    expect(missing, `procedures without an authorisation matrix row: ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(procedureMatrix).filter((p) => !procedures[p]);
    expect(stale, `matrix rows for procedures that no longer exist: ${stale.join(', ')}`).toEqual([]);
    for (const [path, row] of Object.entries(procedureMatrix)) {
      expect(row.kind, `${path} is a ${procedures[path]!._def.type}`).toBe(procedures[path]!._def.type);
    }
  });
});

/**
 * Two doors reach every procedure: tRPC (the browser's) and REST /api/v1 (integrators'). Both are
 * driven cell by cell, so a door that skipped a check would show up as an allowed deny cell.
 */
const doors = { tRPC: callProcedure, 'REST /api/v1': callProcedureOverRest } as const;

describe.each(Object.keys(doors) as (keyof typeof doors)[])(
  'T11: procedures × principals over %s',
  (door) => {
    const call = doors[door];
    const paths = Object.keys(appRouter._def.procedures).sort();
    it.each(paths)('%s', async (path) => {
      const row = procedureMatrix[path];
      if (!row)
        throw new Error(
          `no authorisation matrix row for ${path}: add one to tests/security/authorization-matrix.ts`,
        );
      for (const kind of principalKinds) {
        const cell = row.cells[kind];
        const setup = (await row.setup?.(world, kind)) ?? {};
        const actor = kind === 'anonymous' ? null : (setup.actor ?? world.actors[kind as SignedInKind]);
        const answer = await call(deps, userOf(actor), path, setup.input, row.kind, nextAddress());
        const where = `${door} ${path} as ${kind}: expected ${describeCell(cell)}, got ${answer.status} ${answer.error?.message ?? ''}`;
        tally.cells++;
        if ('deny' in cell) {
          tally.refused++;
          expect(answer.status, where).toBe(cell.deny);
          expect(answer.data, where).toBeUndefined();
        } else {
          tally.allowed++;
          expect(answer.status, where).toBe(cell.status);
          await allowedChecks[path]?.(answer.data, actor);
        }
        const leaks = findLeaks(
          { data: answer.data, error: answer.error },
          markersFor(world, kind, { reveals: row.reveals }),
        );
        tally.leakChecks++;
        expect(leaks, `${door} ${path} as ${kind} carried other people’s data`).toEqual([]);
      }
    });
  },
);

describe('T11: REST routes × principals through the route modules', () => {
  it('has rows for every route file under app/api', () => {
    const files = routePatterns(process.cwd());
    const covered = new Set(restMatrix.map((r) => r.route));
    expect(
      files.filter((f) => !covered.has(f)),
      'route files without a matrix row',
    ).toEqual([]);
    expect(
      files.filter((f) => !callableRoutes.includes(f)),
      'route files the test cannot call',
    ).toEqual([]);
  });

  it.each(restMatrix.map((r, i) => [`${r.request(placeholder).method} ${r.route} #${i}`, r] as const))(
    '%s',
    async (_name, row) => {
      const request = row.request(world);
      for (const kind of principalKinds) {
        const cell = row.cells[kind];
        const actor = kind === 'anonymous' ? null : world.actors[kind as SignedInKind];
        const answer = await callRoute(deps, request, userOf(actor));
        const where = `${request.method} ${request.path} as ${kind}: expected ${describeCell(cell)}, got ${answer.status} ${answer.text.slice(0, 200)}`;
        tally.cells++;
        if ('deny' in cell) {
          tally.refused++;
          expect(answer.status, where).toBe(cell.deny);
          // Neither tRPC's `result` nor REST's `data`: a refusal carries nothing.
          const body = answer.json as { result?: unknown; data?: unknown } | null;
          expect(body?.result, where).toBeUndefined();
          expect(body?.data, where).toBeUndefined();
        } else {
          tally.allowed++;
          expect(answer.status, where).toBe(cell.status);
        }
        if (request.path === '/api/auth/session' && actor) {
          expect(answer.json).toMatchObject({ user: { id: actor.id, role: actor.role } });
        }
        if (request.path === '/api/trpc/me') {
          const me = (answer.json as { result?: { data: { id: string } | null } }).result?.data ?? null;
          expect(me?.id ?? null, where).toBe(actor?.id ?? null);
        }
        tally.leakChecks++;
        expect(findLeaks(answer.text, markersFor(world, kind)), where).toEqual([]);
      }
    },
  );
});

/** Stand-in fixtures for naming REST tests before the world exists. */
const placeholder = {
  booking: { id: 'booking' },
  window: { from: 0, to: 0 },
} as unknown as SecurityWorld;

// ── Sockets ─────────────────────────────────────────────────────────────────────────────────

interface Watched {
  kind: SocketPrincipal;
  socket: TestSocket;
  received: Record<DeliveredEvent, unknown[]>;
}

function record(kind: SocketPrincipal, socket: TestSocket, ackOffers = true): Watched {
  const received = Object.fromEntries(
    Object.keys(socketDeliveryMatrix).map((e) => [e, [] as unknown[]]),
  ) as Record<DeliveredEvent, unknown[]>;
  for (const event of Object.keys(socketDeliveryMatrix) as DeliveredEvent[]) {
    if (event === 'offer:new') continue;
    socket.on(event, ((payload: unknown) => received[event].push(payload)) as never);
  }
  socket.on('offer:new', (offer, ack) => {
    received['offer:new'].push(offer);
    if (ackOffers) ack({ received: true });
  });
  return { kind, socket, received };
}

async function socketOf(kind: SocketPrincipal, actor?: Actor): Promise<TestSocket> {
  if (kind === 'gateway') {
    const { token } = await signServiceToken(world.gatewayName, h.socketSecret, Date.now());
    const socket = await connect(realtime.port, token);
    h.beforeCleanup(() => socket.close());
    return socket;
  }
  const who = actor ?? world.actors[kind];
  return (await openSocket(h, realtime.port, who, { sessionId: who.session.sessionId })).socket;
}

/** Socket.IO's own events, not messages a client sends. */
const lifecycle = new Set(['disconnect', 'disconnecting', 'error']);

describe('T11: socket events × principals on a real realtime process', () => {
  it('refuses a connection without a token, accepts every signed-in principal and the gateway, and has a row for every event they can send', async () => {
    for (const [kind, expected] of Object.entries(socketConnectMatrix)) {
      tally.socketCells++;
      if (expected === 'UNAUTHENTICATED') {
        await expect(connect(realtime.port, undefined), kind).rejects.toThrow('A socket token is required');
      } else {
        const socket = await socketOf(kind as SocketPrincipal);
        expect(socket.connected, kind).toBe(true);
        // What the server listens for on this very socket: every event needs a matrix row.
        const served = realtime.io.of('/').sockets.get(socket.id!)!;
        const events = served.eventNames().filter((e) => typeof e === 'string' && !lifecycle.has(e));
        expect(events.sort(), `${kind}: socket events without a matrix row`).toEqual(
          Object.keys(socketEventMatrix).sort(),
        );
      }
    }
  });

  it.each(Object.keys(socketEventMatrix) as (keyof typeof socketEventMatrix)[])('%s', async (event) => {
    const row = socketEventMatrix[event];
    const seqs = new Map<SocketPrincipal, number>();
    const ctx = {
      fx: world,
      watchedCells: [
        ...gridDisk(
          latLngToCell(world.positions.assignedDriver!.lat, world.positions.assignedDriver!.lng, 6),
          1,
        ),
      ],
      dutySessionOf: (kind: SocketPrincipal) => world.dutySessions[kind as SignedInKind] ?? null,
      pingFor: (kind: SocketPrincipal) => {
        const seq = (seqs.get(kind) ?? 100) + 1;
        seqs.set(kind, seq);
        const at =
          kind === 'gateway' || kind === 'otherDriver'
            ? world.positions.otherDriver!
            : world.positions.assignedDriver!;
        return { seq, at: Date.now(), lat: at.lat, lng: at.lng, accuracyM: 5 };
      },
    };
    for (const kind of socketPrincipals) {
      const socket = await socketOf(kind);
      const emit = socket.emitWithAck.bind(socket) as unknown as (e: string, p: unknown) => Promise<unknown>;
      const answer = (await emit(event, row.payload(ctx, kind))) as { ok: boolean; error?: { code: string } };
      const expected = row.cells[kind];
      const where = `${event} as ${kind}: expected ${expected}, got ${JSON.stringify(answer).slice(0, 200)}`;
      tally.socketCells++;
      if (expected === 'ok') expect(answer.ok, where).toBe(true);
      else expect(answer, where).toMatchObject({ ok: false, error: { code: expected } });
      if (kind !== 'gateway') {
        tally.leakChecks++;
        expect(findLeaks(answer, markersFor(world, kind)), where).toEqual([]);
      }
      socket.close();
    }
  });

  it('delivers each server event only to its receivers over a scripted trip', async () => {
    // A fresh trip: its rider plays riderOwner, its driver assignedDriver; B, E, dispatch as before.
    const at = offsetMeters(world.place, 1_234.5, -2_345.6);
    const driver = await world.fresh.driver();
    const rider = await world.fresh.rider();
    const cast: Record<SocketPrincipal, Actor | undefined> = {
      riderOwner: rider,
      otherRider: world.actors.otherRider,
      assignedDriver: driver,
      otherDriver: world.actors.otherDriver,
      dispatcher: world.actors.dispatcher,
      admin: world.actors.admin,
      gateway: undefined,
    };
    const watched = new Map<SocketPrincipal, Watched>();
    for (const kind of socketPrincipals) watched.set(kind, record(kind, await socketOf(kind, cast[kind])));
    const got = (kind: SocketPrincipal, event: DeliveredEvent) => watched.get(kind)!.received[event];
    const delivered = (what: string, check: () => boolean) =>
      vi.waitFor(() => ready(what, check()), { timeout: 15_000 });
    const cells = gridDisk(latLngToCell(at.lat, at.lng, 6), 1);
    for (const w of watched.values()) await w.socket.emitWithAck('ops:watch', { cells });

    // The driver goes on duty with their phone, as the app does, and is offered the trip.
    const online = await httpCall<{ sessionId: string }>(deps, driver.session, 'driver.setAvailability', {
      event: 'go_online',
    });
    expect(online.status).toBe(200);
    const sessionId = online.data!.sessionId;
    let seq = 0;
    const t0 = Date.now() - 60_000;
    const ping = async (north: number) => {
      seq++;
      const where = offsetMeters(at, north, 0);
      const answer = await watched.get('assignedDriver')!.socket.emitWithAck('location:batch', {
        sessionId,
        pings: [{ seq, at: t0 + seq * 5_000, ...where, accuracyM: 5 }],
      });
      expect(answer).toMatchObject({ ok: true, accepted: 1 });
      return where;
    };
    await ping(0);
    await vi.waitFor(
      async () =>
        ready('the driver in the live index', (await h.liveIndex.ingestView(driver.id))?.last?.seq === 1),
      { timeout: 15_000 },
    );
    const { created, bookingId } = await quoteThenBook(deps, rider.session, {
      pickup: offsetMeters(at, 30, 0),
      dropoff: offsetMeters(at, 2_000, 1_000),
      vehicleTypeId: 'economy',
    });
    expect(created.status).toBe(200);
    await delivered('the offer on the driver’s phone', () =>
      got('assignedDriver', 'offer:new').some((o) => (o as { bookingId: string }).bookingId === bookingId),
    );

    const watchAnswers = new Map<SocketPrincipal, unknown>();
    for (const [kind, w] of watched)
      watchAnswers.set(kind, await w.socket.emitWithAck('booking:watch', { bookingId }));
    expect(watchAnswers.get('otherRider')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(watchAnswers.get('otherDriver')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    expect(
      (await httpCall(deps, driver.session, 'driver.respondToOffer', { bookingId, accept: true })).status,
    ).toBe(200);
    await delivered('acceptance in the booking room', () => got('riderOwner', 'booking:updated').length > 0);
    for (const north of [40, 80, 120]) await ping(north);
    await delivered(
      'the driver on the rider’s map',
      () => got('riderOwner', 'booking:driver-location').length > 0,
    );
    for (const action of ['arrived', 'start', 'complete'] as const) {
      expect((await httpCall(deps, driver.session, 'driver.tripAction', { bookingId, action })).status).toBe(
        200,
      );
    }
    await delivered('completion in the booking room', () =>
      got('riderOwner', 'booking:updated').some((u) => (u as { status: string }).status === 'completed'),
    );
    await delivered(
      'the density heatmap and the board for dispatch',
      () =>
        got('dispatcher', 'ops:density').length > 0 &&
        got('admin', 'booking:board').length > 0 &&
        got('admin', 'drivers:moved').length > 0,
    );
    await new Promise((r) => setTimeout(r, 500));

    const counts: Record<string, Record<string, number>> = {};
    for (const [event, rule] of Object.entries(socketDeliveryMatrix) as [
      DeliveredEvent,
      { receivers: SocketPrincipal[] },
    ][]) {
      counts[event] = {};
      for (const [kind, w] of watched) {
        const n = w.received[event].length;
        counts[event]![kind] = n;
        tally.deliveries++;
        if (rule.receivers.includes(kind)) expect(n, `${event} should reach ${kind}`).toBeGreaterThan(0);
        else expect(n, `${event} reached ${kind}`).toBe(0);
      }
    }
    console.log(`[T11] deliveries in the scripted trip: ${JSON.stringify(counts)}`);
    // Outsiders got nothing at all about this trip, so nothing to leak; and B, E never saw A/D.
    for (const kind of ['otherRider', 'otherDriver'] as const) {
      const all = Object.values(watched.get(kind)!.received).flat();
      expect(findLeaks(all, markersFor(world, kind))).toEqual([]);
      expect(JSON.stringify(all)).not.toContain(bookingId);
      expect(JSON.stringify(all)).not.toContain(driver.id);
    }
  });
});
