/**
 * The authorisation matrix, written as data (reliability guide T11/T12): for every tRPC procedure,
 * REST route and socket event, which principal may do it and what every other principal gets
 * instead. `tests/integration/authorization-matrix.test.ts` drives every cell through the real
 * HTTP handler and real sockets, and fails when a procedure, route or event has no row here: a new
 * endpoint cannot ship without someone deciding who may call it.
 *
 * Principals are relative to one fixture world: rider A (`riderOwner`) has a booking that driver D
 * (`assignedDriver`) accepted; rider B (`otherRider`) and driver E (`otherDriver`) have nothing to
 * do with it. Cells that change state get a fresh object of their own through `setup`.
 */
import { encodeGatewayFrame } from '@/domain/gateway-frame';
import type { ClientToServerEvents } from '@/domain/realtime-contract';
import type { Role } from '@/domain/roles';
import type { SessionUser } from '@/server/auth/session-user';

export const principalKinds = [
  'anonymous',
  'riderOwner',
  'otherRider',
  'assignedDriver',
  'otherDriver',
  'dispatcher',
  'admin',
] as const;
export type PrincipalKind = (typeof principalKinds)[number];
export type SignedInKind = Exclude<PrincipalKind, 'anonymous'>;

export const roleOf: Record<SignedInKind, Role> = {
  riderOwner: 'rider',
  otherRider: 'rider',
  assignedDriver: 'driver',
  otherDriver: 'driver',
  dispatcher: 'dispatcher',
  admin: 'admin',
};

/**
 * A refusal: 401 not signed in, 403 wrong role, 404 someone else's object (reads exactly like one
 * that does not exist), 409 an offer that is not yours (same answer as an expired one), 400 a quote
 * signed for someone else.
 */
export type DenyStatus = 400 | 401 | 403 | 404 | 409;
export type Cell = { allow: true; status: number } | { deny: DenyStatus };

export const allow: Cell = { allow: true, status: 200 };
export const deny = (status: DenyStatus): Cell => ({ deny: status });

/** A signed-in person of the fixture world (fresh ones too). */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Plaintext of the encrypted phone number (drivers also have a licence number). */
  phone: string;
  licence: string | null;
  session: SessionUser;
}

export interface Trip {
  bookingId: string;
  rider: Actor;
  driver: Actor;
}

/** What the rows' `setup` functions may ask of the world (tests/integration/support/security-world.ts). */
export interface MatrixFixtures {
  actors: Record<SignedInKind, Actor>;
  /** Rider A's booking, accepted by driver D. */
  booking: { id: string };
  /** The web process's METRICS_TOKEN (scrapers send it as a bearer token). */
  metricsToken: string;
  /** The gateway's name (service token) for socket rows. */
  gatewayName: string;
  vehicleTypeId: string;
  /** Where the world's riders ask for quotes (inside the service area). */
  place: { lat: number; lng: number };
  serviceAreaCells: string[];
  /** An hour of time ending now, for history and analytics reads (epoch ms). */
  window: { from: number; to: number };
  fresh: {
    rider(): Promise<Actor>;
    /** An offline driver with a vehicle of the default type (`vehicleId`). */
    driver(options?: { vehicle?: boolean }): Promise<Actor & { vehicleId: string | null }>;
    user(role: Role): Promise<Actor>;
    /** A signed quote for `rider`, from a pickup no driver can reach (its booking stays searching). */
    quote(rider: Actor): Promise<string>;
    /** A booking that is still being searched for (no driver near its pickup). */
    requestedBooking(): Promise<{ bookingId: string; rider: Actor }>;
    /** A booking whose offer is ringing for a fresh driver (open, not expired). */
    offeredBooking(): Promise<Trip>;
    /** A booking a fresh driver has accepted. */
    acceptedBooking(): Promise<Trip>;
    /** A vehicle with no driver. */
    vehicle(): Promise<{ id: string }>;
    vehicleType(): Promise<{ id: string }>;
    fare(vehicleTypeId: string): Promise<Record<string, number>>;
  };
}

export interface CellSetup {
  input?: unknown;
  /** Acts as this person instead of the world's principal of that kind (a fresh owner). */
  actor?: Actor;
}

