import { defaultPresencePolicy } from '@/domain/driver-availability';
import { seededRandom } from '@/domain/seeded-random';
import { LiveIndex } from '@/server/adapters/live-index';
import { createRedis } from '@/server/infra/redis';
import { Histogram } from '../lib/histogram';
import { runChild } from './child';
import { randomPointInCity, vehicleTypeIds } from './fleet';

/**
 * Nearest-driver queries against the live index while telemetry streams in: `concurrency`
 * queries in flight, random points in the city, k = 10 of a random vehicle type within 3 km.
 * This is the query dispatch runs for every booking.
 */
export interface NearestConfig {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  seed: number;
}

export interface NearestReport {
  queries: number;
  latency: ReturnType<Histogram['snapshot']>;
  measuringMs: number;
  meanFound: number;
  meanCellsRead: number;
}

void runChild<NearestConfig>(async (config) => {
  const redis = createRedis(config.redisUrl, { name: 'bench-nearest' });
  const index = new LiveIndex(redis, { prefix: config.prefix, presence: defaultPresencePolicy });
  const random = seededRandom(config.seed);
  const latency = new Histogram();
  let queries = 0;
  let found = 0;
  let cellsRead = 0;
  let running = false;
  let startedAt = 0;
  let stoppedAt = 0;
  const loops: Promise<void>[] = [];

  const loop = async () => {
    while (running) {
      const point = randomPointInCity(random);
      const vehicleTypeId = vehicleTypeIds[Math.floor(random() * vehicleTypeIds.length)]!;
      const t = performance.now();
      const result = await index.nearest({
        ...point,
        vehicleTypeId,
        k: 10,
        maxRadiusM: 3_000,
        nowMs: Date.now(),
      });
      latency.record(performance.now() - t);
      queries++;
      found += result.drivers.length;
      cellsRead += result.cellsRead;
    }
  };

  return {
    start() {
      running = true;
      startedAt = performance.now();
      for (let i = 0; i < config.concurrency; i++) loops.push(loop());
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      stoppedAt = performance.now();
      redis.disconnect();
    },
    report(): NearestReport {
      return {
        queries,
        latency: latency.snapshot(),
        measuringMs: (stoppedAt || performance.now()) - startedAt,
        meanFound: queries ? found / queries : 0,
        meanCellsRead: queries ? cellsRead / queries : 0,
      };
    },
  };
});
