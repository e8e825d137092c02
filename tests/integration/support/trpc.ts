import type { SessionUser } from '@/server/auth/session-user';
import { loadEnv, webEnvSchema } from '@/server/env';
import { createCallerFactory } from '@/server/trpc/init';
import { appRouter } from '@/server/trpc/routers/app';
import type { WebDeps } from '@/server/web/deps';
import type { Harness } from './harness';

/** The web process's dependencies over the harness's real services. */
export function webDepsFor(h: Harness): WebDeps {
  const env = loadEnv(webEnvSchema, {
    APP_ENV: 'test',
    DATABASE_URL: h.databaseUrl,
    REDIS_PREFIX: h.redisPrefix,
    KAFKA_TOPIC_PREFIX: h.topicPrefix,
    QUOTE_SECRET: h.quoteSecret,
  });
  return { ...h.booking, env, logger: h.logger, postgres: h.postgres, redis: h.redis };
}

const createCaller = createCallerFactory(appRouter);

/** A tRPC caller acting as `user` (or anonymous), through every middleware of the real router. */
export function callerFor(h: Harness, user: SessionUser | null) {
  return createCaller({ deps: webDepsFor(h), user });
}
