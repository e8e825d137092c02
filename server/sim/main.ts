import { inArray } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import { simDriverEmail } from '@/db/demo-data';
import { users } from '@/db/schema';
import { demoCity } from '@/domain/city';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import { LiveIndex } from '../adapters/live-index';
import { signSocketToken } from '../auth/socket-token';
import { loadEnv, simEnvSchema } from '../env';
import { createLogger } from '../infra/logger';
import { createPostgres } from '../infra/postgres';
import { createRedis } from '../infra/redis';
import { onShutdown } from '../infra/shutdown';
import { openAuthSession, revokeAuthSession } from '../services/auth-sessions';
import { getDriverConsole } from '../services/get-driver-console';
import { systemClock } from '../services/ports';
import { setAvailability } from '../services/set-availability';
import { StreetWalker, seededRandom } from './street-walker';

/**
 * The demo city: N seeded drivers go on duty through the same use case as the app and stream
 * positions through the same socket path as phones, so the dispatcher map is alive on start.
 */
const env = loadEnv(simEnvSchema);
const logger = createLogger('sim', env.LOG_LEVEL);
const postgres = createPostgres(env.DATABASE_URL, { max: 4, applicationName: 'opendispatch-sim' });
const redis = createRedis(env.REDIS_URL, { name: 'sim' });
const liveIndex = new LiveIndex(redis, { prefix: env.REDIS_PREFIX, presence: defaultPresencePolicy });
const core = { db: postgres.db, liveIndex, clock: systemClock, logger };

const emails = Array.from({ length: env.SIM_DRIVERS }, (_, i) => simDriverEmail(i));
const accounts = await postgres.db
  .select({ id: users.id, email: users.email, role: users.role })
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
interface SimDriver {
  id: string;
  authSessionId: string;
  dutySessionId: string;
  walker: StreetWalker;
  socket: SimSocket;
  seq: number;
}

const random = seededRandom(env.SIM_SEED);
const fleet: SimDriver[] = [];
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
  const authSessionId = await openAuthSession(core.db, account.id, systemClock.now());
  const socket: SimSocket = io(env.REALTIME_URL, {
    transports: ['websocket'],
    auth: (cb) => {
      void signSocketToken(
        { id: account.id, role: 'driver', sessionId: authSessionId },
        env.SOCKET_TOKEN_SECRET,
        systemClock.now(),
      ).then(({ token }) => cb({ token }));
    },
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 500);
  });
  fleet.push({
    id: account.id,
    authSessionId,
    dutySessionId: online.sessionId!,
    walker: new StreetWalker(demoCity, random),
    socket,
    seq: 0,
  });
}
logger.info({ drivers: fleet.length, realtime: env.REALTIME_URL }, 'simulated drivers on duty');

const timer = setInterval(() => {
  const now = systemClock.now();
  for (const d of fleet) {
    if (!d.socket.connected) continue;
    const { position, headingDeg } = d.walker.step(env.SIM_TICK_MS);
    d.seq += 1;
    const ping = {
      seq: d.seq,
      at: now,
      lat: position.lat,
      lng: position.lng,
      accuracyM: 5,
      speedMps: d.walker.speedMps,
      headingDeg,
    };
    d.socket
      .timeout(10_000)
      .emit('location:batch', { sessionId: d.dutySessionId, pings: [ping] }, (error, answer) => {
        if (error || !answer.ok)
          logger.debug({ driverId: d.id, error: error?.message ?? answer }, 'ping not accepted');
      });
  }
}, env.SIM_TICK_MS);

onShutdown(logger, async () => {
  clearInterval(timer);
  for (const d of fleet) {
    d.socket.disconnect();
    await setAvailability(core, { driverId: d.id, event: 'go_offline', actor: 'driver' }).catch(
      () => undefined,
    );
    await revokeAuthSession(core.db, d.authSessionId, systemClock.now());
  }
  await postgres.pool.end();
  redis.disconnect();
});
