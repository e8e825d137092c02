import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DispatchPolicy } from '@/domain/dispatch-policy';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { travelEstimatorFor } from '@/server/adapters/city-roads';
import { bullDispatchQueue } from '@/server/adapters/dispatch-queue';
import { LiveIndex } from '@/server/adapters/live-index';
import { SurgeStore } from '@/server/adapters/surge-store';
import type { WorkersEnv } from '@/server/env';
import { connectBackends } from '@/server/infra/backends';
import { healthReport } from '@/server/infra/health';
import { consumerLagReader, groupId } from '@/server/infra/kafka';
import type { Logger } from '@/server/infra/logger';
import { createRegistry } from '@/server/infra/metrics';
import { opsRequestHandler } from '@/server/infra/ops-http';
import { ensureTracing } from '@/server/infra/tracing';
import { analyticsGroupName } from '@/server/services/analytics/analytics-batch';
import { type Clock, systemClock } from '@/server/services/ports';
import { startAnalyticsWorkers } from './analytics-start';
import { startDispatchWorker } from './dispatch-worker';
import { startLiveIndexConsumer } from './live-index-consumer';
import { startLocationHistoryConsumer } from './location-history-consumer';
import { workersMetrics } from './metrics';
import { nearestHttpHandler } from './nearest-http';
import { startNearestIndexFeed } from './nearest-index-feed';
import { startOutboxRelay } from './outbox-relay-loop';
import { startScheduledJobs } from './scheduled-jobs';
import { startTripFactsConsumer } from './trip-facts-consumer';

export interface WorkersProcess {
  port: number;
  close(): Promise<void>;
}

