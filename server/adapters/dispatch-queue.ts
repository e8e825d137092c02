import { type JobsOptions, Queue } from 'bullmq';
import type { DispatchJobName, DispatchJobPayload } from '@/domain/dispatch-jobs';
import { type TraceCarrier, traceHeaders } from '../infra/trace-context';

export const dispatchQueueName = 'dispatch';

/**
 * Dispatch work as BullMQ jobs. Job ids make repeats harmless: one assignment job per booking
 * version, one timeout per offer, one dispatch per scheduled booking (BullMQ ignores an add whose
 * id exists). Every job re-checks the booking before acting, so a repeat that does run is a no-op.
 */
export interface DispatchQueue {
  /**
   * Find the next driver for a booking in `searching` (now, or after `delayMs`). One job per
   * booking version; `tag` makes a deliberate repeat (a retry, the reconciler) a new job.
   */
  assign(bookingId: string, version: number, delayMs?: number, tag?: string): Promise<void>;
  /** Expire offer number `offerSeq` at `atMs` if it is still ringing then. */
  expireOffer(bookingId: string, offerSeq: number, atMs: number): Promise<void>;
  /**
   * Drops offer number `offerSeq`'s timeout once the offer ended otherwise (answered, withdrawn):
   * one Redis call instead of a job that would only find the offer gone. Best effort: a timeout
   * that runs anyway (already taken by a worker) reads the booking and does nothing.
   */
  withdrawExpiry(bookingId: string, offerSeq: number): Promise<void>;
  /** Start dispatching a scheduled booking at `atMs`. */
  dispatchScheduled(bookingId: string, atMs: number): Promise<void>;
  /** Jobs by state (waiting, delayed, active, failed, prioritized), for metrics. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The active trace context for job data (absent when there is none). */
function traced<T extends object>(data: T): T & { trace?: TraceCarrier } {
  const trace = traceHeaders();
  return trace ? { ...data, trace } : data;
}

export function bullDispatchQueue(options: {
  redisUrl: string;
  prefix: string;
  now: () => number;
  /** Connection errors (Redis down); without a listener BullMQ prints each one to stderr. */
  onError?: (error: Error) => void;
}): DispatchQueue {
  const queue = new Queue(dispatchQueueName, {
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    prefix: `${options.prefix}:bull`,
    defaultJobOptions: {
      removeOnComplete: { count: 5_000 },
      removeOnFail: { count: 5_000 },
      attempts: 5,
      backoff: { type: 'exponential', delay: 200 },
    },
  });
  queue.on('error', options.onError ?? (() => undefined));
  // Payloads typed by their schemas (domain/dispatch-jobs.ts), which the worker parses them with.
  const add = <N extends DispatchJobName>(name: N, data: DispatchJobPayload<N>, opts: JobsOptions) =>
    queue.add(name, traced(data), opts);
  // BullMQ job ids may not contain ':'.
  return {
    async assign(bookingId, version, delayMs = 0, tag = delayMs ? `d${options.now()}` : '') {
      await add(
        'assign',
        { bookingId },
        {
          jobId: `assign-${bookingId}-${version}${tag ? `-${tag}` : ''}`,
          delay: delayMs,
        },
      );
    },
    async expireOffer(bookingId, offerSeq, atMs) {
      await add(
        'expire',
        { bookingId, offerSeq },
        {
          jobId: `expire-${bookingId}-${offerSeq}`,
          delay: Math.max(0, atMs - options.now()),
        },
      );
    },
    async withdrawExpiry(bookingId, offerSeq) {
      // Best effort by design: if Redis cannot answer, the timeout runs and finds nothing to do.
      await queue.remove(`expire-${bookingId}-${offerSeq}`).catch(() => 0);
    },
    async dispatchScheduled(bookingId, atMs) {
      await add(
        'dispatch-scheduled',
        { bookingId },
        {
          jobId: `scheduled-${bookingId}`,
          delay: Math.max(0, atMs - options.now()),
        },
      );
    },
    counts: () => queue.getJobCounts('waiting', 'delayed', 'active', 'failed', 'prioritized'),
    close: () => queue.close(),
  };
}

/**
 * For doors that enqueue after their transaction committed (web): a failed or slow enqueue is
 * logged, not thrown. Nothing is lost: the reconciler re-derives every dispatch job from
 * PostgreSQL (docs/decisions/0010), so a Redis outage delays dispatch by a reconcile period
 * instead of failing a booking that already exists.
 */
export function afterCommitDispatch(
  queue: DispatchQueue,
  logger: { warn(obj: object, msg: string): void },
): DispatchQueue {
  const soft =
    <A extends unknown[]>(name: string, call: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      await call(...args).catch((err: unknown) =>
        logger.warn({ err, job: name, bookingId: args[0] }, 'dispatch enqueue deferred to the reconciler'),
      );
    };
  return {
    assign: soft('assign', (...a: Parameters<DispatchQueue['assign']>) => queue.assign(...a)),
    expireOffer: soft('expire', (...a: Parameters<DispatchQueue['expireOffer']>) => queue.expireOffer(...a)),
    withdrawExpiry: soft('withdraw-expiry', (...a: Parameters<DispatchQueue['withdrawExpiry']>) =>
      queue.withdrawExpiry(...a),
    ),
    dispatchScheduled: soft('dispatch-scheduled', (...a: Parameters<DispatchQueue['dispatchScheduled']>) =>
      queue.dispatchScheduled(...a),
    ),
    counts: () => queue.counts(),
    close: () => queue.close(),
  };
}
