import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { z } from 'zod';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { postgresAdminUrl } from '@/scripts/lib/services';
import { bullDispatchQueue } from '@/server/adapters/dispatch-queue';
import { LiveIndex } from '@/server/adapters/live-index';
import { SurgeStore } from '@/server/adapters/surge-store';
import {
  createKafka,
  defaultKafkaClient,
  ensureTopics,
  type KafkaPort,
  kafkaClients,
  type TopicNames,
} from '@/server/infra/kafka';
import type { Logger } from '@/server/infra/logger';
import { createPostgres, type PostgresHandle } from '@/server/infra/postgres';
import { createRedis, type Redis } from '@/server/infra/redis';
import type { BookingDeps } from '@/server/services/booking/deps';
import type { Clock, CoreDeps } from '@/server/services/ports';
import { systemClock } from '@/server/services/ports';

/** Integration tests use Redis db 2; dev uses 0 and the browser tests 1. */
const redisUrl = 'redis://127.0.0.1:6379/2';

/** KAFKA_CLIENT picks the Kafka client here and in the app processes started on a harness (ADR 0022). */
const kafkaClient = z
  .enum(kafkaClients)
  .default(defaultKafkaClient)
  .parse(process.env.KAFKA_CLIENT || undefined);

export interface Harness {
  id: string;
  databaseName: string;
  databaseUrl: string;
  postgres: PostgresHandle;
  redis: Redis;
  redisPrefix: string;
  kafka: KafkaPort;
  kafkaBrokers: string;
  topicPrefix: string;
  topics: TopicNames;
  liveIndex: LiveIndex;
  logger: Logger;
  clock: Clock;
  core: CoreDeps;
  /** Core plus the dispatch queue (real BullMQ, this file's prefix), surge store and a quote key. */
  booking: BookingDeps;
  redisUrl: string;
  quoteSecret: string;
  /** Signs this file's socket tokens (the realtime processes started on it check them). */
  socketSecret: string;
  /**
   * Registers what `cleanup` stops before it removes the services (last registered first): the
   * apps and sockets a test started on this harness.
   */
  beforeCleanup(stop: () => unknown): void;
  /** Stops what was registered, then removes the database, Redis keys and topics. */
  cleanup(): Promise<void>;
}

async function createDatabaseFromTemplate(name: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    // Two files cloning the template at the same instant can collide; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template "${template}"`);
        return;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Real PostgreSQL, Redis and Kafka, isolated per test file: its own database (cloned from the
 * migrated template), its own Redis key prefix and its own Kafka topics. `cleanup` removes all three.
 */
export async function createHarness(
  name: string,
  options: { clock?: Clock; kafkaBrokers?: string; postgresConnectTimeoutMs?: number } = {},
): Promise<Harness> {
  const id = `${name.replace(/[^a-z0-9]/gi, '').toLowerCase()}${randomBytes(3).toString('hex')}`;
  const template = process.env.TEST_TEMPLATE_DATABASE ?? 'opendispatch_test_template';
  const kafkaBrokers = options.kafkaBrokers ?? (process.env.TEST_KAFKA_BROKERS || '127.0.0.1:9092');
  const databaseName = `it_${id}`;
  await createDatabaseFromTemplate(databaseName, template);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${databaseName}`;
  const postgres = createPostgres(databaseUrl, {
    max: 10,
    applicationName: `it-${id}`,
    connectTimeoutMs: options.postgresConnectTimeoutMs,
  });
  const redis = createRedis(redisUrl, { name: `it-${id}` });
  const redisPrefix = `it-${id}`;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const kafka = createKafka({
    brokers: kafkaBrokers,
    clientId: `it-${id}`,
    logger,
    client: kafkaClient,
  });
  const topicPrefix = `it.${id}.`;
  const topics = await ensureTopics(kafka, topicPrefix);
  const clock = options.clock ?? systemClock;
  const liveIndex = new LiveIndex(redis, { prefix: redisPrefix, presence: defaultPresencePolicy });
  const core = { db: postgres.db, liveIndex, clock, logger };
  const quoteSecret = randomBytes(32).toString('hex');
  const dispatch = bullDispatchQueue({ redisUrl, prefix: redisPrefix, now: () => clock.now() });
  const stops: (() => unknown)[] = [];
  return {
    id,
    databaseName,
    databaseUrl,
    postgres,
    redis,
    redisPrefix,
    kafka,
    kafkaBrokers,
    topicPrefix,
    topics,
    liveIndex,
    logger,
    clock,
    core,
    booking: { ...core, dispatch, surge: new SurgeStore(redis, redisPrefix), quoteSecret },
    redisUrl,
    quoteSecret,
    socketSecret: randomBytes(32).toString('hex'),
    beforeCleanup: (stop) => void stops.push(stop),
    async cleanup() {
      const failures: unknown[] = [];
      for (const stop of stops.splice(0).reverse()) {
        await Promise.resolve()
          .then(stop)
          .catch((error) => failures.push(error));
      }
      await dispatch.close();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      await postgres.pool.end();
      await dropDatabase(databaseName);
      if (failures.length > 0) throw new AggregateError(failures, 'stopping what ran on the harness failed');
    },
  };
}

/** The settings that point an app process at the harness's services, with its secrets. */
export function appEnvOf(h: Harness): Record<string, string> {
  return {
    APP_ENV: 'test',
    DATABASE_URL: h.databaseUrl,
    REDIS_URL: h.redisUrl,
    REDIS_PREFIX: h.redisPrefix,
    KAFKA_BROKERS: h.kafkaBrokers,
    KAFKA_CLIENT: h.kafka.client,
    KAFKA_TOPIC_PREFIX: h.topicPrefix,
    SOCKET_TOKEN_SECRET: h.socketSecret,
    QUOTE_SECRET: h.quoteSecret,
  };
}

/**
 * For `vi.waitFor`, which retries while its callback throws: `value` once it is truthy, else an
 * error naming what is awaited, so a timeout says what never happened.
 */
export function ready<T>(what: string, value: T | null | undefined | false): T {
  if (!value) throw new Error(`Still waiting for ${what}`);
  return value;
}
