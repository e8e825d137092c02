import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type pg from 'pg';
import type { Logger } from '@/server/infra/logger';
import {
  maintainHistoryPartitions,
  type RetentionPolicy,
} from '@/server/services/maintain-history-partitions';
import type { CoreDeps } from '@/server/services/ports';
import { sweepPresence } from '@/server/services/sweep-presence';

export const scheduledQueueName = 'scheduled';

/**
 * Recurring work as BullMQ job schedulers: one schedule per job id however many workers
 * processes run, each run small and idempotent.
 *  - presence-sweep: silent drivers go offline (every few seconds);
 *  - history-maintenance: create tomorrow's history partitions, drop expired ones (hourly).
 */
export async function startScheduledJobs(options: {
  redisUrl: string;
  prefix: string;
  presenceEveryMs: number;
  retention: RetentionPolicy;
  deps: CoreDeps;
  pool: pg.Pool;
  logger: Logger;
}) {
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const prefix = `${options.prefix}:bull`;
  const queue = new Queue(scheduledQueueName, { connection, prefix });
  const keep = { removeOnComplete: 100, removeOnFail: 500 };
  await queue.upsertJobScheduler(
    'presence-sweep',
    { every: options.presenceEveryMs },
    { name: 'presence-sweep', opts: keep },
  );
  await queue.upsertJobScheduler(
    'history-maintenance',
    { every: 3_600_000 },
    { name: 'history-maintenance', opts: keep },
  );
  // Partitions must exist before the first location arrives, not an hour later.
  await queue.add('history-maintenance', {}, { ...keep, jobId: `history-maintenance-start-${Date.now()}` });

  const worker = new Worker(
    scheduledQueueName,
    async (job) => {
      switch (job.name) {
        case 'presence-sweep': {
          const result = await sweepPresence(options.deps);
          if (result.wentOffline > 0)
            options.logger.info(result, 'presence sweep took silent drivers offline');
          return result;
        }
        case 'history-maintenance': {
          const result = await maintainHistoryPartitions(
            options.pool,
            options.deps.clock.now(),
            options.retention,
          );
          options.logger.info(result, 'location history maintained');
          return result;
        }
        default:
          throw new UnrecoverableError(`unknown scheduled job ${job.name}`);
      }
    },
    { connection, prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => options.logger.warn({ err, job: job?.name }, 'scheduled job failed'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
