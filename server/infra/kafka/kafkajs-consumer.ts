import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { ConsumerRun, RunningConsumer } from './port';

/**
 * A kafkajs consumer with at-least-once semantics: a batch's offsets are resolved and committed
 * only after `handle` succeeded, so a crash between processing and commit redelivers (sinks are
 * idempotent). Resolves once the group has been joined, so callers know it is live.
 */
export async function runKafkajsConsumer(kafka: Kafka, run: ConsumerRun): Promise<RunningConsumer> {
  const commit = run.commit ?? true;
  const consumer = kafka.consumer({
    groupId: run.groupId,
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
    run.logger.error({ err: event.payload.error, groupId: run.groupId }, 'kafka consumer crashed');
  });
  await consumer.connect();
  for (const topic of run.topics) {
    await consumer.subscribe({ topic, fromBeginning: run.fromBeginning ?? false });
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
      await run.handle(batch.messages, { topic: batch.topic, partition: batch.partition });
      const last = batch.messages[batch.messages.length - 1]!;
      resolveOffset(last.offset);
      if (commit) await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });
  await joined;
  return consumer;
}
