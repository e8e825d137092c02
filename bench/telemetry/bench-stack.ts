import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { runMigrations } from '@/db/migrate';
import { users } from '@/db/schema';
import { benchStack, type StackEnv } from '@/scripts/lib/environments';
import { ensureDatabase, recreateDatabase } from '@/scripts/lib/services';
import { signSocketToken } from '@/server/auth/socket-token';
import { createKafka, ensureTopics } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { createPostgres } from '@/server/infra/postgres';
import { openAuthSession } from '@/server/services/account/auth-sessions';

/**
 * A clean, isolated stack for one benchmark run: a fresh database from the migrated template,
 * an empty Redis db, recreated topics and consumer groups under the `bench.` prefix.
 */
export async function prepareBenchStack(kafkaBrokers: string): Promise<StackEnv> {
  const stack = benchStack(kafkaBrokers);
  const template = 'opendispatch_test_template';
  await runMigrations(await ensureDatabase(template));
  await recreateDatabase(stack.database, template);
  const redis = new Redis(stack.env.REDIS_URL!);
  await redis.flushdb();
  redis.disconnect();
  const prefix = stack.env.KAFKA_TOPIC_PREFIX!;
  const kafka = createKafka({
    brokers: kafkaBrokers,
    clientId: 'bench-setup',
    logger: createLogger('bench', 'error'),
  });
  const admin = kafka.admin();
  await admin.connect();
  const old = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (old.length > 0) await admin.deleteTopics({ topics: old });
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
  // Topic deletion is asynchronous in Kafka: retry creation until the old ones are gone.
  for (let attempt = 0; ; attempt++) {
    try {
      await ensureTopics(kafka, prefix);
      break;
    } catch (error) {
      if (attempt > 30) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return stack;
}

/** Dispatcher accounts with open sessions, and a socket token for each. */
export async function dispatcherTokens(stack: StackEnv, count: number): Promise<string[]> {
  const { pool, db } = createPostgres(stack.env.DATABASE_URL!, { max: 2 });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const [user] = await db
        .insert(users)
        .values({
          email: `bench-dispatcher-${i}-${randomBytes(3).toString('hex')}@bench.test`,
          name: `Bench dispatcher ${i}`,
          role: 'dispatcher',
          passwordHash: 'not-a-login-account',
        })
        .returning({ id: users.id });
      const sessionId = await openAuthSession(db, user!.id, Date.now());
      const { token } = await signSocketToken(
        { id: user!.id, role: 'dispatcher', sessionId },
        stack.env.SOCKET_TOKEN_SECRET!,
        Date.now(),
        3_600,
      );
      tokens.push(token);
    }
    return tokens;
  } finally {
    await pool.end();
  }
}
