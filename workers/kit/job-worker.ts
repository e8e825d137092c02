import { Worker } from 'bullmq';
import type { Logger } from '@/server/infra/logger';
import { type TraceCarrier, traceIdOf } from '@/server/infra/trace-context';
import { type JobDefinition, jobProcessor } from './define-job';

/**
 * A BullMQ worker for `queue` running `jobs` (see define-job.ts), whose failures are logged with
 * the job and its trace id. The failure callback runs outside the job's span (BullMQ calls back
 * later), so the trace id comes from the job's data.
 */
export function startJobWorker(options: {
  queue: string;
  jobs: readonly JobDefinition[];
  redisUrl: string;
  prefix: string;
  concurrency: number;
  logger: Logger;
}): Worker {
  const worker = new Worker(options.queue, jobProcessor(options.queue, options.jobs), {
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    prefix: `${options.prefix}:bull`,
    concurrency: options.concurrency,
  });
  worker.on('failed', (job, err) => {
    const traceparent = (job?.data as { trace?: TraceCarrier } | undefined)?.trace?.traceparent;
    options.logger.warn(
      {
        err,
        job: job?.name,
        jobId: job?.id,
        attempt: job?.attemptsMade,
        ...(traceparent ? { trace_id: traceIdOf(traceparent) } : {}),
      },
      `${options.queue} job failed`,
    );
  });
  return worker;
}
