import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { fareTableRows } from '@/db/demo-data';
import { authSessions, drivers, fareTables, users, vehicles, vehicleTypes } from '@/db/schema';
import { offsetMeters } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';
import type { StackEnv } from '@/scripts/lib/environments';
import type { LiveIndex } from '@/server/adapters/live-index';
import { signSocketToken } from '@/server/auth/socket-token';
import { createPostgres } from '@/server/infra/postgres';
import type { Redis } from '@/server/infra/redis';
import { authSessionTtlMs } from '@/server/services/account/auth-sessions';
import { benchCentre } from '../telemetry/fleet';
import type { TrpcHttp } from './trpc-http';

/**
 * The people of the booking benchmark, created directly in the bench database: riders and
 * drivers with an auth session each, and the credentials the real doors accept: a next-auth
 * session cookie (minted with next-auth's own `encode` and the stack's NEXTAUTH_SECRET, carrying
 * the auth session id, exactly what the credentials sign-in puts in the browser) and, for
 * drivers, a socket token like `realtime.token` gives. Signing in through the form instead would
 * cost an argon2 hash per person and measure nothing the benchmark is about.
 *
 * Drivers drive a vehicle of their own type, `bench`, which the telemetry fleet does not use:
 * the 100k telemetry drivers exist only in the live index (no PostgreSQL rows), so if they were
 * candidates every offer would first trip over a few of them (NOT_FOUND, skipped) and the figure
 * would describe that, not dispatch.
 */
export const benchVehicleTypeId = 'bench';

/** Pickups and drivers: a square of this half side around the city centre (inside the service area). */
export const bookingAreaHalfSideM = 5_000;

export interface Rider {
  id: string;
  cookie: string;
}

export interface Driver {
  id: string;
  cookie: string;
  token: string;
  lat: number;
  lng: number;
}

const cookieName = 'next-auth.session-token';

export async function createPeople(
  stack: StackEnv,
  counts: { riders: number; drivers: number },
  seed: number,
): Promise<{ riders: Rider[]; drivers: Driver[] }> {
  const { pool, db } = createPostgres(stack.env.DATABASE_URL!, { max: 2 });
  const now = Date.now();
  const tag = randomBytes(3).toString('hex');
  const random = seededRandom(seed);
  try {
    await db
      .insert(vehicleTypes)
      .values({ id: benchVehicleTypeId, name: 'Bench car', seats: 4, sortOrder: 99 })
      .onConflictDoNothing();
    const economy = fareTableRows.find((f) => f.vehicleTypeId === 'economy')!;
    await db
      .insert(fareTables)
      .values({ ...economy, vehicleTypeId: benchVehicleTypeId })
      .onConflictDoNothing();

    const person = (role: 'rider' | 'driver', i: number) => ({
      email: `bench-${role}-${i}-${tag}@bench.test`,
      name: `Bench ${role} ${i}`,
      role,
      passwordHash: 'not-a-login-account',
    });
    const inChunks = async <T, R>(items: T[], size: number, f: (chunk: T[]) => Promise<R[]>) => {
      const out: R[] = [];
      for (let i = 0; i < items.length; i += size) out.push(...(await f(items.slice(i, i + size))));
      return out;
    };
    const insertUsers = (role: 'rider' | 'driver', n: number) =>
      inChunks(
        Array.from({ length: n }, (_, i) => i),
        500,
        async (chunk) =>
          db
            .insert(users)
            .values(chunk.map((i) => person(role, i)))
            .returning({ id: users.id, email: users.email, name: users.name }),
      );
    const riderRows = await insertUsers('rider', counts.riders);
    const driverRows = await insertUsers('driver', counts.drivers);

    await inChunks(driverRows, 500, (chunk) =>
      db
        .insert(drivers)
        .values(chunk.map((d, i) => ({ userId: d.id, licenseNumber: `BENCH-${tag}-${i}` })))
        .returning({ id: drivers.userId }),
    );
    await inChunks(driverRows, 500, (chunk) =>
      db
        .insert(vehicles)
        .values(
          chunk.map((d) => ({
            plate: `BN-${randomBytes(5).toString('hex')}`,
            vehicleTypeId: benchVehicleTypeId,
            make: 'Bench',
            model: 'Sedan',
            color: 'Grey',
            capacity: 4,
            driverId: d.id,
          })),
        )
        .returning({ id: vehicles.id }),
    );
    const sessions = await inChunks([...riderRows, ...driverRows], 500, (chunk) =>
      db
        .insert(authSessions)
        .values(
          chunk.map((u) => ({
            userId: u.id,
            createdAt: new Date(now),
            expiresAt: new Date(now + authSessionTtlMs),
          })),
        )
        .returning({ id: authSessions.id, userId: authSessions.userId }),
    );
    const sessionOf = new Map(sessions.map((s) => [s.userId, s.id]));
    const secret = stack.env.NEXTAUTH_SECRET!;
    const cookieFor = async (u: { id: string; email: string; name: string }, role: 'rider' | 'driver') => {
      // The claims next-auth's jwt callback writes at sign-in (server/auth/next-auth-options.ts).
      const jwe = await encode({
        token: { name: u.name, email: u.email, sub: u.id, uid: u.id, role, sid: sessionOf.get(u.id)! },
        secret,
        maxAge: authSessionTtlMs / 1000,
      });
      return `${cookieName}=${jwe}`;
    };
    const riders = await Promise.all(
      riderRows.map(async (u) => ({ id: u.id, cookie: await cookieFor(u, 'rider') })),
    );
    const driverList = await Promise.all(
      driverRows.map(async (u) => {
        const at = offsetMeters(
          benchCentre,
          (random() * 2 - 1) * bookingAreaHalfSideM,
          (random() * 2 - 1) * bookingAreaHalfSideM,
        );
        const { token } = await signSocketToken(
          { id: u.id, role: 'driver', sessionId: sessionOf.get(u.id)! },
          stack.env.SOCKET_TOKEN_SECRET!,
          now,
          3_600,
        );
        return { id: u.id, cookie: await cookieFor(u, 'driver'), token, lat: at.lat, lng: at.lng };
      }),
    );
    return { riders, drivers: driverList };
  } finally {
    await pool.end();
  }
}

/**
 * Puts every driver on duty through the real door (tRPC `driver.setAvailability` on the web
 * process, with the driver's cookie) and returns each one's duty session id.
 */
export async function goOnline(http: TrpcHttp, drivers: Driver[], concurrency = 16): Promise<string[]> {
  const sessions = new Array<string>(drivers.length);
  let next = 0;
  const lane = async () => {
    while (next < drivers.length) {
      const i = next++;
      const answer = await http.mutation<{ sessionId: string | null }>(
        'driver.setAvailability',
        { event: 'go_online' },
        drivers[i]!.cookie,
      );
      if (!answer.ok || !answer.data.sessionId)
        throw new Error(`driver ${i} could not go online: ${answer.ok ? 'no session' : answer.message}`);
      sessions[i] = answer.data.sessionId;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return sessions;
}

/** Waits until every bench driver's first position is in the live index (workers fold it in from Kafka). */
export async function waitForPositions(redis: Redis, index: LiveIndex, ids: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hget(index.driverKey(id), 'lat');
    const placed = ((await pipeline.exec()) ?? []).filter(([, v]) => v !== null).length;
    if (placed === ids.length) return;
    if (Date.now() > deadline)
      throw new Error(`only ${placed} of ${ids.length} drivers placed in the live index`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
