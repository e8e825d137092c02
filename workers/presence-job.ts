import { Queue, Worker } from 'bullmq';
import type { Logger } from '@/server/infra/logger';
import type { CoreDeps } from '@/server/services/ports';
import { sweepPresence } from '@/server/services/sweep-presence';

export const presenceQueueName = 'presence';

/**
 * A BullMQ job scheduler runs the presence sweep every few seconds. One scheduler id means one
 * schedule however many workers processes run; the sweep itself is idempotent.
 */
export async function startPresenceJob(options: {
  connection: { url: string };
  prefix: string;
  everyMs: number;
  deps: CoreDeps;
  logger: Logger;
}) {
  const connection = { url: options.connection.url, maxRetriesPerRequest: null };
  const queue = new Queue(presenceQueueName, { connection, prefix: `${options.prefix}:bull` });
  await queue.upsertJobScheduler(
    'presence-sweep',
    { every: options.everyMs },
    { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(
    presenceQueueName,
    async () => {
      const result = await sweepPresence(options.deps);
      if (result.wentOffline > 0) options.logger.info(result, 'presence sweep took silent drivers offline');
      return result;
    },
    { connection, prefix: `${options.prefix}:bull`, concurrency: 1 },
  );
  worker.on('failed', (job, err) => options.logger.warn({ err, jobId: job?.id }, 'presence sweep failed'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
