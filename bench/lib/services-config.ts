/**
 * Where the benchmarks find the backing services: the same loopback services `ensureServices`
 * (scripts/lib/services.ts) starts or reuses. Kafka's address comes from ensureServices itself.
 */
export { postgresAdminUrl } from '@/scripts/lib/services';

/** Database 0 like the development stack; benchmark keys live under their own prefix. */
export const redisUrl = 'redis://127.0.0.1:6379/0';

export function postgresUrl(database: string): string {
  return `postgres://postgres@127.0.0.1:5432/${database}`;
}
