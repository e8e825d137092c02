import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { defaultLocationFilterPolicy } from '@/domain/location';
import { bullDispatchQueue } from '../adapters/dispatch-queue';
import { LiveIndex } from '../adapters/live-index';
import { SurgeStore } from '../adapters/surge-store';
import type { RealtimeEnv } from '../env';
import { connectBackends } from '../infra/backends';
import { healthReport } from '../infra/health';
import { IngestBackpressure } from '../infra/ingest-backpressure';
import { BatchingProducer, topicSpecs } from '../infra/kafka';
import { type LocationMessage, packLocationFrames } from '../infra/location-frames';
import { LocationTracing } from '../infra/location-tracing';
import type { Logger } from '../infra/logger';
import { createRegistry } from '../infra/metrics';
import { tracerFor } from '../infra/trace-context';
import { ensureTracing } from '../infra/tracing';
import { expireOffer } from '../services/booking/expire-offer';
import { LocationIngestor } from '../services/location/ingest-location-batch';
import { type Clock, systemClock } from '../services/ports';
import { createRealtime, type RealtimeHandle } from './create-realtime';
import { FleetView } from './fleet-view';
import { realtimeMetrics } from './metrics';

export interface RealtimeProcess extends RealtimeHandle {
  port: number;
  instanceId: string;
}

/** Wires and starts the realtime process (used by main.ts and by the integration tests). */
export async function startRealtimeProcess(
  env: RealtimeEnv,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<RealtimeProcess> {
  const instanceId = env.INSTANCE_ID ?? randomUUID().slice(0, 8);
  const log = logger.child({ instanceId });
  const tracing = ensureTracing('realtime', env, log);
  const locationTraces = new LocationTracing(tracerFor('realtime'), env.LOCATION_TRACES_SAMPLER_ARG);
  const backends = await connectBackends(env, log, {
    service: 'realtime',
    poolMax: 5,
    kafkaClientId: `realtime-${instanceId}`,
  });
  const { postgres, redis, kafka, topics, producer } = backends;
  // Positions leave as frames (one Kafka record per partition per batch): see location-frames.ts.
  // Records go to the batcher as objects: they are encoded once, into the frame (no JSON per record).
  const batcher = new BatchingProducer<LocationMessage>(producer, {
    // One request in flight: up to 8,000 positions (~2 MB in frames of 500) per round trip keeps
    // 25k/s flowing even when the broker answers slowly.
    maxBatchMessages: 8_000,
    pack: packLocationFrames(topicSpecs.driverLocation.partitions, locationTraces),
  });
  const liveIndex = new LiveIndex(redis, { prefix: env.REDIS_PREFIX, presence: defaultPresencePolicy });
  const surge = new SurgeStore(redis, env.REDIS_PREFIX);
  const dispatch = bullDispatchQueue({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    now: () => clock.now(),
  });
  const bookingDeps = { db: postgres.db, liveIndex, clock, logger: log, dispatch, surge, quoteSecret: '' };
  const registry = createRegistry('realtime');
  const fleet = new FleetView();
  const metrics = realtimeMetrics(registry, () => fleet.size);
  // Behind = positions awaiting Kafka or a late event loop: the ack tells senders to wait (ADR 0019).
  const backpressure = new IngestBackpressure(() => batcher.pendingMessages).start();
  const ingestor = new LocationIngestor({
    liveIndex,
    clock,
    pressure: () => backpressure.now(),
    policy: {
      ...defaultLocationFilterPolicy,
      maxAccuracyM: env.LOCATION_MAX_ACCURACY_M,
      maxSpeedMps: env.LOCATION_MAX_SPEED_MPS,
      maxFutureSkewMs: env.LOCATION_MAX_FUTURE_SKEW_MS,
      maxAgeMs: env.LOCATION_MAX_AGE_MS,
    },
    onDropped: (reason, count) => metrics.pings.inc({ outcome: 'dropped', reason }, count),
    publish: async (records) => {
      const stop = metrics.publishSeconds.startTimer();
      await batcher.send(
        topics.driverLocation,
        records.map((r) => ({ key: r.driverId, value: r })),
      );
      stop();
      metrics.pings.inc({ outcome: 'accepted', reason: '' }, records.length);
    },
  });
  const realtime = await createRealtime({
    env,
    instanceId,
    logger: log,
    db: postgres.db,
    kafka,
    topics,
    clock,
    ingestor,
    fleet,
    hydrate: () => liveIndex.snapshot(),
    expireOffer: (bookingId, offerSeq, reason) =>
      expireOffer(bookingDeps, { bookingId, offerSeq, reason, early: true }),
    publishSupply: (supply) => surge.writeSupply(supply),
    sessionSweepMs: env.SESSION_CHECK_MS,
    locationTraces,
    staleAfterMs: defaultPresencePolicy.staleAfterMs,
    registry,
    metrics,
    health: () =>
      healthReport('realtime', {
        postgres: () => postgres.pool.query('select 1'),
        redis: () => redis.ping(),
      }),
  });
  await new Promise<void>((resolve) => realtime.http.listen(env.REALTIME_PORT, resolve));
  const port = (realtime.http.address() as AddressInfo).port;
  log.info({ port }, 'realtime listening');
  return {
    ...realtime,
    port,
    instanceId,
    async close() {
      await realtime.close();
      await dispatch.close();
      backpressure.stop();
      await batcher.flush();
      await backends.close();
      await tracing.shutdown();
    },
  };
}
