import { Redis } from 'ioredis';
import { runMigrations } from '@/db/migrate';
import { seedDemoData } from '@/db/seed';
import { ensureWebBuild } from '@/scripts/lib/build';
import { testStack } from '@/scripts/lib/environments';
import { ensureDatabase, ensureServices, recreateDatabase } from '@/scripts/lib/services';
import { startStack } from '@/scripts/lib/stack';
import { createKafka, ensureTopics } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { createPostgres } from '@/server/infra/postgres';

/**
 * A fresh test stack for the browser tests: database cloned from the migrated template and
 * seeded, the test Redis db emptied, the test topics and groups recreated, then workers,
 * realtime and web on 3100–3102. Returns the teardown.
 */
export default async function globalSetup() {
  const { kafkaBrokers } = await ensureServices();
  const stack = testStack(kafkaBrokers);
  const template = process.env.TEST_TEMPLATE_DATABASE ?? 'opendispatch_test_template';
  await runMigrations(await ensureDatabase(template));
  const url = await recreateDatabase(stack.database, template);
  const postgres = createPostgres(url, { max: 2 });
  await seedDemoData(postgres.db, { simDrivers: 5 });
  await postgres.pool.end();

  const redis = new Redis(stack.env.REDIS_URL!);
  await redis.flushdb();
  redis.disconnect();

  const prefix = stack.env.KAFKA_TOPIC_PREFIX!;
  const kafka = createKafka({
    brokers: kafkaBrokers,
    clientId: 'e2e-setup',
    logger: createLogger('e2e', 'error'),
  });
  const admin = kafka.admin();
  await admin.connect();
  const old = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (old.length > 0) await admin.deleteTopics({ topics: old });
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
  await ensureTopics(kafka, prefix);

  ensureWebBuild();
  const running = await startStack(stack, ['workers', 'realtime', 'web']);
  return async () => {
    await running.stop();
  };
}
