import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from './logger';

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** Start from the oldest retained message when the group has no committed offset. */
  fromBeginning?: boolean;
  /** Commit offsets after each handled batch. Off for per-instance fan-out readers. */
  commit?: boolean;
  /** Handles one partition's batch; offsets are committed only after it resolves. */
  handle: (messages: KafkaMessage[], context: { topic: string; partition: number }) => Promise<void>;
}

/**
 * A consumer with at-least-once semantics: a batch's offsets are resolved and committed only
 * after `handle` succeeded, so a crash between processing and commit redelivers (sinks are
 * idempotent). Resolves once the group has been joined, so callers know it is live.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const commit = options.commit ?? true;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 10_000,
    maxWaitTimeInMs: 50,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  consumer.on(consumer.events.CRASH, (event) => {
    options.logger.error({ err: event.payload.error, groupId: options.groupId }, 'kafka consumer crashed');
  });
  await consumer.connect();
  for (const topic of options.topics) {
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? false });
  }
  await consumer.run({
    autoCommit: commit,
    autoCommitInterval: 1_000,
    eachBatchAutoResolve: false,
    eachBatch: async ({
      batch,
      resolveOffset,
      heartbeat,
      commitOffsetsIfNecessary,
      isStale,
    }: EachBatchPayload) => {
      if (batch.messages.length === 0 || isStale()) return;
      await options.handle(batch.messages, { topic: batch.topic, partition: batch.partition });
      const last = batch.messages[batch.messages.length - 1]!;
      resolveOffset(last.offset);
      if (commit) await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });
  await joined;
  return consumer;
}

export function parseJson<T>(message: KafkaMessage): T | null {
  if (!message.value) return null;
  try {
    return JSON.parse(message.value.toString('utf8')) as T;
  } catch {
    return null;
  }
}
