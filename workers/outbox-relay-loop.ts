import { type Span, SpanKind, trace } from '@opentelemetry/api';
import type pg from 'pg';
import { type TopicKey, topicSpecs } from '@/server/infra/kafka';
import type { Logger } from '@/server/infra/logger';
import { contextFrom, failSpan, traceHeaders, tracerFor } from '@/server/infra/trace-context';
import { type OutboxMessage, relayOutbox } from '@/server/services/platform/relay-outbox';

export interface RelayLoop {
  stop(): Promise<void>;
}

const idlePollMs = 1_000;
const batchLimit = 500;
/** After a batch: how long the next one waits to gather events whose writers did not notify. */
const followUpMs = 20;
const maxBackoffMs = 5_000;

/**
 * Runs the outbox relay until stopped: woken by NOTIFY when an event commits into an empty outbox
 * (so events leave within milliseconds), taking a further batch `followUpMs` after each batch (the
 * events committed meanwhile, whose writers did not notify), polling as a fallback, backing off
 * with jitter while Kafka is down. Under load it runs batch after batch with no NOTIFY at all.
 */
export async function startOutboxRelay(options: {
  pool: pg.Pool;
  publish: (messages: OutboxMessage[]) => Promise<void>;
  logger: Logger;
  /** The Kafka topic a row goes to (with the deployment's prefix), for the publish spans. */
  topicName?: (topic: TopicKey) => string;
}): Promise<RelayLoop> {
  let running = true;
  let wake: (() => void) | null = null;
  // A NOTIFY that arrives while a round is under way must not be lost: it marks more work pending,
  // so the next sleep returns at once instead of waiting for the poll.
  let pending = false;
  const notified = () => {
    pending = true;
    wake?.();
  };
  // The LISTEN connection only speeds things up (polling is the fallback): if PostgreSQL drops it,
  // log, let it go, and listen again on the next round.
  let listener: pg.PoolClient | null = null;
  const listen = async () => {
    const client = await options.pool.connect();
    client.on('notification', notified);
    client.on('error', (err) => {
      options.logger.warn({ err }, 'outbox listener connection lost; polling until it is back');
      if (listener === client) listener = null;
      client.release(err);
    });
    await client.query('listen outbox');
    listener = client;
  };
  await listen();

  const sleep = (ms: number, unlessPending = false) =>
    new Promise<void>((resolve) => {
      if (unlessPending && pending) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    let failures = 0;
    while (running) {
      try {
        if (!listener) await listen();
        pending = false;
        const relayed = await relayOutbox(
          options.pool,
          (messages) => publishTraced(messages, options.publish, options.topicName),
          batchLimit,
        );
        failures = 0;
        // A full batch: more are waiting. Otherwise writers that committed while this batch's rows
        // were still there did not notify (migration 0012: only the first waiting event does), so
        // one more batch follows shortly, holding whatever they committed meanwhile. Then, with
        // nothing found, sleep until a NOTIFY or the poll.
        if (relayed >= batchLimit) continue;
        await sleep(relayed > 0 ? followUpMs : idlePollMs, true);
      } catch (error) {
        failures++;
        const backoff = Math.min(maxBackoffMs, 100 * 2 ** failures) * (0.5 + Math.random() / 2);
        options.logger.warn(
          { err: error, failures, backoffMs: Math.round(backoff) },
          'outbox relay failed; retrying',
        );
        await sleep(backoff);
      }
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
      const last = listener;
      listener = null;
      await last?.query('unlisten outbox').catch(() => undefined);
      last?.release();
    },
  };
}

const tracer = tracerFor('workers');

/**
 * A producer span per traced row, child of the span that wrote it (a tRPC call, a job); the
 * message then carries the producer span's context, so each consumer's span hangs under the
 * publish. Rows without a trace context go out as they are.
 */
export async function publishTraced(
  messages: OutboxMessage[],
  publish: (messages: OutboxMessage[]) => Promise<void>,
  topicName: (topic: TopicKey) => string = (topic) => topicSpecs[topic].name,
): Promise<void> {
  const spans: Span[] = [];
  const traced = messages.map((m) => {
    const parent = contextFrom(m.headers);
    if (!parent) return m;
    const topic = topicName(m.topic);
    const span = tracer.startSpan(
      `publish ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'messaging.kafka.message.key': m.key,
          'messaging.batch.message_count': messages.length,
        },
      },
      parent,
    );
    spans.push(span);
    return { ...m, headers: traceHeaders(trace.setSpan(parent, span)) ?? m.headers };
  });
  try {
    await publish(traced);
  } catch (error) {
    for (const span of spans) failSpan(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}
