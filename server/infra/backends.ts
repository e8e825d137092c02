import type { CommonEnv } from '../env';
import { createKafka, ensureTopics } from './kafka';
import type { Logger } from './logger';
import { createPostgres } from './postgres';
import { createRedis } from './redis';

/**
 * The connections a long-running back-end process (realtime, workers) opens at start: PostgreSQL,
 * Redis, Kafka with its topics ensured, and a connected producer. Lost connections are logged, not
 * fatal: the clients reconnect.
 */
export async function connectBackends(
  env: CommonEnv,
  logger: Logger,
  role: { service: 'realtime' | 'workers'; poolMax: number; kafkaClientId: string },
) {
  const postgres = createPostgres(env.DATABASE_URL, {
    max: role.poolMax,
    applicationName: `opendispatch-${role.service}`,
    onIdleError: (err) => logger.warn({ err }, 'postgres connection lost'),
  });
  const redis = createRedis(env.REDIS_URL, { name: role.service });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const kafka = createKafka({
    brokers: env.KAFKA_BROKERS,
    clientId: role.kafkaClientId,
    logger,
    client: env.KAFKA_CLIENT,
  });
  const topics = await ensureTopics(kafka, env.KAFKA_TOPIC_PREFIX);
  const producer = kafka.producer();
  await producer.connect();
  return {
    postgres,
    redis,
    kafka,
    topics,
    producer,
    /** Closes what this opened; call it after everything that uses these connections has stopped. */
    async close() {
      await producer.disconnect();
      await postgres.pool.end();
      redis.disconnect();
    },
  };
}
