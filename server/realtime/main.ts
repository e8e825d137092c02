import { randomUUID } from 'node:crypto';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { LiveIndex } from '../adapters/live-index';
import { loadEnv, realtimeEnvSchema } from '../env';
import { BatchingProducer } from '../infra/batching-producer';
import { healthReport } from '../infra/health';
import { createKafka, createProducer, ensureTopics } from '../infra/kafka';
import { createLogger } from '../infra/logger';
import { createPostgres } from '../infra/postgres';
import { createRedis } from '../infra/redis';
import { onShutdown } from '../infra/shutdown';
import { LocationIngestor } from '../services/ingest-location-batch';
import { systemClock } from '../services/ports';
import { createRealtime } from './create-realtime';

const env = loadEnv(realtimeEnvSchema);
const instanceId = env.INSTANCE_ID ?? randomUUID().slice(0, 8);
const logger = createLogger('realtime', env.LOG_LEVEL).child({ instanceId });

const postgres = createPostgres(env.DATABASE_URL, { max: 5, applicationName: 'opendispatch-realtime' });
const redis = createRedis(env.REDIS_URL, { name: 'realtime' });
redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: `realtime-${instanceId}`, logger });
const topics = await ensureTopics(kafka, env.KAFKA_TOPIC_PREFIX);
const producer = createProducer(kafka);
await producer.connect();
const batcher = new BatchingProducer(producer);
const liveIndex = new LiveIndex(redis, {
  prefix: env.REDIS_PREFIX,
  offlineAfterMs: defaultPresencePolicy.offlineAfterMs,
});

const ingestor = new LocationIngestor({
  liveIndex,
  clock: systemClock,
  publish: (records) =>
    batcher.send(
      topics.driverLocation,
      records.map((r) => ({ key: r.driverId, value: JSON.stringify(r) })),
    ),
});

const realtime = await createRealtime({
  env,
  instanceId,
  logger,
  db: postgres.db,
  kafka,
  topics,
  clock: systemClock,
  ingestor,
  health: () =>
    healthReport('realtime', {
      postgres: () => postgres.pool.query('select 1'),
      redis: () => redis.ping(),
    }),
});

realtime.http.listen(env.REALTIME_PORT, () => logger.info({ port: env.REALTIME_PORT }, 'realtime listening'));

onShutdown(logger, async () => {
  await realtime.close();
  await batcher.flush();
  await producer.disconnect();
  await postgres.pool.end();
  redis.disconnect();
});
