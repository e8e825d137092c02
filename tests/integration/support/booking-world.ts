import type { Worker } from 'bullmq';
import type { DispatchPolicy } from '@/domain/dispatch-policy';
import type { BookingDeps } from '@/server/services/booking/deps';
import { startDispatchWorker } from '@/workers/dispatch-worker';
import { createHarness, type Harness } from './harness';

export interface BookingWorld {
  h: Harness;
  deps: BookingDeps;
  worker: Worker;
  close(): Promise<void>;
}

/** A harness plus a real BullMQ dispatch worker on it, with an optional faster dispatch policy. */
export async function bookingWorld(
  name: string,
  policy: Partial<DispatchPolicy> = {},
): Promise<BookingWorld> {
  const h = await createHarness(name);
  const deps: BookingDeps = { ...h.booking, dispatchPolicy: policy };
  const worker = startDispatchWorker({
    redisUrl: h.redisUrl,
    prefix: h.redisPrefix,
    concurrency: 8,
    deps,
    logger: h.logger,
  });
  return {
    h,
    deps,
    worker,
    async close() {
      await worker.close();
      await h.cleanup();
    },
  };
}