/** Wires and starts every worker: outbox relay, Kafka consumers, BullMQ jobs, and /health. */
export async function startWorkersProcess(
  env: WorkersEnv,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<WorkersProcess> {
  const tracing = ensureTracing('workers', env, logger);
  const backends = await connectBackends(env, logger, {
    service: 'workers',
    // One connection per dispatch job in flight (each holds its transaction across the live-index
    // search) plus the relay and its LISTEN, the two projectors and the scheduled jobs (ADR 0017).
    poolMax: env.DISPATCH_CONCURRENCY + 6,
    kafkaClientId: 'workers',
  });
  const { postgres, redis, kafka, topics, producer } = backends;
  const liveIndex = new LiveIndex(redis, { prefix: env.REDIS_PREFIX, presence: defaultPresencePolicy });
  // The in-memory index (ADR 0018) answers web's nearest-driver questions; warm before we listen.
  const nearestFeed = await startNearestIndexFeed({
    kafka,
    topics,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    logger,
    redis,
    redisPrefix: env.REDIS_PREFIX,
    instanceId: randomUUID().slice(0, 8),
  });
  // Dispatch still asks Redis (ADR 0018, both amendments): with the in-memory index, T4 under CI's
  // load left drivers that PostgreSQL had freed never offered again (47 of 50 assigned). The index
  // serves web's nearest-driver questions (below) until that is found and fixed.
  const core = { db: postgres.db, liveIndex, clock, logger };
  const dispatch = bullDispatchQueue({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    now: () => clock.now(),
    onError: (err) => logger.warn({ err }, 'dispatch queue connection error'),
  });
  // Workers never sign quotes; the key is only part of the shared dependency shape.
  const bookingDeps = {
    ...core,
    dispatch,
    surge: new SurgeStore(redis, env.REDIS_PREFIX),
    quoteSecret: '',
    dispatchPolicy: dispatchPolicyFromEnv(env),
    estimator: travelEstimatorFor(env.TRAVEL_ESTIMATOR),
  };
  const registry = createRegistry('workers');
  const admin = kafka.admin();
  await admin.connect();
  // The analytics group's id changes with each rebuild; its lag is reported as `<prefix>analytics`.
  let analyticsGeneration = () => 0;
  const lag = consumerLagReader(admin, () => [
    {
      groupId: groupId(env.KAFKA_TOPIC_PREFIX, 'live-index'),
      topics: [topics.driverLocation, topics.driverEvents],
    },
    { groupId: groupId(env.KAFKA_TOPIC_PREFIX, 'location-history'), topics: [topics.driverLocation] },
    { groupId: groupId(env.KAFKA_TOPIC_PREFIX, 'trip-facts'), topics: [topics.bookingEvents] },
    ...(analyticsGeneration() > 0
      ? [
          {
            groupId: groupId(env.KAFKA_TOPIC_PREFIX, analyticsGroupName(analyticsGeneration())),
            label: groupId(env.KAFKA_TOPIC_PREFIX, 'analytics'),
            topics: [topics.bookingEvents, topics.driverEvents],
          },
        ]
      : []),
  ]);
  const metrics = workersMetrics(registry, {
    queueJobs: () => dispatch.counts(),
    consumerLag: () => lag(),
    outboxBacklog: async () =>
      (await postgres.pool.query<{ n: number }>('select count(*)::int as n from outbox')).rows[0]!.n,
  });

  const relay = await startOutboxRelay({
    pool: postgres.pool,
    logger,
    topicName: (topic) => topics[topic],
    publish: async (messages) => {
      await producer.sendBatch({
        acks: -1,
        topicMessages: messages.map((m) => ({
          topic: topics[m.topic],
          messages: [{ key: m.key, value: m.value, headers: m.headers }],
        })),
      });
      metrics.outboxRelayed.inc(messages.length);
    },
  });
  const consumerDeps = { kafka, topics, topicPrefix: env.KAFKA_TOPIC_PREFIX, metrics, logger };
  const liveIndexConsumer = await startLiveIndexConsumer({ ...consumerDeps, liveIndex });
  const historyConsumer = await startLocationHistoryConsumer({ ...consumerDeps, pool: postgres.pool });
  const tripFactsConsumer = await startTripFactsConsumer({ ...consumerDeps, pool: postgres.pool });
  const analytics = await startAnalyticsWorkers({
    ...core,
    kafka,
    topics,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    pool: postgres.pool,
    surge: bookingDeps.surge,
    metrics,
  });
  analyticsGeneration = analytics.generation;
  const scheduled = await startScheduledJobs({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    presenceEveryMs: env.PRESENCE_SWEEP_MS,
    reconcileEveryMs: env.DISPATCH_RECONCILE_MS,
    retention: { retentionDays: env.HISTORY_RETENTION_DAYS, daysAhead: 3 },
    deps: bookingDeps,
    pool: postgres.pool,
    logger,
  });
  const dispatchWorker = startDispatchWorker({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    concurrency: env.DISPATCH_CONCURRENCY,
    deps: bookingDeps,
    logger,
    metrics,
  });
  const ops = opsRequestHandler({
    health: () =>
      healthReport('workers', {
        postgres: () => postgres.pool.query('select 1'),
        redis: () => redis.ping(),
      }),
    metrics: registry,
  });
  // Web's nearest-driver questions come here: this process holds the index (ADR 0018).
  const nearestHttp = nearestHttpHandler({ source: nearestFeed.index, secret: env.SOCKET_TOKEN_SECRET });
  const http = createServer((req, res) => {
    if (!nearestHttp(req, res)) ops(req, res);
  });
  await new Promise<void>((resolve) => http.listen(env.WORKERS_PORT, resolve));
  const port = (http.address() as AddressInfo).port;
  logger.info({ port }, 'workers listening');

  return {
    port,
    async close() {
      http.close();
      await dispatchWorker.close();
      await scheduled.close();
      await dispatch.close();
      await relay.stop();
      await liveIndexConsumer.disconnect();
      await nearestFeed.close();
      await historyConsumer.disconnect();
      await tripFactsConsumer.disconnect();
      await analytics.close();
      await admin.disconnect();
      await backends.close();
      await tracing.shutdown();
    },
  };
}

function dispatchPolicyFromEnv(env: WorkersEnv): Partial<DispatchPolicy> {
  return {
    offerTtlMs: env.DISPATCH_OFFER_TTL_MS,
    maxOffers: env.DISPATCH_MAX_OFFERS,
    maxSearchMs: env.DISPATCH_MAX_SEARCH_MS,
    retryDelayMs: env.DISPATCH_RETRY_MS,
    stuckAfterMs: env.DISPATCH_STUCK_AFTER_MS,
  };
}
