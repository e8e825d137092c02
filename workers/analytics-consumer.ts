import type pg from 'pg';
import { bookingEventMessageSchema } from '@/domain/booking-events';
import { driverStateEventSchema } from '@/domain/driver-events';
import type { ConsumedMessage, KafkaPort, RunningConsumer } from '@/server/infra/kafka';
import { groupId, parseJson, startConsumer, type TopicNames } from '@/server/infra/kafka';
import type { Logger } from '@/server/infra/logger';
import { tracerFor } from '@/server/infra/trace-context';
import {
  analyticsGroupName,
  ensureAnalyticsState,
  readGeneration,
} from '@/server/services/analytics/analytics-batch';
import { applyBookingEvents } from '@/server/services/analytics/apply-booking-events';
import { applyDriverEvents } from '@/server/services/analytics/apply-driver-events';
import type { WorkersMetrics } from './metrics';

export interface AnalyticsConsumerDeps {
  kafka: KafkaPort;
  topics: TopicNames;
  topicPrefix: string;
  pool: pg.Pool;
  logger: Logger;
  metrics?: WorkersMetrics;
  /** How often an idle consumer checks whether a rebuild started a new generation. */
  followEveryMs?: number;
}

export interface AnalyticsConsumer {
  /** The generation being consumed (0 while between consumers). */
  generation(): number;
  close(): Promise<void>;
}

/**
 * The analytics consumer: `booking.events` and `driver.events` into the rollups (at least once,
 * applied once by version). It follows the rollups' generation: when a rebuild bumps it, this
 * consumer leaves its group and joins the new generation's group, which starts from the beginning
 * of both topics. A batch from the old group is refused inside its transaction ('stale').
 */
export async function startAnalyticsConsumer(deps: AnalyticsConsumerDeps): Promise<AnalyticsConsumer> {
  const log = deps.logger.child({ component: 'analytics' });
  let current: { generation: number; consumer: RunningConsumer } | null = null;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const follow = () => {
    chain = chain
      .then(async () => {
        if (closed) return;
        const generation = await readGeneration(deps.pool);
        if (current?.generation === generation) return;
        if (current) {
          log.info(
            { from: current.generation, to: generation },
            'analytics rebuilt: moving to the new generation',
          );
          const old = current.consumer;
          current = null;
          await old.disconnect();
        }
        const consumer = await startConsumer({
          kafka: deps.kafka,
          groupId: groupId(deps.topicPrefix, analyticsGroupName(generation)),
          topics: [deps.topics.bookingEvents, deps.topics.driverEvents],
          fromBeginning: true,
          logger: log,
          tracer: tracerFor('workers'),
          handle: (messages, at) => handleBatch(generation, messages, at),
        });
        current = { generation, consumer };
      })
      .catch((err: unknown) => log.warn({ err }, 'analytics consumer could not follow its generation'));
    return chain;
  };

  const handleBatch = async (
    generation: number,
    messages: ConsumedMessage[],
    at: { topic: string; partition: number },
  ) => {
    const position = { ...at, nextOffset: Number(messages[messages.length - 1]!.offset) + 1 };
    const result =
      at.topic === deps.topics.bookingEvents
        ? await applyBookingEvents(
            deps.pool,
            generation,
            position,
            parse(messages, bookingEventMessageSchema),
          )
        : await applyDriverEvents(deps.pool, generation, position, parse(messages, driverStateEventSchema));
    deps.metrics?.consumed.inc({ group: groupId(deps.topicPrefix, 'analytics') }, messages.length);
    // Not awaited: leaving the group waits for this very batch to finish.
    if (result === 'stale') void follow();
  };

  const parse = <T>(
    messages: ConsumedMessage[],
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ) =>
    messages.flatMap((m) => {
      const parsed = schema.safeParse(parseJson(m));
      if (parsed.success) return [parsed.data];
      // Skipped loudly rather than retried forever: a message this version cannot read.
      log.error({ offset: m.offset }, 'unreadable analytics event skipped');
      return [];
    });

  await ensureAnalyticsState(deps.pool);
  await follow();
  const timer = setInterval(() => void follow(), deps.followEveryMs ?? 5_000);
  timer.unref();
  return {
    generation: () => current?.generation ?? 0,
    async close() {
      closed = true;
      clearInterval(timer);
      await chain;
      await current?.consumer.disconnect();
      current = null;
    },
  };
}
