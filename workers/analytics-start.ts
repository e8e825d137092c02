import type pg from 'pg';
import type { SurgeStore } from '@/server/adapters/surge-store';
import type { KafkaPort, TopicNames } from '@/server/infra/kafka';
import type { Logger } from '@/server/infra/logger';
import type { Clock } from '@/server/services/ports';
import { startAnalyticsConsumer } from './analytics-consumer';
import { startSupplySampler } from './analytics-supply-sampler';
import type { WorkersMetrics } from './metrics';

/** Everything analytics runs in the workers process: the rollup consumer and the supply sampler. */
export async function startAnalyticsWorkers(deps: {
  kafka: KafkaPort;
  topics: TopicNames;
  topicPrefix: string;
  pool: pg.Pool;
  surge: Pick<SurgeStore, 'supply'>;
  clock: Clock;
  metrics: WorkersMetrics;
  logger: Logger;
}) {
  const consumer = await startAnalyticsConsumer(deps);
  const sampler = startSupplySampler(deps);
  return {
    /** The rollup generation being consumed (0 while between consumers). */
    generation: () => consumer.generation(),
    async close() {
      await sampler.close();
      await consumer.close();
    },
  };
}
