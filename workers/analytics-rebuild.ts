import type pg from 'pg';
import type { KafkaPort } from '@/server/infra/kafka';
import { groupId, type TopicNames } from '@/server/infra/kafka';
import type { Logger } from '@/server/infra/logger';
import { analyticsGroupName } from '@/server/services/analytics/analytics-batch';
import { resetRollups } from '@/server/services/analytics/reset-rollups';
import type { Clock } from '@/server/services/ports';
import { startAnalyticsConsumer } from './analytics-consumer';

export interface TopicProgress {
  topic: string;
  /** Messages of the topic applied so far, and how many the topic held when the rebuild began. */
  done: number;
  total: number;
}

export interface RebuildDeps {
  kafka: KafkaPort;
  topics: TopicNames;
  topicPrefix: string;
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
}

/**
 * Rebuilds the rollups from Kafka: notes where each partition ends now, empties the rollups and
 * starts the next generation (resetRollups), then consumes the new generation's group here, from
 * the beginning, until every partition reached the noted end. Running workers switch to the same
 * group within seconds and share the partitions; either way each batch lands once.
 * Kafka keeps both topics 7 days (ADR 0002): a rebuild sees only what the topics still hold.
 */
export async function rebuildAnalytics(
  deps: RebuildDeps,
  onProgress: (progress: TopicProgress[]) => void,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<{ generation: number; messages: number }> {
  const watched = [deps.topics.bookingEvents, deps.topics.driverEvents];
  const admin = deps.kafka.admin();
  await admin.connect();
  try {
    const ends = await Promise.all(
      watched.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })),
    );
    const generation = await resetRollups(deps.pool, deps.clock.now());
    const consumer = await startAnalyticsConsumer({ ...deps, followEveryMs: 1_000 });
    const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    try {
      for (;;) {
        const progress = await progressOf(deps.pool, ends);
        onProgress(progress);
        if (progress.every((p) => p.done >= p.total)) {
          return { generation, messages: progress.reduce((sum, p) => sum + p.total, 0) };
        }
        if (Date.now() > deadline) throw new Error('analytics rebuild did not catch up in time');
        await new Promise((r) => setTimeout(r, options.pollMs ?? 1_000));
      }
    } finally {
      await consumer.close();
      // The old group has no use now; its members leave within seconds (kept if they have not yet).
      await admin
        .deleteGroups([groupId(deps.topicPrefix, analyticsGroupName(generation - 1))])
        .catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
}

async function progressOf(
  pool: pg.Pool,
  ends: { topic: string; partitions: { partition: number; offset: string; low: string }[] }[],
): Promise<TopicProgress[]> {
  const { rows } = await pool.query<{ topic: string; partition: number; next_offset: string }>(
    'select topic, partition, next_offset from analytics_offsets',
  );
  const next = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, Number(r.next_offset)]));
  return ends.map(({ topic, partitions }) => {
    let done = 0;
    let total = 0;
    for (const p of partitions) {
      const [low, high] = [Number(p.low), Number(p.offset)];
      total += high - low;
      done += Math.max(0, Math.min(next.get(`${topic}/${p.partition}`) ?? low, high) - low);
    }
    return { topic, done, total };
  });
}
