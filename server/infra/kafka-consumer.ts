import { type Context, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from './logger';
import { contextFrom, failSpan, inSpan, traceIdOf, traceparentsOf } from './trace-context';

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
  /**
   * Continues the producers' traces: a consumer span per trace the batch carries (none for a
   * batch that carries none), active while `handle` runs. Not for realtime (see trace-context.ts).
   */
  tracer?: Tracer;
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
      const at = { topic: batch.topic, partition: batch.partition };
      if (options.tracer) await handleTraced(options.tracer, options, batch.messages, at);
      else await options.handle(batch.messages, at);
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

/** At most this many traces get a span of their own per batch; a big backlog is not worth more. */
const maxTracedPerBatch = 32;

/** The distinct traces a batch carries (first context of each), from `traceparent` headers. */
export function carriedContexts(messages: KafkaMessage[], max = maxTracedPerBatch): Context[] {
  const found = new Map<string, Context>();
  for (const m of messages) {
    const header = m.headers?.traceparent;
    if (header === undefined) continue;
    for (const traceparent of traceparentsOf(header)) {
      const traceId = traceIdOf(traceparent);
      if (found.has(traceId)) continue;
      const ctx = contextFrom({ traceparent, tracestate: m.headers?.tracestate });
      if (ctx) found.set(traceId, ctx);
      if (found.size >= max) return [...found.values()];
    }
  }
  return [...found.values()];
}

function consumerAttributes(topic: string, partition: number, group: string, count: number) {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.consumer.group.name': group,
    'messaging.batch.message_count': count,
  };
}

/**
 * One span per carried trace, each a child of its producer's span, all covering the whole batch
 * (the work is shared); the first is active while `handle` runs, so logs carry its ids.
 */
async function handleTraced(
  tracer: Tracer,
  options: ConsumerOptions,
  messages: KafkaMessage[],
  at: { topic: string; partition: number },
): Promise<void> {
  const parents = carriedContexts(messages);
  if (parents.length === 0) return options.handle(messages, at);
  const name = `process ${at.topic}`;
  const kind = SpanKind.CONSUMER;
  const attributes = consumerAttributes(at.topic, at.partition, options.groupId, messages.length);
  const others: Span[] = parents
    .slice(1)
    .map((parent) => tracer.startSpan(name, { kind, attributes }, parent));
  try {
    await inSpan(tracer, name, { kind, attributes, parent: parents[0] }, () => options.handle(messages, at));
  } catch (error) {
    for (const span of others) failSpan(span, error);
    throw error;
  } finally {
    for (const span of others) span.end();
  }
}

/**
 * For readers that fan out message by message without making contexts active (realtime): a
 * consumer span under the message's producer, and the context to start child spans in.
 * Undefined (nothing started) when the message carries no trace.
 */
export function startMessageSpan(
  tracer: Tracer,
  message: KafkaMessage,
  at: { topic: string; partition: number; group: string },
): { span: Span; context: Context } | undefined {
  const parent = message.headers?.traceparent === undefined ? undefined : contextFrom(message.headers);
  if (!parent) return undefined;
  const span = tracer.startSpan(
    `process ${at.topic}`,
    { kind: SpanKind.CONSUMER, attributes: consumerAttributes(at.topic, at.partition, at.group, 1) },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}
