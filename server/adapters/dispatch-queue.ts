import { Queue } from 'bullmq';

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
  /** Start dispatching a scheduled booking at `atMs`. */
  dispatchScheduled(bookingId: string, atMs: number): Promise<void>;
  close(): Promise<void>;
}

export type DispatchJob =
  | { name: 'assign'; data: { bookingId: string } }
  | { name: 'expire'; data: { bookingId: string; offerSeq: number } }
  | { name: 'dispatch-scheduled'; data: { bookingId: string } };

export function bullDispatchQueue(options: {
  redisUrl: string;
  prefix: string;
  now: () => number;
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
  // BullMQ job ids may not contain ':'.
  return {
    async assign(bookingId, version, delayMs = 0, tag = delayMs ? `d${options.now()}` : '') {
      await queue.add(
        'assign',
        { bookingId },
        { jobId: `assign-${bookingId}-${version}${tag ? `-${tag}` : ''}`, delay: delayMs },
      );
    },
    async expireOffer(bookingId, offerSeq, atMs) {
      await queue.add(
        'expire',
        { bookingId, offerSeq },
        { jobId: `expire-${bookingId}-${offerSeq}`, delay: Math.max(0, atMs - options.now()) },
      );
    },
    async dispatchScheduled(bookingId, atMs) {
      await queue.add(
        'dispatch-scheduled',
        { bookingId },
        { jobId: `scheduled-${bookingId}`, delay: Math.max(0, atMs - options.now()) },
      );
    },
    close: () => queue.close(),
  };
}