export interface ProcedureRow {
  kind: 'query' | 'mutation';
  cells: Record<PrincipalKind, Cell>;
  /** Builds a valid input for the cell; for ownership cases, whose object it is. */
  setup?: (fx: MatrixFixtures, as: PrincipalKind) => CellSetup | Promise<CellSetup>;
  /** Personal fields this procedure exists to show (and audits): exempt from the leak check. */
  reveals?: readonly ('phone' | 'licence')[];
  why: string;
}

const signedIn: SignedInKind[] = [
  'riderOwner',
  'otherRider',
  'assignedDriver',
  'otherDriver',
  'dispatcher',
  'admin',
];
const riders: SignedInKind[] = ['riderOwner', 'otherRider'];
const drivers: SignedInKind[] = ['assignedDriver', 'otherDriver'];
const operations: SignedInKind[] = ['dispatcher', 'admin'];

/** Anonymous 401, the allowed kinds 200, everyone else 403; then per-cell exceptions. */
function cellsFor(
  allowed: readonly SignedInKind[] | 'everyone',
  exceptions: Partial<Record<PrincipalKind, Cell>> = {},
): Record<PrincipalKind, Cell> {
  const cells = {} as Record<PrincipalKind, Cell>;
  for (const kind of principalKinds) {
    if (allowed === 'everyone') cells[kind] = allow;
    else if (kind === 'anonymous') cells[kind] = deny(401);
    else cells[kind] = allowed.includes(kind) ? allow : deny(403);
  }
  return { ...cells, ...exceptions };
}

const adminOnly = cellsFor(['admin']);
const uuid = () => crypto.randomUUID();
const iso = (ms: number) => new Date(ms).toISOString();
const fare = { baseFare: 5_000, perKm: 1_200, perMinute: 200, minimumFare: 8_000, bookingFee: 1_000 };
const hex = () => crypto.randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();

/**
 * An admin row. Refused cells get a real fresh object too, so a missing role check would act on
 * something and answer 200, not fail on a dangling id.
 */
function admin(
  kind: 'query' | 'mutation',
  input: (fx: MatrixFixtures) => unknown,
  why: string,
  extra: Partial<ProcedureRow> = {},
): ProcedureRow {
  return { kind, cells: adminOnly, setup: async (fx) => ({ input: await input(fx) }), why, ...extra };
}

