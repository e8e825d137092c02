import { type Context, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import { contextFrom, failSpan, inSpan, traceIdOf, traceparentsOf } from '../trace-context';
import type { ConsumedMessage, ConsumerRun, KafkaPort, RunningConsumer } from './port';

export interface ConsumerOptions extends ConsumerRun {
  kafka: KafkaPort;
  /**
   * Continues the producers' traces: a consumer span per trace the batch carries (none for a
   * batch that carries none), active while `handle` runs. Not for realtime (see trace-context.ts).
   */
  tracer?: Tracer;
}

/**
 * Runs a consumer group on whichever client the port wraps (at least once; see KafkaPort), with the
 * producers' traces continued around each batch when a tracer is given.
 */
export function startConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const { kafka, tracer, ...run } = options;
  if (!tracer) return kafka.startConsumer(run);
  return kafka.startConsumer({
    ...run,
    handle: (messages, at) => handleTraced(tracer, options, messages, at),
  });
}

export function parseJson<T>(message: ConsumedMessage): T | null {
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
export function carriedContexts(messages: ConsumedMessage[], max = maxTracedPerBatch): Context[] {
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
  messages: ConsumedMessage[],
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
  message: ConsumedMessage,
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
