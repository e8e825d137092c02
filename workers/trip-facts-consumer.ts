import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { bookingEventMessageSchema } from '@/domain/booking-events';
import { groupId, type TopicNames } from '@/server/infra/kafka';
import { startConsumer } from '@/server/infra/kafka-consumer';
import type { Logger } from '@/server/infra/logger';
import { tracerFor } from '@/server/infra/trace-context';
import { projectTripFacts } from '@/server/services/analytics/project-trip-facts';
import type { WorkersMetrics } from './metrics';

/** Projects `booking.events` into `trip_facts` (analytics); offsets commit after the transaction. */
export function startTripFactsConsumer(deps: {
  kafka: Kafka;
  topics: TopicNames;
  topicPrefix: string;
  pool: pg.Pool;
  metrics: WorkersMetrics;
  logger: Logger;
}) {
  const group = groupId(deps.topicPrefix, 'trip-facts');
  return startConsumer({
    kafka: deps.kafka,
    groupId: group,
    topics: [deps.topics.bookingEvents],
    fromBeginning: true,
    logger: deps.logger,
    tracer: tracerFor('workers'),
    handle: async (messages) => {
      const events = messages.flatMap((m) => {
        const parsed = bookingEventMessageSchema.safeParse(JSON.parse(m.value?.toString() ?? 'null'));
        if (parsed.success) return [parsed.data];
        // A message this version cannot read is skipped loudly, not retried forever.
        deps.logger.error(
          { offset: m.offset, issues: parsed.error.issues },
          'unreadable booking event skipped',
        );
        return [];
      });
      deps.metrics.consumed.inc({ group }, messages.length);
      await projectTripFacts(deps.pool, events, (e) => deps.metrics.bookingEvents.inc({ event: e.event }));
    },
  });
}
