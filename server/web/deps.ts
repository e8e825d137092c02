import { defaultPresencePolicy } from '@/domain/driver-availability';
import { bullDispatchQueue } from '../adapters/dispatch-queue';
import { LiveIndex } from '../adapters/live-index';
import { RateLimiter } from '../adapters/rate-limiter';
import { SurgeStore } from '../adapters/surge-store';
import { loadEnv, type WebEnv, webEnvSchema } from '../env';
import { createLogger, type Logger } from '../infra/logger';
import { createPostgres, type PostgresHandle } from '../infra/postgres';
import { createRedis, type Redis } from '../infra/redis';
import type { BookingDeps } from '../services/booking/deps';
import { systemClock } from '../services/ports';

export interface WebDeps extends BookingDeps {
  env: WebEnv;
  logger: Logger;
  postgres: PostgresHandle;
  redis: Redis;
  rateLimiter: RateLimiter;
}

const holder = globalThis as typeof globalThis & { __odWebDeps?: WebDeps };

/**
 * The web process's connections, created on first use (never at import: `next build` imports
 * route modules) and kept on globalThis so dev-mode module reloads do not leak pools.
 */
export function webDeps(): WebDeps {
  if (holder.__odWebDeps) return holder.__odWebDeps;
  const env = loadEnv(webEnvSchema);
  const logger = createLogger('web', env.LOG_LEVEL);
  const postgres = createPostgres(env.DATABASE_URL, {
    applicationName: 'opendispatch-web',
    onIdleError: (err) => logger.warn({ err }, 'postgres connection lost'),
  });
  const redis = createRedis(env.REDIS_URL, { name: 'web' });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const liveIndex = new LiveIndex(redis, { prefix: env.REDIS_PREFIX, presence: defaultPresencePolicy });
  holder.__odWebDeps = {
    env,
    logger,
    postgres,
    redis,
    db: postgres.db,
    liveIndex,
    clock: systemClock,
    dispatch: bullDispatchQueue({
      redisUrl: env.REDIS_URL,
      prefix: env.REDIS_PREFIX,
      now: () => systemClock.now(),
    }),
    surge: new SurgeStore(redis, env.REDIS_PREFIX),
    quoteSecret: env.QUOTE_SECRET,
    rateLimiter: new RateLimiter(redis, env.REDIS_PREFIX, logger),
  };
  return holder.__odWebDeps;
}
