import type { RetryDelayGetter } from '@platformatic/kafka';

/**
 * Connection settings shared by @platformatic/kafka clients, matching the kafkajs adapter's:
 * 3 s to connect, 30 s per request, 8 retries backing off from 200 ms to at most 5 s.
 */
export function platformaticBase(options: { brokers: string; clientId: string }) {
  const retryDelay: RetryDelayGetter = (_client, _operation, attempt) => Math.min(200 * 2 ** attempt, 5_000);
  return {
    clientId: options.clientId,
    bootstrapBrokers: options.brokers.split(',').map((b) => b.trim()),
    connectTimeout: 3_000,
    timeout: 30_000,
    retries: 8,
    retryDelay,
    autocreateTopics: false,
  };
}
