import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * `forQueue` connections are for BullMQ workers, which must never give up on a command
 * (maxRetriesPerRequest: null); everything else fails fast so requests can answer 503.
 */
export function createRedis(url: string, options: { forQueue?: boolean; name?: string } = {}): Redis {
  const base: RedisOptions = {
    connectionName: options.name,
    lazyConnect: false,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  return new Redis(url, {
    ...base,
    ...(options.forQueue
      ? { maxRetriesPerRequest: null, enableOfflineQueue: true }
      : { maxRetriesPerRequest: 2, connectTimeout: 5_000, commandTimeout: 5_000 }),
  });
}
