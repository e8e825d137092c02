import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { groupId, type TopicNames } from '@/server/infra/kafka';
import { startConsumer } from '@/server/infra/kafka-consumer';
import { unpackLocationFrame } from '@/server/infra/location-frames';
import type { Logger } from '@/server/infra/logger';
import { recordLocationHistory } from '@/server/services/location/record-location-history';
import type { WorkersMetrics } from './metrics';

/** Persists every location from Kafka into the partitioned history; offsets commit after the insert. */
export function startLocationHistoryConsumer(deps: {
  kafka: Kafka;
  topics: TopicNames;
  topicPrefix: string;
  pool: pg.Pool;
  metrics: WorkersMetrics;
  logger: Logger;
}) {
  const group = groupId(deps.topicPrefix, 'location-history');
  return startConsumer({
    kafka: deps.kafka,
    groupId: group,
    topics: [deps.topics.driverLocation],
    fromBeginning: true,
    logger: deps.logger,
    handle: async (messages) => {
      const records = messages.flatMap(unpackLocationFrame);
      deps.metrics.consumed.inc({ group }, records.length);
      deps.metrics.historyRows.inc(await recordLocationHistory(deps.pool, records));
    },
  });
}
