import { Queue } from 'bullmq';
import type pg from 'pg';
import { computeSurge } from '@/domain/surge';
import type { Logger } from '@/server/infra/logger';
import type { BookingDeps } from '@/server/services/booking/deps';
import { reconcileDispatch } from '@/server/services/booking/dispatch-scheduled';
import { sweepPresence } from '@/server/services/driver/sweep-presence';
import {
  maintainHistoryPartitions,
  type RetentionPolicy,
} from '@/server/services/location/maintain-history-partitions';
import { loadSettings } from '@/server/services/platform/settings';
import { defineJob, noPayload } from './kit/define-job';
import { startJobWorker } from './kit/job-worker';

export const scheduledQueueName = 'scheduled';
const scheduleReassertMs = 5_000;

interface ScheduledJobsOptions {
  redisUrl: string;
  prefix: string;
  presenceEveryMs: number;
  reconcileEveryMs?: number;
  retention: RetentionPolicy;
  deps: BookingDeps;
  pool: pg.Pool;
  logger: Logger;
}

/** A scheduler's run: no payload. */
const run = <R>(name: string, handler: () => Promise<R>) => defineJob({ name, payload: noPayload, handler });

/** The scheduled queue's jobs, each one use case. */
function scheduledJobs({ deps, logger, pool, retention }: ScheduledJobsOptions) {
  return [
    run('presence-sweep', async () => {
      const result = await sweepPresence(deps);
      if (result.wentOffline > 0) logger.info(result, 'presence sweep took silent drivers offline');
      return result;
    }),
    run('history-maintenance', async () => {
      const result = await maintainHistoryPartitions(pool, deps.clock.now(), retention);
      logger.info(result, 'location history maintained');
      return result;
    }),
    run('dispatch-reconcile', async () => {
      const result = await reconcileDispatch(deps);
      if (result.dispatched + result.expired + result.escalated > 0)
        logger.info(result, 'dispatch reconciled');
      return result;
    }),
    run('surge', async () => {
      const { surge } = await loadSettings(deps.db);
      const cells = computeSurge(await deps.surge.loads(deps.clock.now()), surge);
      await deps.surge.writeSurge(cells);
      return { cells: cells.length, surging: cells.filter((c) => c.multiplier > 1).length };
    }),
  ];
}

/**
 * Recurring work as BullMQ job schedulers: one schedule per job id however many workers
 * processes run, each run small and idempotent.
 *  - presence-sweep: silent drivers go offline (every few seconds);
 *  - history-maintenance: create tomorrow's history partitions, drop expired ones (hourly);
 *  - dispatch-reconcile: re-derive dispatch work from PostgreSQL (every 5 s);
 *  - surge: recompute surge per cell from supply and demand (every 10 s).
 */
export async function startScheduledJobs(options: ScheduledJobsOptions) {
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const prefix = `${options.prefix}:bull`;
  const queue = new Queue(scheduledQueueName, { connection, prefix });
  const keep = { removeOnComplete: 100, removeOnFail: 500 };
  const schedules: [string, number][] = [
    ['presence-sweep', options.presenceEveryMs],
    ['history-maintenance', 3_600_000],
    ['dispatch-reconcile', options.reconcileEveryMs ?? 5_000],
    ['surge', 10_000],
  ];
  const assertSchedules = async () => {
    for (const [name, every] of schedules)
      await queue.upsertJobScheduler(name, { every }, { name, opts: keep });
  };
  await assertSchedules();
  // Schedules live in Redis: if Redis restarts empty they are gone, and with them the reconciler
  // that recovers every other lost job. Re-asserting them is idempotent, so do it often.
  const reassert = setInterval(() => {
    assertSchedules().catch((err) => options.logger.warn({ err }, 'could not re-assert job schedules'));
  }, scheduleReassertMs);
  reassert.unref();
  // Partitions must exist before the first location arrives, not an hour later.
  await queue.add('history-maintenance', {}, { ...keep, jobId: `history-maintenance-start-${Date.now()}` });

  const worker = startJobWorker({
    queue: scheduledQueueName,
    jobs: scheduledJobs(options),
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    concurrency: 1,
    logger: options.logger,
  });
  return {
    async close() {
      clearInterval(reassert);
      await worker.close();
      await queue.close();
    },
  };
}