export const procedureMatrix: Record<string, ProcedureRow> = {
  me: {
    kind: 'query',
    cells: cellsFor('everyone'),
    why: 'Who am I: the caller’s own identity, null when signed out.',
  },

  'account.signUp': {
    kind: 'mutation',
    cells: cellsFor('everyone'),
    setup: () => ({
      input: {
        email: `signup-${hex().toLowerCase()}@it.test`,
        name: 'New Rider',
        password: 'a long enough password',
      },
    }),
    why: 'Anyone may open a rider account (never another role: the role is not an input); limited per address.',
  },

  // ── riders ────────────────────────────────────────────────────────────────────────────────
  'pricing.quote': {
    kind: 'mutation',
    cells: cellsFor(riders),
    setup: (fx) => ({
      input: { pickup: centreOf(fx), dropoff: centreOf(fx, 0.01), vehicleTypeId: fx.vehicleTypeId },
    }),
    why: 'Quotes are signed for the caller (riderId from the session).',
  },
  'rider.nearbyCars': {
    kind: 'query',
    cells: cellsFor(riders),
    setup: (fx) => ({ input: centreOf(fx) }),
    why: 'Counts and blurred cells only: no driver ids, no exact positions.',
  },
  'booking.create': {
    kind: 'mutation',
    cells: cellsFor(riders, { otherRider: deny(400) }),
    setup: async (fx, as) => {
      if (as === 'riderOwner') {
        const rider = await fx.fresh.rider();
        return { actor: rider, input: { quoteToken: await fx.fresh.quote(rider), idempotencyKey: uuid() } };
      }
      // Everyone else tries to book with rider A's quote.
      return {
        input: { quoteToken: await fx.fresh.quote(fx.actors.riderOwner), idempotencyKey: uuid() },
      };
    },
    why: 'A quote is bound to the rider it was made for (400 naming quoteToken for anyone else).',
  },
  'booking.get': {
    kind: 'query',
    cells: cellsFor(signedIn, { otherRider: deny(404), otherDriver: deny(404) }),
    setup: (fx) => ({ input: { bookingId: fx.booking.id } }),
    why: 'Riders their own, drivers theirs (or the one offered to them), dispatch all; not yours reads as not found.',
  },
  'booking.mine': {
    kind: 'query',
    cells: cellsFor(riders),
    why: 'The rider id comes from the session: B’s list never has A’s booking.',
  },
  'booking.limits': {
    kind: 'query',
    cells: cellsFor(riders),
    why: 'Platform rules shown before booking; no personal data.',
  },
  'booking.cancel': {
    kind: 'mutation',
    cells: cellsFor(riders, { otherRider: deny(404) }),
    setup: async (fx, as) => {
      if (as === 'riderOwner') {
        const own = await fx.fresh.requestedBooking();
        return { actor: own.rider, input: { bookingId: own.bookingId } };
      }
      return { input: { bookingId: fx.booking.id } };
    },
    why: 'Only the booking’s rider cancels (BOLA: someone else’s booking is not found).',
  },

  // ── drivers ───────────────────────────────────────────────────────────────────────────────
  'driver.console': {
    kind: 'query',
    cells: cellsFor(drivers),
    why: 'The signed-in driver’s own state.',
  },
  'driver.setAvailability': {
    kind: 'mutation',
    cells: cellsFor(drivers),
    setup: async (fx, as) =>
      drivers.includes(as as SignedInKind)
        ? { actor: await fx.fresh.driver(), input: { event: 'go_online' } }
        : { input: { event: 'go_online' } },
    why: 'The driver id comes from the session, never from input (mass assignment).',
  },
  'driver.work': {
    kind: 'query',
    cells: cellsFor(drivers),
    why: 'The caller’s own offer and trip only.',
  },
  'driver.respondToOffer': {
    kind: 'mutation',
    cells: cellsFor(drivers, { otherDriver: deny(409) }),
    setup: async (fx, as) => {
      // Every cell gets its own ringing offer, so "refused" cannot mean "already over".
      const trip = await fx.fresh.offeredBooking();
      return {
        ...(as === 'assignedDriver' ? { actor: trip.driver } : {}),
        input: { bookingId: trip.bookingId, accept: true },
      };
    },
    why: 'Only the driver the offer rings for answers it; anyone else hears “no longer open”, like an expired offer.',
  },
  'driver.tripAction': {
    kind: 'mutation',
    cells: cellsFor(drivers, { otherDriver: deny(404) }),
    setup: async (fx, as) => {
      if (as === 'assignedDriver') {
        const trip = await fx.fresh.acceptedBooking();
        return { actor: trip.driver, input: { bookingId: trip.bookingId, action: 'arrived' } };
      }
      return { input: { bookingId: fx.booking.id, action: 'arrived' } };
    },
    why: 'Only the assigned driver moves the trip on; another driver’s trip is not found.',
  },

  // ── operations (dispatchers and admins) ───────────────────────────────────────────────────
  'operations.driverDirectory': {
    kind: 'query',
    cells: cellsFor(operations),
    setup: (fx) => ({ input: { ids: [fx.actors.assignedDriver.id, fx.actors.otherDriver.id] } }),
    why: 'Names and plates of drivers on the map: operations only.',
  },
  'operations.nearestDrivers': {
    kind: 'query',
    cells: cellsFor(operations),
    setup: (fx) => ({ input: { ...centreOf(fx), vehicleTypeIds: [fx.vehicleTypeId] } }),
    why: 'Exact positions of available drivers: operations only.',
  },
  'operations.bookings': {
    kind: 'query',
    cells: cellsFor(operations),
    why: 'Every booking under way: operations only.',
  },
  'operations.bookingAudit': {
    kind: 'query',
    cells: cellsFor(operations),
    setup: (fx) => ({ input: { bookingId: fx.booking.id } }),
    why: 'A booking’s history and candidates: operations only.',
  },
  'operations.driverTrack': {
    kind: 'mutation',
    cells: cellsFor(operations),
    setup: (fx) => ({
      input: { driverId: fx.actors.assignedDriver.id, from: fx.window.from, to: fx.window.to },
    }),
    why: 'A driver’s location history: operations only, and every look is audited.',
  },
  'operations.surge': {
    kind: 'query',
    cells: cellsFor(operations),
    why: 'Surge per cell with its inputs: operations only.',
  },

  // ── everyone signed in ────────────────────────────────────────────────────────────────────
  'catalog.vehicleTypes': {
    kind: 'query',
    cells: cellsFor(signedIn),
    why: 'The vehicle catalogue; no personal data.',
  },
  'realtime.token': {
    kind: 'mutation',
    cells: cellsFor(signedIn),
    why: 'A 10-minute socket token bound to the caller and their auth session.',
  },

  // ── admin ─────────────────────────────────────────────────────────────────────────────────
  'admin.vehicleTypes.list': admin('query', () => undefined, 'Catalogue management.'),
  'admin.vehicleTypes.create': admin(
    'mutation',
    () => ({ id: `sec_${hex().toLowerCase()}`, name: `Sec ${hex()}`, seats: 4, fare }),
    'Catalogue management.',
  ),
  'admin.vehicleTypes.rename': admin(
    'mutation',
    async (fx) => ({ id: (await fx.fresh.vehicleType()).id, name: `Renamed ${hex()}` }),
    'Catalogue management.',
  ),
  'admin.vehicleTypes.setSeats': admin(
    'mutation',
    async (fx) => ({ id: (await fx.fresh.vehicleType()).id, seats: 6 }),
    'Catalogue management.',
  ),
  'admin.vehicleTypes.setActive': admin(
    'mutation',
    async (fx) => ({ id: (await fx.fresh.vehicleType()).id, active: false }),
    'Catalogue management.',
  ),
  'admin.vehicles.list': admin('query', () => ({}), 'Fleet management.'),
  'admin.vehicles.create': admin(
    'mutation',
    (fx) => ({
      plate: `SEC-${hex()}`,
      vehicleTypeId: fx.vehicleTypeId,
      make: 'Test',
      model: 'Car',
      color: 'Blue',
      capacity: 4,
    }),
    'Fleet management.',
  ),
  'admin.vehicles.edit': admin(
    'mutation',
    async (fx) => ({
      vehicleId: (await fx.fresh.vehicle()).id,
      plate: `SEC-${hex()}`,
      vehicleTypeId: fx.vehicleTypeId,
      make: 'Test',
      model: 'Car',
      color: 'Red',
      capacity: 4,
    }),
    'Fleet management.',
  ),
  'admin.vehicles.setStatus': admin(
    'mutation',
    async (fx) => ({ vehicleId: (await fx.fresh.vehicle()).id, status: 'maintenance' }),
    'Fleet management.',
  ),
  'admin.vehicles.assign': admin(
    'mutation',
    async (fx) => ({
      vehicleId: (await fx.fresh.vehicle()).id,
      driverId: (await fx.fresh.driver({ vehicle: false })).id,
    }),
    'Fleet management.',
  ),
  'admin.vehicles.unassign': admin(
    'mutation',
    async (fx) => ({ vehicleId: (await fx.fresh.driver()).vehicleId }),
    'Fleet management.',
  ),
  'admin.drivers.list': admin('query', () => ({}), 'Driver management.'),
  'admin.drivers.onboard': admin(
    'mutation',
    () => ({
      name: 'Onboarded Driver',
      email: `onboard-${hex().toLowerCase()}@it.test`,
      phone: '+91 80 4000 1234',
      licenseNumber: `KA01 ${hex()}`,
      password: 'a long enough password',
    }),
    'Driver management.',
  ),
  'admin.drivers.setDocuments': admin(
    'mutation',
    async (fx) => ({ driverId: (await fx.fresh.driver()).id, status: 'verified', note: null }),
    'Driver management.',
  ),
  'admin.riders.list': admin('query', () => ({}), 'Rider support.'),
  'admin.riders.get': admin(
    'query',
    (fx) => ({ userId: fx.actors.riderOwner.id }),
    'Rider support: one rider and their recent trips.',
  ),
  'admin.users.list': admin('query', () => ({}), 'User management.'),
  'admin.users.setStatus': admin(
    'mutation',
    async (fx) => ({ userId: (await fx.fresh.user('rider')).id, status: 'suspended', reason: 'matrix' }),
    'User management: suspension signs the user out everywhere.',
  ),
  'admin.users.changeRole': admin(
    'mutation',
    async (fx) => ({ userId: (await fx.fresh.user('rider')).id, role: 'dispatcher' }),
    'User management.',
  ),
  'admin.users.resetPassword': admin(
    'mutation',
    async (fx) => ({ userId: (await fx.fresh.user('rider')).id, password: 'another long password' }),
    'User management.',
  ),
  'admin.users.revealPii': admin(
    'mutation',
    async (fx) => ({ userId: (await fx.fresh.driver()).id, field: 'licenseNumber' }),
    'Decrypts one personal field, audited (pii.viewed).',
    { reveals: ['phone', 'licence'] },
  ),
  'admin.settings.get': admin('query', () => undefined, 'Platform settings.'),
  'admin.settings.updateFare': admin(
    'mutation',
    async (fx) => ({ vehicleTypeId: fx.vehicleTypeId, fare: await fx.fresh.fare(fx.vehicleTypeId) }),
    'Platform settings (same fare again: nothing else in the file changes).',
  ),
  'admin.settings.updateSurge': admin(
    'mutation',
    () => ({ cap: 2, threshold: 1.2, slope: 0.5, neighbourWeight: 0.3 }),
    'Platform settings.',
  ),
  'admin.settings.setServiceArea': admin(
    'mutation',
    (fx) => ({ cells: fx.serviceAreaCells }),
    'Platform settings (the same area again).',
  ),
  'admin.audit': admin('query', () => ({}), 'The audit log.'),

  // ── analytics (admins: revenue and per-driver performance are business and HR data) ────────
  'analytics.summary': admin(
    'query',
    (fx) => ({ from: iso(fx.window.from), to: iso(fx.window.to) }),
    'Business data.',
  ),
  'analytics.series': admin(
    'query',
    (fx) => ({ range: { from: iso(fx.window.from), to: iso(fx.window.to) }, granularity: 'hour' }),
    'Business data.',
  ),
  'analytics.cells': admin(
    'query',
    (fx) => ({ from: iso(fx.window.from), to: iso(fx.window.to) }),
    'Business data.',
  ),
  'analytics.drivers': admin(
    'query',
    (fx) => ({ range: { from: iso(fx.window.from), to: iso(fx.window.to) } }),
    'Per-driver performance (HR data).',
  ),
};

