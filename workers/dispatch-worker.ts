import { SpanKind } from '@opentelemetry/api';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { type DispatchJob, dispatchQueueName } from '@/server/adapters/dispatch-queue';
import type { Logger } from '@/server/infra/logger';
import { contextFrom, inSpan, type TraceCarrier, traceIdOf, tracerFor } from '@/server/infra/trace-context';
import { assignBooking } from '@/server/services/booking/assign-booking';
import type { BookingDeps } from '@/server/services/booking/deps';
import { dispatchScheduledBooking } from '@/server/services/booking/dispatch-scheduled';
import { expireOffer } from '@/server/services/booking/expire-offer';
import type { WorkersMetrics } from './metrics';

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
  const worker = new Worker(
    dispatchQueueName,
    traced(async (job) => {
      const { name, data } = job as unknown as DispatchJob;
      switch (name) {
        case 'assign':
          return assignBooking(options.deps, data.bookingId);
        case 'expire':
          return expireOffer(options.deps, {
            bookingId: data.bookingId,
            offerSeq: data.offerSeq,
            reason: 'offer timed out',
          });
        case 'dispatch-scheduled':
          return dispatchScheduledBooking(options.deps, data.bookingId);
        default:
          throw new UnrecoverableError(`unknown dispatch job ${job.name}`);
      }
    }),
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: `${options.prefix}:bull`,
      concurrency: options.concurrency,
    },
  );
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
  // Outside the job's span (BullMQ calls back later): the trace id comes from the job's data.
  worker.on('failed', (job, err) => {
    const traceparent = (job?.data as { trace?: TraceCarrier } | undefined)?.trace?.traceparent;
    options.logger.warn(
      {
        err,
        job: job?.name,
        bookingId: job?.data?.bookingId,
        ...(traceparent ? { trace_id: traceIdOf(traceparent) } : {}),
      },
      'dispatch job failed',
    );
  });
  return worker;
}

const tracer = tracerFor('workers');

/** Each job is a span, under the enqueuer's (the booking request, the job before) if it carried one. */
function traced<T>(handle: (job: Job) => Promise<T>) {
  return (job: Job) =>
    inSpan(
      tracer,
      `dispatch ${job.name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFrom(job.data?.trace),
        attributes: {
          'job.name': job.name,
          'job.id': job.id ?? '',
          'job.attempt': job.attemptsMade + 1,
          'booking.id': job.data?.bookingId ?? '',
        },
      },
      () => handle(job),
    );
}
