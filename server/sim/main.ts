import { inArray } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import { simDriverEmail, simRiderEmail } from '@/db/demo-data';
import { users } from '@/db/schema';
import { demoCity } from '@/domain/city';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { locationLimits } from '@/domain/location';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import { seededRandom } from '@/domain/seeded-random';
import { loadCityRoads } from '../adapters/city-roads';
import { LiveIndex } from '../adapters/live-index';
import { signServiceToken } from '../auth/socket-token';
import { loadEnv, simEnvSchema } from '../env';
import { createLogger } from '../infra/logger';
import { createPostgres } from '../infra/postgres';
import { createRedis } from '../infra/redis';
import { onShutdown } from '../infra/shutdown';
import { authSessionTtlMs, openAuthSession } from '../services/account/auth-sessions';
import { getDriverConsole } from '../services/driver/get-driver-console';
import { setAvailability } from '../services/driver/set-availability';
import { systemClock } from '../services/ports';
import { driverDoors } from './driver-doors';
import { riderDoors } from './rider-doors';
import { SimDriver } from './sim-driver';
import { SimRiders } from './sim-riders';

/**
 * The demo city: N seeded drivers go on duty through the same use case as the app and drive
 * its real roads (OpenStreetMap), streaming positions through the same socket path as phones, so
 * the dispatcher map is alive on start. Each has a driver's socket and session too: offers reach
 * it, and it answers, drives to the pickup, carries the rider and completes through the same API
 * as a driver's app (sim-driver.ts). Seeded riders book through the rider app's API at the demand
 * curve's rate, around the city's places, sometimes for later, sometimes cancelling (sim-riders.ts).
 */
const env = loadEnv(simEnvSchema);
const logger = createLogger('sim', env.LOG_LEVEL);
const postgres = createPostgres(env.DATABASE_URL, { max: 4, applicationName: 'opendispatch-sim' });
const redis = createRedis(env.REDIS_URL, { name: 'sim' });
const liveIndex = new LiveIndex(redis, { prefix: env.REDIS_PREFIX, presence: defaultPresencePolicy });
const core = { db: postgres.db, liveIndex, clock: systemClock, logger };

const emails = Array.from({ length: env.SIM_DRIVERS }, (_, i) => simDriverEmail(i));
const accounts = await postgres.db
  .select({ id: users.id, email: users.email, name: users.name, role: users.role })
  .from(users)
  .where(inArray(users.email, emails));
if (accounts.length < env.SIM_DRIVERS) {
  logger.warn(
    { wanted: env.SIM_DRIVERS, found: accounts.length },
    'fewer simulated driver accounts than asked; run the seed with SEED_SIM_DRIVERS',
  );
}
accounts.sort((a, b) => a.email.localeCompare(b.email));

type SimSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface SimFleetMember {
  id: string;
  dutySessionId: string;
  driver: SimDriver;
  socket: SimSocket;
  seq: number;
}

const roads = loadCityRoads(demoCity);
const random = seededRandom(env.SIM_SEED);
const behaviour = {
  acceptRate: env.SIM_ACCEPT_PERCENT / 100,
  // Read as a range whichever way round it was given.
  answerDelayMs: [
    Math.min(env.SIM_ANSWER_MIN_MS, env.SIM_ANSWER_MAX_MS),
    Math.max(env.SIM_ANSWER_MIN_MS, env.SIM_ANSWER_MAX_MS),
  ] as const,
  boardingMs: env.SIM_BOARDING_MS,
};
const doorSettings = {
  webUrl: env.SIM_WEB_URL ?? env.NEXTAUTH_URL,
  publicUrl: env.NEXTAUTH_URL,
  realtimeUrl: env.REALTIME_URL,
  nextAuthSecret: env.NEXTAUTH_SECRET,
  socketTokenSecret: env.SOCKET_TOKEN_SECRET,
  clock: systemClock,
};
const fleet: SimFleetMember[] = [];
for (const account of accounts) {
  // A fresh duty session each run, so sequence numbers can start at 1.
  const current = await getDriverConsole(core.db, account.id);
  if (current.state !== 'offline') {
    await setAvailability(core, {
      driverId: account.id,
      event: 'go_offline',
      actor: 'system',
      reason: 'simulator restart',
    }).catch(() => undefined);
  }
  const online = await setAvailability(core, { driverId: account.id, event: 'go_online', actor: 'driver' });
  // Signed in like a person: an auth session, then the app's cookie and socket (driver-doors.ts).
  const sessionId = await openAuthSession(core.db, account.id, systemClock.now());
  const doors = await driverDoors({ ...account, sessionId }, doorSettings, authSessionTtlMs / 1000);
  const driver = new SimDriver(account.id, roads, random, doors, behaviour, (err, what) =>
    logger.info(
      { driverId: account.id, err: err instanceof Error ? err.message : err },
      `simulated driver: ${what} refused`,
    ),
  );
  doors.socket.on('offer:new', (offer, ack) => {
    ack({ received: true });
    driver.offer(offer, systemClock.now());
  });
  doors.socket.on('offer:withdrawn', ({ bookingId }) => driver.withdrawn(bookingId));
  fleet.push({ id: account.id, dutySessionId: online.sessionId!, driver, socket: doors.socket, seq: 0 });
}