/** The world's pickup point, optionally shifted north by `dLat` degrees. */
function centreOf(fx: MatrixFixtures, dLat = 0) {
  return { lat: fx.place.lat + dLat, lng: fx.place.lng };
}

// ── REST routes (app/api/**/route.ts) ─────────────────────────────────────────────────────────

export interface RestRequest {
  method: 'GET' | 'POST';
  /** Path and query. */
  path: string;
  /** `same-site` sends the site's own Origin; `cross-site` another site's. */
  origin?: 'same-site' | 'cross-site';
  contentType?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RestRow {
  /** The route file's URL pattern, as app/api spells it. */
  route: string;
  request: (fx: MatrixFixtures) => RestRequest;
  cells: Record<PrincipalKind, Cell>;
  why: string;
}

const crossSite = (method: 'POST', path: string, body = '{}', contentType = 'application/json') =>
  ({ method, path, origin: 'cross-site', body, contentType }) as const;

export const restMatrix: RestRow[] = [
  {
    route: '/api/health',
    request: () => ({ method: 'GET', path: '/api/health' }),
    cells: cellsFor('everyone'),
    why: 'Liveness and readiness for load balancers; says nothing about anyone.',
  },
  {
    route: '/api/metrics',
    request: () => ({ method: 'GET', path: '/api/metrics' }),
    cells: cellsFor([], { anonymous: deny(401), ...denyAll(401) }),
    why: 'With METRICS_TOKEN set, the scrape endpoint needs it: a session cookie, even an admin’s, is not enough.',
  },
  {
    route: '/api/metrics',
    request: (fx) => ({
      method: 'GET',
      path: '/api/metrics',
      headers: { authorization: `Bearer ${fx.metricsToken}` },
    }),
    cells: cellsFor('everyone'),
    why: 'The scraper’s token opens it; the counters carry no personal data (no ids, names or positions).',
  },
  {
    route: '/api/trpc/[trpc]',
    request: () => ({ method: 'GET', path: '/api/trpc/me' }),
    cells: cellsFor('everyone'),
    why: 'The session cookie is resolved against auth_sessions on every request; `me` is the caller only.',
  },
  {
    route: '/api/trpc/[trpc]',
    request: () => ({
      method: 'POST',
      path: '/api/trpc/realtime.token',
      origin: 'same-site',
      contentType: 'application/json',
      body: '{}',
    }),
    cells: cellsFor(signedIn),
    why: 'A procedure over the real route: cookie → session → role.',
  },
  {
    route: '/api/trpc/[trpc]',
    request: (fx) =>
      crossSite('POST', '/api/trpc/booking.cancel', JSON.stringify({ bookingId: fx.booking.id })),
    cells: cellsFor([], { anonymous: deny(403), ...denyAll(403) }),
    why: 'CSRF: a cross-site POST is refused before any procedure runs, whoever’s cookie it carries.',
  },
  {
    route: '/api/trpc/[trpc]',
    request: () => crossSite('POST', '/api/trpc/realtime.token', 'a=1', 'application/x-www-form-urlencoded'),
    cells: cellsFor([], { anonymous: deny(403), ...denyAll(403) }),
    why: 'CSRF: a cross-site form post (no preflight) is refused too.',
  },
  {
    route: '/api/analytics/export',
    request: (fx) => ({
      method: 'GET',
      path: `/api/analytics/export?dataset=series&from=${encodeURIComponent(iso(fx.window.from))}&to=${encodeURIComponent(iso(fx.window.to))}`,
    }),
    cells: adminOnly,
    why: 'Business data as CSV: admins only.',
  },
  {
    route: '/api/openapi.json',
    request: () => ({ method: 'GET', path: '/api/openapi.json' }),
    cells: cellsFor('everyone'),
    why: 'The OpenAPI document describes the REST surface; it grants nothing and names nobody.',
  },
  {
    route: '/api/v1/[...path]',
    request: (fx) => ({ method: 'GET', path: `/api/v1/booking/get?bookingId=${fx.booking.id}` }),
    cells: cellsFor(signedIn, { otherRider: deny(404), otherDriver: deny(404) }),
    why: 'REST runs the same procedure with the same session and ownership check as tRPC (every procedure is also driven through this door cell by cell).',
  },
  {
    route: '/api/v1/[...path]',
    request: (fx) =>
      crossSite('POST', '/api/v1/booking/cancel', JSON.stringify({ bookingId: fx.booking.id })),
    cells: cellsFor([], { anonymous: deny(403), ...denyAll(403) }),
    why: 'CSRF: a cross-site POST to the REST door is refused before any procedure runs.',
  },
  {
    route: '/api/v1/[...path]',
    request: () => crossSite('POST', '/api/v1/realtime/token', 'a=1', 'application/x-www-form-urlencoded'),
    cells: cellsFor([], { anonymous: deny(403), ...denyAll(403) }),
    why: 'CSRF: a cross-site form post (no preflight) to the REST door is refused too.',
  },
  {
    route: '/api/auth/[...nextauth]',
    request: () => ({ method: 'GET', path: '/api/auth/session' }),
    cells: cellsFor('everyone'),
    why: 'next-auth’s session endpoint: the cookie holder’s own name, e-mail and role; never the auth session id.',
  },
  {
    route: '/api/auth/[...nextauth]',
    request: () =>
      crossSite(
        'POST',
        '/api/auth/callback/credentials',
        'email=a%40b.test&password=x&csrfToken=x',
        'application/x-www-form-urlencoded',
      ),
    cells: cellsFor([], { anonymous: deny(403), ...denyAll(403) }),
    why: 'Login CSRF: a cross-site sign-in post is refused before next-auth sees it.',
  },
  {
    route: '/api/auth/[...nextauth]',
    request: () => crossSite('POST', '/api/auth/signout', 'csrfToken=x', 'application/x-www-form-urlencoded'),
    cells: cellsFor([], { anonymous: deny(403), ...denyAll(403) }),
    why: 'A cross-site page cannot sign anyone out.',
  },
];

function denyAll(status: DenyStatus): Record<SignedInKind, Cell> {
  return Object.fromEntries(signedIn.map((k) => [k, deny(status)])) as Record<SignedInKind, Cell>;
}

// ── Socket events (client → server) ───────────────────────────────────────────────────────────

export const socketPrincipals = [...signedIn, 'gateway'] as const;
export type SocketPrincipal = (typeof socketPrincipals)[number];

/** The ack a socket gets: `ok`, or the refusal's code. */
export type SocketCell = 'ok' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';

export interface SocketContext {
  fx: MatrixFixtures;
  /** The sender's own duty session (drivers). */
  dutySessionOf(kind: SocketPrincipal): string | null;
  /** A position near the sender's last one, with the next sequence number. */
  pingFor(kind: SocketPrincipal): { seq: number; at: number; lat: number; lng: number; accuracyM: number };
  watchedCells: string[];
}

export interface SocketEventRow {
  cells: Record<SocketPrincipal, SocketCell>;
  payload: (ctx: SocketContext, as: SocketPrincipal) => unknown;
  why: string;
}

function socketCells(
  ok: readonly SocketPrincipal[],
  exceptions: Partial<Record<SocketPrincipal, SocketCell>> = {},
): Record<SocketPrincipal, SocketCell> {
  const cells = Object.fromEntries(
    socketPrincipals.map((k) => [k, ok.includes(k) ? 'ok' : 'FORBIDDEN']),
  ) as Record<SocketPrincipal, SocketCell>;
  return { ...cells, ...exceptions };
}

/** Keyed by the socket contract's client events: a new event without a row does not typecheck. */
export const socketEventMatrix: Record<keyof ClientToServerEvents, SocketEventRow> = {
  'location:batch': {
    cells: socketCells(drivers),
    payload: (ctx, as) => ({
      sessionId: ctx.dutySessionOf(as) ?? ctx.dutySessionOf('otherDriver'),
      pings: [ctx.pingFor(as)],
    }),
    why: 'Drivers send their own positions; the driver id is the socket’s, never the payload’s.',
  },
  'location:gateway-batch': {
    cells: socketCells(['gateway']),
    payload: (ctx) => ({
      drivers: [
        {
          driverId: ctx.fx.actors.otherDriver.id,
          sessionId: ctx.dutySessionOf('otherDriver'),
          pings: [ctx.pingFor('gateway')],
        },
      ],
    }),
    why: 'Only service tokens relay other drivers’ positions.',
  },
  'location:gateway-frame': {
    cells: socketCells(['gateway']),
    payload: (ctx) =>
      encodeGatewayFrame([
        {
          driverId: ctx.fx.actors.otherDriver.id,
          sessionId: ctx.dutySessionOf('otherDriver')!,
          pings: [ctx.pingFor('gateway')],
        },
      ]),
    why: 'Only service tokens relay other drivers’ positions, in either form.',
  },
  'ops:watch': {
    cells: socketCells(operations),
    payload: (ctx) => ({ cells: ctx.watchedCells }),
    why: 'The live map (every driver’s position) is for dispatchers and admins.',
  },
  'booking:watch': {
    cells: socketCells(['riderOwner', 'assignedDriver', ...operations], {
      otherRider: 'NOT_FOUND',
      otherDriver: 'NOT_FOUND',
    }),
    payload: (ctx) => ({ bookingId: ctx.fx.booking.id }),
    why: 'A booking room carries its driver’s position: only the people of that booking, and dispatch.',
  },
};

/** Connecting at all: a valid socket token of an open session (or a gateway's service token). */
export const socketConnectMatrix: Record<PrincipalKind | 'gateway', 'ok' | 'UNAUTHENTICATED'> = {
  anonymous: 'UNAUTHENTICATED',
  riderOwner: 'ok',
  otherRider: 'ok',
  assignedDriver: 'ok',
  otherDriver: 'ok',
  dispatcher: 'ok',
  admin: 'ok',
  gateway: 'ok',
};

// ── Server → client: who receives what, in a scripted trip (booking of A, driver D) ────────────

export type DeliveredEvent =
  | 'drivers:moved'
  | 'driver:state'
  | 'ops:density'
  | 'booking:board'
  | 'booking:updated'
  | 'booking:driver-location'
  | 'offer:new';

/**
 * Every principal tries to join everything (booking:watch on A's booking, ops:watch on the trip's
 * cells); then the trip runs. `receivers` get at least one such event; everyone else exactly 0.
 */
export const socketDeliveryMatrix: Record<DeliveredEvent, { receivers: SocketPrincipal[]; why: string }> = {
  'drivers:moved': { receivers: [...operations], why: 'Positions per watched cell: the live map.' },
  'driver:state': { receivers: [...operations], why: 'State changes go to the operations room.' },
  'ops:density': { receivers: [...operations], why: 'Drivers per cell, for the heatmap.' },
  'booking:board': { receivers: [...operations], why: 'A nudge to refresh the bookings board.' },
  'booking:updated': {
    receivers: ['riderOwner', 'assignedDriver', ...operations],
    why: 'The booking room: its rider, its driver, dispatchers who opened it.',
  },
  'booking:driver-location': {
    receivers: ['riderOwner', 'assignedDriver', ...operations],
    why: 'The assigned driver’s position, to the booking room, only from acceptance to the end of the trip.',
  },
  'offer:new': { receivers: ['assignedDriver'], why: 'An offer rings on the offered driver’s phone only.' },
};

// ── What nobody may see (the leak check applied to every answer and every socket payload) ─────

export type Attribute = 'id' | 'email' | 'name' | 'position';

/**
 * Of the world's people, what each principal must never receive. On top of this, nobody (admins
 * included) receives anyone's phone number, licence number, password hash or auth session id,
 * except from a procedure whose row `reveals` it.
 */
export const mustNotSee: Record<PrincipalKind, Partial<Record<SignedInKind | 'booking', Attribute[]>>> = {
  anonymous: {
    riderOwner: ['id', 'email', 'name'],
    otherRider: ['id', 'email', 'name'],
    assignedDriver: ['id', 'email', 'name', 'position'],
    otherDriver: ['id', 'email', 'name', 'position'],
    dispatcher: ['id', 'email', 'name'],
    admin: ['id', 'email', 'name'],
    booking: ['id', 'position'],
  },
  riderOwner: {
    otherRider: ['id', 'email', 'name'],
    assignedDriver: ['email'],
    otherDriver: ['id', 'email', 'name', 'position'],
    dispatcher: ['id', 'email'],
    admin: ['id', 'email'],
  },
  otherRider: {
    riderOwner: ['id', 'email', 'name'],
    assignedDriver: ['id', 'email', 'name', 'position'],
    otherDriver: ['id', 'email', 'name', 'position'],
    dispatcher: ['id', 'email'],
    admin: ['id', 'email'],
    booking: ['id', 'position'],
  },
  assignedDriver: {
    riderOwner: ['id', 'email'],
    otherRider: ['id', 'email', 'name'],
    otherDriver: ['id', 'email', 'name', 'position'],
    dispatcher: ['id', 'email'],
    admin: ['id', 'email'],
  },
  otherDriver: {
    riderOwner: ['id', 'email', 'name'],
    otherRider: ['id', 'email', 'name'],
    assignedDriver: ['id', 'email', 'name', 'position'],
    dispatcher: ['id', 'email'],
    admin: ['id', 'email'],
    booking: ['id', 'position'],
  },
  dispatcher: {
    riderOwner: ['email'],
    otherRider: ['email'],
    assignedDriver: ['email'],
    otherDriver: ['email'],
    admin: ['email'],
  },
  admin: {},
};
