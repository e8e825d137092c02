import { dispatchJobPayloads } from '@/domain/dispatch-jobs';
import { dispatchQueueName } from '@/server/adapters/dispatch-queue';
import type { Logger } from '@/server/infra/logger';
import { assignBooking } from '@/server/services/booking/assign-booking';
import type { BookingDeps } from '@/server/services/booking/deps';
import { dispatchScheduledBooking } from '@/server/services/booking/dispatch-scheduled';
import { expireOffer } from '@/server/services/booking/expire-offer';
import { defineJob } from './kit/define-job';
import { startJobWorker } from './kit/job-worker';
import type { WorkersMetrics } from './metrics';

const bookingSpan = ({ bookingId }: { bookingId: string }) => ({ 'booking.id': bookingId });

/** The dispatch queue's jobs, each a door onto one use case. */
function dispatchJobs(deps: BookingDeps) {
  return [
    defineJob({
      name: 'assign',
      payload: dispatchJobPayloads.assign,
      attributes: bookingSpan,
      handler: ({ bookingId }) => assignBooking(deps, bookingId),
    }),
    defineJob({
      name: 'expire',
      payload: dispatchJobPayloads.expire,
      attributes: bookingSpan,
      handler: ({ bookingId, offerSeq }) =>
        expireOffer(deps, { bookingId, offerSeq, reason: 'offer timed out' }),
    }),
    defineJob({
      name: 'dispatch-scheduled',
      payload: dispatchJobPayloads['dispatch-scheduled'],
      attributes: bookingSpan,
      handler: ({ bookingId }) => dispatchScheduledBooking(deps, bookingId),
    }),
  ];
}

/**
 * Runs dispatch jobs: assignment, offer timeouts, scheduled dispatch. Jobs are small and
 * idempotent (each re-reads the booking); a crash mid-job leaves the booking where PostgreSQL
 * says it is, and the reconciler picks it up.
 */
export function startDispatchWorker(options: {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  deps: BookingDeps;
  logger: Logger;
  metrics?: Pick<WorkersMetrics, 'dispatchJobs' | 'dispatchJobSeconds' | 'dispatchJobDelaySeconds'>;
}) {
  const worker = startJobWorker({ ...options, queue: dispatchQueueName, jobs: dispatchJobs(options.deps) });
  const { metrics } = options;
  if (metrics) {
    worker.on('active', (job) => {
      const due = job.timestamp + (job.opts.delay ?? 0);
      metrics.dispatchJobDelaySeconds.observe({ job: job.name }, Math.max(0, Date.now() - due) / 1000);
    });
    worker.on('completed', (job) => {
      metrics.dispatchJobs.inc({ job: job.name, result: 'completed' });
      if (job.processedOn && job.finishedOn)
        metrics.dispatchJobSeconds.observe({ job: job.name }, (job.finishedOn - job.processedOn) / 1000);
    });
    worker.on('failed', (job) => metrics.dispatchJobs.inc({ job: job?.name ?? 'unknown', result: 'failed' }));
  }
  return worker;
}
