import { Redis } from 'ioredis';
import { runMigrations } from '@/db/migrate';
import { createKafka, ensureTopics } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import type { StackEnv } from './environments';
import { ensureDatabase, recreateDatabase } from './services';

/**
 * Puts a stack (the browser tests', a benchmark's) back to empty before a run: its database
 * re-cloned from the migrated template, its Redis db flushed, its topics and consumer groups
 * deleted and created again. Returns the database URL.
 */
export async function resetStack(stack: StackEnv, template: string): Promise<string> {
  await runMigrations(await ensureDatabase(template));
  const url = await recreateDatabase(stack.database, template);

  const redis = new Redis(stack.env.REDIS_URL!);
  await redis.flushdb();
  redis.disconnect();

  const prefix = stack.env.KAFKA_TOPIC_PREFIX!;
  const kafka = createKafka({
    brokers: stack.env.KAFKA_BROKERS!,
    clientId: `${stack.name}-reset`,
    logger: createLogger(stack.name, 'error'),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const old = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (old.length > 0) await admin.deleteTopics({ topics: old });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  // Topic deletion is asynchronous in Kafka: retry creation until the old ones are gone.
  for (let attempt = 0; ; attempt++) {
    try {
      await ensureTopics(kafka, prefix);
      return url;
    } catch (error) {
      if (attempt > 30) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
