import type { Registry } from 'prom-client';
import type { RateLimiter } from '../adapters/rate-limiter';
import { SessionAuth } from '../auth/session-auth';
import { loadEnv, type WebEnv, webEnvSchema } from '../env';
import type { CircuitBreaker } from '../infra/circuit-breaker';
import { FieldCipher } from '../infra/field-cipher';
import { createLogger, type Logger } from '../infra/logger';
import { createRegistry } from '../infra/metrics';
import { createPostgres, type PostgresHandle } from '../infra/postgres';
import { createRedis, type Redis } from '../infra/redis';
import type { BookingDeps } from '../services/booking/deps';
import { systemClock } from '../services/ports';
import { type WebMetrics, webMetrics } from './metrics';
import { nearestFromWorkers } from './nearest-from-workers';
import { resilientWebAdapters } from './resilient-adapters';

export interface WebDeps extends BookingDeps {
  env: WebEnv;
  logger: Logger;
  postgres: PostgresHandle;
  redis: Redis;
  rateLimiter: RateLimiter;
  redisBreaker: CircuitBreaker;
  registry: Registry;
  metrics: WebMetrics;
  /** Encrypts and decrypts personal fields (PII_KEYS). */
  cipher: FieldCipher;
  /** Who a session cookie belongs to, cached per process and kept current by PostgreSQL (ADR 0016). */
  sessions: SessionAuth;
}

const holder = globalThis as typeof globalThis & { __odWebDeps?: WebDeps };

/**
 * The web process's connections, created on first use (never at import: `next build` imports
 * route modules) and kept on globalThis so dev-mode module reloads do not leak pools.
 */
export function webDeps(): WebDeps {
  holder.__odWebDeps ??= createWebDeps(loadEnv(webEnvSchema));
  return holder.__odWebDeps;
}

/**
 * The web process's entry (server/web/main.ts) creates the dependencies first, with what Next's
 * bundles must not import (the road graph reads files next to its package); route modules that
 * call `webDeps()` later in the same process get the same object.
 */
export function initWebDeps(extra: (env: WebEnv) => Pick<WebDeps, 'estimator'>): WebDeps {
  if (holder.__odWebDeps) throw new Error('web dependencies were created before initWebDeps');
  const env = loadEnv(webEnvSchema);
  holder.__odWebDeps = { ...createWebDeps(env), ...extra(env) };
  return holder.__odWebDeps;
}

/** Builds the web dependencies for an environment (the process's own, or a test's). */
export function createWebDeps(env: WebEnv, logger: Logger = createLogger('web', env.LOG_LEVEL)): WebDeps {
  const postgres = createPostgres(env.DATABASE_URL, {
    applicationName: 'opendispatch-web',
    onIdleError: (err) => logger.warn({ err }, 'postgres connection lost'),
  });
  const redis = createRedis(env.REDIS_URL, { name: 'web' });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const registry = createRegistry('web');
  const metrics = webMetrics(registry);
  const adapters = resilientWebAdapters({
    redis,
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    logger,
    now: () => systemClock.now(),
    onCircuitChange: (dependency, state) => metrics.circuitState.inc({ dependency, state }),
  });
  return {
    registry,
    metrics,
    cipher: FieldCipher.fromSpec(env.PII_KEYS),
    sessions: new SessionAuth(postgres, env, logger),
    env,
    logger,
    postgres,
    redis,
    db: postgres.db,
    clock: systemClock,
    quoteSecret: env.QUOTE_SECRET,
    ...adapters,
    ...(env.NEAREST_URL
      ? {
          nearest: nearestFromWorkers({
            url: env.NEAREST_URL,
            secret: env.SOCKET_TOKEN_SECRET,
            fallback: adapters.liveIndex,
            logger,
          }),
        }
      : {}),
  };
}
