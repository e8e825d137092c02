import { randomUUID } from 'node:crypto';
import { type Job, Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DomainError } from '@/domain/errors';
import { dispatchQueueName } from '@/server/adapters/dispatch-queue';
import { defineJob } from '@/workers/kit/define-job';
import { startJobWorker } from '@/workers/kit/job-worker';
import { bookingWorld } from './support/booking-world';
import { type Harness, ready } from './support/harness';

/**
 * The job kit (workers/kit) on real Redis and BullMQ: what a retry cannot change (a DomainError, a
 * payload that breaks its schema) fails the job at its first attempt; anything else (a dropped
 * connection, an UNAVAILABLE outage) is retried with backoff until attempts run out. A queue of
 * its own (`test-<uuid>`), under a key prefix of its own.
 */
const attempts = 3;
const runs = new Map<string, number>();
const ran = (job: Job) => runs.set(job.id!, (runs.get(job.id!) ?? 0) + 1);

const jobs = [
  defineJob({
    name: 'refused',
    payload: z.object({ bookingId: z.uuid() }),
    async handler({ bookingId }, job) {
      ran(job);
      throw new DomainError('NOT_FOUND', `booking ${bookingId} not found`);
    },
  }),
  defineJob({
    name: 'flaky',
    payload: z.object({}),
    async handler(_, job) {
      ran(job);
      throw new Error('read ECONNRESET');
    },
  }),
  defineJob({
    name: 'outage',
    payload: z.object({}),
    async handler(_, job) {
      ran(job);
      throw new DomainError('UNAVAILABLE', 'the surge store is not answering', { retryAfterS: 1 });
    },
  }),
  defineJob({
    name: 'fine',
    payload: z.object({ n: z.number().int() }),
    async handler({ n }, job) {
      ran(job);
      return { doubled: n * 2 };
    },
  }),
];

let world: Awaited<ReturnType<typeof bookingWorld>>;
let h: Harness;
let queue: Queue;
let worker: Worker;

beforeAll(async () => {
  // The harness only for Redis, and for the real dispatch worker in the last test.
  world = await bookingWorld('jobkit');
  h = world.h;
  const name = `test-${randomUUID()}`;
  const connection = { url: h.redisUrl, maxRetriesPerRequest: null };
  queue = new Queue(name, {
    connection,
    prefix: `${h.redisPrefix}:bull`,
    defaultJobOptions: { attempts, backoff: { type: 'fixed', delay: 20 } },
  });
  worker = startJobWorker({
    queue: name,
    jobs,
    redisUrl: h.redisUrl,
    prefix: h.redisPrefix,
    concurrency: 4,
    logger: h.logger,
  });
});

afterAll(async () => {
  await worker?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await world?.close();
});

/** The job once it has settled (completed, or failed for good), as BullMQ stored it. */
async function settled(q: Queue, id: string): Promise<Job> {
  return vi.waitFor(
    async () => {
      // State first, then the job: a job read before it settled keeps its old attempt count.
      const state = await q.getJobState(id);
      const settledJob = state === 'completed' || state === 'failed' ? await q.getJob(id) : null;
      return ready(`job ${id} settled`, settledJob);
    },
    { timeout: 20_000, interval: 50 },
  );
}

describe('job kit', () => {
  it('fails a job whose handler throws a DomainError at the first attempt, with its message', async () => {
    const { id } = await queue.add('refused', { bookingId: randomUUID() });
    const job = await settled(queue, id!);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(runs.get(id!)).toBe(1);
    expect(job.failedReason).toMatch(/^booking [0-9a-f-]{36} not found$/);
  });

  it('retries an ordinary error with backoff until the attempts run out', async () => {
    const { id } = await queue.add('flaky', {});
    const job = await settled(queue, id!);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(attempts);
    expect(runs.get(id!)).toBe(attempts);
    expect(job.failedReason).toBe('read ECONNRESET');
  });

  it('retries a DomainError that means "later" (UNAVAILABLE) like any transient error', async () => {
    const { id } = await queue.add('outage', {});
    const job = await settled(queue, id!);
    expect(job.attemptsMade).toBe(attempts);
    expect(runs.get(id!)).toBe(attempts);
  });

  it('refuses a payload that breaks its schema without running or retrying it, naming the field', async () => {
    const { id } = await queue.add('refused', { bookingId: 'not-a-uuid' });
    const job = await settled(queue, id!);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(runs.get(id!)).toBeUndefined();
    expect(job.failedReason).toMatch(/^bad test-[0-9a-f-]+ refused payload: bookingId: /);
  });

  it('hands the handler the parsed payload and keeps what it returns', async () => {
    const { id } = await queue.add('fine', { n: 21 });
    const job = await settled(queue, id!);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({ doubled: 42 });
  });

  it('the dispatch worker runs on the kit: a malformed expire job is refused at once', async () => {
    const dispatch = new Queue(dispatchQueueName, {
      connection: { url: h.redisUrl, maxRetriesPerRequest: null },
      prefix: `${h.redisPrefix}:bull`,
    });
    try {
      const { id } = await dispatch.add(
        'expire',
        { bookingId: randomUUID(), offerSeq: 'second' },
        { attempts: 5, backoff: { type: 'fixed', delay: 20 } },
      );
      const job = await settled(dispatch, id!);
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(/^bad dispatch expire payload: offerSeq: /);
    } finally {
      await dispatch.close();
    }
  });
});