// The simulator is a telematics gateway: one socket relays every simulated driver's positions,
// through the same ingest and checks as a phone's.
const gateway: SimSocket = io(env.REALTIME_URL, {
  transports: ['websocket'],
  auth: (cb) => {
    void signServiceToken('simulator', env.SOCKET_TOKEN_SECRET, systemClock.now(), 3_600).then(({ token }) =>
      cb({ token }),
    );
  },
});
gateway.on('disconnect', (reason) => {
  if (reason === 'io server disconnect') setTimeout(() => gateway.connect(), 500);
});
logger.info({ drivers: fleet.length, realtime: env.REALTIME_URL }, 'simulated drivers on duty');

// Realtime's ack says when to send again if it is behind (ADR 0019): skipped ticks cost nothing,
// positions are state and the next tick carries each driver's newest.
let pausedUntil = 0;
const timer = setInterval(() => {
  if (!gateway.connected) return;
  const now = systemClock.now();
  if (now < pausedUntil) return;
  for (let start = 0; start < fleet.length; start += locationLimits.maxGatewayDrivers) {
    const drivers = fleet.slice(start, start + locationLimits.maxGatewayDrivers).map((d) => {
      const { position, headingDeg } = d.driver.tick(env.SIM_TICK_MS, now);
      d.seq += 1;
      return {
        driverId: d.id,
        sessionId: d.dutySessionId,
        pings: [
          {
            seq: d.seq,
            at: now,
            lat: position.lat,
            lng: position.lng,
            accuracyM: 5,
            speedMps: d.driver.speedMps,
            headingDeg,
          },
        ],
      };
    });
    gateway.timeout(10_000).emit('location:gateway-batch', { drivers }, (error, answer) => {
      const waitMs = error ? 0 : answer.ok ? answer.sendAgainInMs : answer.error.retryAfterMs;
      if (waitMs) pausedUntil = Math.max(pausedUntil, systemClock.now() + waitMs);
      if (error || !answer.ok)
        logger.warn({ error: error?.message ?? answer }, 'simulated positions not accepted');
    });
  }
}, env.SIM_TICK_MS);

// Riders book through the same API as the rider app: quote, book, sometimes cancel.
const riderEmails = Array.from({ length: env.SIM_RIDERS }, (_, i) => simRiderEmail(i));
const riderAccounts =
  riderEmails.length === 0
    ? []
    : await postgres.db
        .select({ id: users.id, email: users.email, name: users.name })
        .from(users)
        .where(inArray(users.email, riderEmails));
riderAccounts.sort((a, b) => a.email.localeCompare(b.email));
if (riderAccounts.length < env.SIM_RIDERS) {
  logger.warn(
    { wanted: env.SIM_RIDERS, found: riderAccounts.length },
    'fewer simulated rider accounts than asked; run the seed with SEED_SIM_RIDERS',
  );
}
const riders = new SimRiders(
  await Promise.all(
    riderAccounts.map(async (account) => {
      const sessionId = await openAuthSession(core.db, account.id, systemClock.now());
      return riderDoors({ ...account, sessionId }, doorSettings, authSessionTtlMs / 1000);
    }),
  ),
  // A stream of its own: the riders' choices do not shift the drivers' with the same seed.
  seededRandom(env.SIM_SEED + 1),
  demoCity,
  {
    peakPerHour: env.SIM_BOOKINGS_PER_HOUR,
    scheduledShare: env.SIM_SCHEDULE_PERCENT / 100,
    cancelShare: env.SIM_CANCEL_PERCENT / 100,
  },
  (err, what) =>
    logger.info({ err: err instanceof Error ? err.message : err }, `simulated rider: ${what} refused`),
);
const riderTickMs = 1_000;
const riderTimer =
  riderAccounts.length === 0
    ? null
    : setInterval(() => void riders.tick(riderTickMs, systemClock.now()), riderTickMs);
const riderReport = setInterval(() => logger.info({ ...riders.counts }, 'simulated riders'), 60_000);
riderReport.unref();
logger.info(
  { riders: riderAccounts.length, peakPerHour: env.SIM_BOOKINGS_PER_HOUR },
  'simulated riders booking',
);

onShutdown(logger, async () => {
  clearInterval(timer);
  if (riderTimer) clearInterval(riderTimer);
  gateway.disconnect();
  for (const d of fleet) {
    d.socket.disconnect();
    await setAvailability(core, { driverId: d.id, event: 'go_offline', actor: 'driver' }).catch(
      () => undefined,
    );
  }
  await postgres.pool.end();
  redis.disconnect();
});
