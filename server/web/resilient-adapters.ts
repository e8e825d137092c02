import { defaultPresencePolicy } from '@/domain/driver-availability';
import { afterCommitDispatch, bullDispatchQueue } from '../adapters/dispatch-queue';
import { LiveIndex } from '../adapters/live-index';
import { RateLimiter } from '../adapters/rate-limiter';
import { SurgeStore } from '../adapters/surge-store';
import { CircuitBreaker, type CircuitState, guarded } from '../infra/circuit-breaker';
import type { Logger } from '../infra/logger';
import type { Redis } from '../infra/redis';

/**
 * The web process's Redis-backed adapters behind one circuit breaker: when Redis is down, calls
 * fail at once instead of each waiting out a timeout. What then happens is each caller's
 * decision: quotes price without surge, rate limits allow, dispatch enqueues are deferred to the
 * reconciler, and reads that need Redis answer 503.
 */
export function resilientWebAdapters(options: {
  redis: Redis;
  redisUrl: string;
  prefix: string;
  logger: Logger;
  now: () => number;
  onCircuitChange?: (dependency: string, state: CircuitState) => void;
}) {
  const redisBreaker = new CircuitBreaker('redis', {
    failureThreshold: 3,
    resetAfterMs: 2_000,
    timeoutMs: 1_500,
    onStateChange: (state) => {
      options.logger.warn({ dependency: 'redis', state }, 'circuit breaker changed state');
      options.onCircuitChange?.('redis', state);
    },
  });
  const queue = bullDispatchQueue({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    now: options.now,
    onError: (err) => options.logger.warn({ err }, 'dispatch queue connection error'),
  });
  return {
    redisBreaker,
    liveIndex: guarded(
      new LiveIndex(options.redis, { prefix: options.prefix, presence: defaultPresencePolicy }),
      redisBreaker,
    ),
    surge: guarded(new SurgeStore(options.redis, options.prefix), redisBreaker),
    dispatch: afterCommitDispatch(guarded(queue, redisBreaker), options.logger),
    rateLimiter: new RateLimiter(guarded(options.redis, redisBreaker), options.prefix, options.logger),
  };
}
