import type { Tracer } from '@opentelemetry/api';
import type { KafkaPort } from '@/server/infra/kafka';
import { type ConsumerOptions, groupId, startConsumer, type TopicNames } from '@/server/infra/kafka';
import type { Logger } from '@/server/infra/logger';
import type { WorkersMetrics } from '../metrics';

/** What every long-lived Kafka consumer of the workers process is given by start.ts. */
export interface WorkerConsumerDeps {
  kafka: KafkaPort;
  topics: TopicNames;
  topicPrefix: string;
  metrics: WorkersMetrics;
  logger: Logger;
}

/**
 * Starts the consumer group `<prefix><name>` from the oldest retained message (a new group must
 * see the whole log); `handle` gets the full group id, the label of its `consumed` counter.
 */
export function startWorkerConsumer(
  deps: WorkerConsumerDeps,
  consumer: {
    name: string;
    topics: string[];
    tracer?: Tracer;
    handle: (group: string) => ConsumerOptions['handle'];
  },
) {
  const group = groupId(deps.topicPrefix, consumer.name);
  return startConsumer({
    kafka: deps.kafka,
    groupId: group,
    topics: consumer.topics,
    fromBeginning: true,
    logger: deps.logger,
    tracer: consumer.tracer,
    handle: consumer.handle(group),
  });
}
