import { z } from 'zod';

/**
 * Payloads of the dispatch queue's jobs: the contract between the enqueuer
 * (server/adapters/dispatch-queue.ts) and the worker (workers/dispatch-worker.ts), which parses
 * every job against it. The enqueuer's trace context rides beside the payload as `trace`.
 */
const bookingJob = z.object({ bookingId: z.uuid() });

export const dispatchJobPayloads = {
  /** Find the next driver for a booking in `searching`. */
  assign: bookingJob,
  /** Expire offer number `offerSeq` of the booking if it is still ringing. */
  expire: bookingJob.extend({ offerSeq: z.number().int().nonnegative() }),
  /** A scheduled booking's dispatch time has come. */
  'dispatch-scheduled': bookingJob,
};

export type DispatchJobName = keyof typeof dispatchJobPayloads;
export type DispatchJobPayload<N extends DispatchJobName> = z.infer<(typeof dispatchJobPayloads)[N]>;
