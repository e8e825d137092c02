import { inArray } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import { simDriverEmail } from '@/db/demo-data';
import { users } from '@/db/schema';
import { demoCity } from '@/domain/city';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { locationLimits } from '@/domain/location';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import { buildRoadGraph } from '@/domain/roads/road-graph';
import { seededRandom } from '@/domain/seeded-random';
import { LiveIndex } from '../adapters/live-index';
import { readRoadLines } from '../adapters/osm-road-lines';
import { signServiceToken } from '../auth/socket-token';
import { loadEnv, simEnvSchema } from '../env';
import { createLogger } from '../infra/logger';
import { createPostgres } from '../infra/postgres';
import { createRedis } from '../infra/redis';
import { onShutdown } from '../infra/shutdown';
import { getDriverConsole } from '../services/driver/get-driver-console';
import { setAvailability } from '../services/driver/set-availability';
import { systemClock } from '../services/ports';
import { RoadWalker } from './road-walker';

/**
 * The demo city: N seeded drivers go on duty through the same use case as the app and drive
 * its real roads (OpenStreetMap), streaming positions through the same socket path as phones, so
 * the dispatcher map is alive on start.
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
  dutySessionId: string;
  walker: RoadWalker;
  seq: number;
}

const roads = buildRoadGraph(readRoadLines(demoCity));
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
  fleet.push({
    id: account.id,
    dutySessionId: online.sessionId!,
    walker: new RoadWalker(roads, random),
    seq: 0,
  });
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

const timer = setInterval(() => {
  if (!gateway.connected) return;
  const now = systemClock.now();
  for (let start = 0; start < fleet.length; start += locationLimits.maxGatewayDrivers) {
    const drivers = fleet.slice(start, start + locationLimits.maxGatewayDrivers).map((d) => {
      const { position, headingDeg } = d.walker.step(env.SIM_TICK_MS);
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
            speedMps: d.walker.speedMps,
            headingDeg,
          },
        ],
      };
    });
    gateway.timeout(10_000).emit('location:gateway-batch', { drivers }, (error, answer) => {
      if (error || !answer.ok)
        logger.warn({ error: error?.message ?? answer }, 'simulated positions not accepted');
    });
  }
}, env.SIM_TICK_MS);

onShutdown(logger, async () => {
  clearInterval(timer);
  gateway.disconnect();
  for (const d of fleet) {
    await setAvailability(core, { driverId: d.id, event: 'go_offline', actor: 'driver' }).catch(
      () => undefined,
    );
  }
  await postgres.pool.end();
  redis.disconnect();
});
