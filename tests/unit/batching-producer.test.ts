import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchingProducer, type EventProducer, type OutgoingMessage } from '@/server/infra/kafka';

type ProducerBatch = Parameters<EventProducer['sendBatch']>[0];

interface Call {
  batch: ProducerBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A producer whose every sendBatch waits until the test settles it. */
function fakeProducer() {
  const calls: Call[] = [];
  const producer = {
    sendBatch: (batch: ProducerBatch) =>
      new Promise<never[]>((resolve, reject) => {
        calls.push({ batch, resolve: () => resolve([]), reject });
      }),
  };
  return { producer: producer as unknown as EventProducer, calls };
}

/** A producer that acknowledges every batch at once. */
function instantProducer() {
  const batches: ProducerBatch[] = [];
  const producer = {
    sendBatch: async (batch: ProducerBatch) => {
      batches.push(batch);
      return [];
    },
  };
  return { producer: producer as unknown as EventProducer, batches };
}

const msg = (value: string, key?: string): OutgoingMessage => (key ? { key, value } : { value });
const values = (batch: ProducerBatch | undefined) =>
  batch?.topicMessages?.map((t) => ({ topic: t.topic, values: t.messages.map((m) => m.value) }));

/** Tracks whether a promise has settled, without awaiting it. */
function track(promise: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  promise.then(
    () => {
      state.settled = true;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe('batching producer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gathers sends within the linger window into one acks=-1 batch grouped per topic in call order', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 20, maxBatchMessages: 100 });
    const results = [
      batching.send('locations', [msg('l1', 'd1'), msg('l2', 'd2')]),
      batching.send('states', [msg('s1', 'd1')]),
      batching.send('locations', [msg('l3', 'd1')]),
      batching.send('states', [msg('s2', 'd2'), msg('s3', 'd3')]),
    ].map(track);

    await vi.advanceTimersByTimeAsync(19);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.batch.acks).toBe(-1);
    expect(values(calls[0]!.batch)).toEqual([
      { topic: 'locations', values: ['l1', 'l2', 'l3'] },
      { topic: 'states', values: ['s1', 's2', 's3'] },
    ]);
    expect(calls[0]!.batch.topicMessages?.[0]?.messages[0]).toEqual({ key: 'd1', value: 'l1' });

    // Nobody hears of success before the broker acknowledged.
    await vi.advanceTimersByTimeAsync(100);
    expect(results.some((r) => r.settled)).toBe(false);
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(results.every((r) => r.settled && r.error === undefined)).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('counts the linger from the first waiting message, not the last', async () => {
    const { producer, batches } = instantProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 10 });
    void batching.send('t', [msg('a')]);
    await vi.advanceTimersByTimeAsync(6);
    void batching.send('t', [msg('b')]);
    await vi.advanceTimersByTimeAsync(4);
    expect(batches.map(values)).toEqual([[{ topic: 't', values: ['a', 'b'] }]]);
  });

  it('lingers 5 ms by default', async () => {
    const { producer, batches } = instantProducer();
    const batching = new BatchingProducer(producer);
    void batching.send('t', [msg('a')]);
    await vi.advanceTimersByTimeAsync(4);
    expect(batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toHaveLength(1);
  });

  it('sends at once when maxBatchMessages are waiting, without waiting for the linger', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 1_000, maxBatchMessages: 5 });
    void batching.send('t', [msg('1'), msg('2')]);
    void batching.send('t', [msg('3'), msg('4')]);
    expect(calls).toHaveLength(0);
    void batching.send('u', [msg('5')]);
    expect(calls).toHaveLength(1);
    expect(values(calls[0]!.batch)).toEqual([
      { topic: 't', values: ['1', '2', '3', '4'] },
      { topic: 'u', values: ['5'] },
    ]);
    calls[0]!.resolve();
    // The linger timer of the first send was cancelled: nothing else goes out.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
  });

  it('resolves at once for an empty send without calling the broker', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 5 });
    await expect(batching.send('t', [])).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(0);
  });

  it('keeps one batch in flight and sends the backlog in later batches no larger than the limit', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 5, maxBatchMessages: 3 });
    const first = track(batching.send('t', [msg('a')]));
    await vi.advanceTimersByTimeAsync(5);
    expect(calls).toHaveLength(1);

    // While the first batch flies: linger expires and the size limit is reached, yet no second request.
    const second = track(batching.send('t', [msg('b')]));
    await vi.advanceTimersByTimeAsync(50);
    const third = track(batching.send('u', [msg('c'), msg('d'), msg('e')]));
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(1);

    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(first.settled).toBe(true);
    expect(second.settled).toBe(false);
    expect(calls).toHaveLength(2);
    // b (1) + c, d, e (3) would exceed maxBatchMessages (3): they go in separate requests, in order.
    expect(values(calls[1]!.batch)).toEqual([{ topic: 't', values: ['b'] }]);

    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(second.settled).toBe(true);
    expect(third.settled).toBe(false);
    expect(calls).toHaveLength(3);
    expect(values(calls[2]!.batch)).toEqual([{ topic: 'u', values: ['c', 'd', 'e'] }]);
    calls[2]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(third.settled).toBe(true);
  });

  it('counts messages until their batch is acknowledged or failed', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 5 });
    const first = batching.send('t', [msg('a'), msg('b')]);
    expect(batching.pendingMessages).toBe(2);
    await vi.advanceTimersByTimeAsync(5);
    const second = Promise.allSettled([batching.send('t', [msg('c')])]);
    expect(batching.pendingMessages).toBe(3);
    calls[0]!.resolve();
    await first;
    expect(batching.pendingMessages).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    calls[1]!.reject(new Error('broker down'));
    await second;
    expect(batching.pendingMessages).toBe(0);
  });

  it('rejects every caller of a failed batch with the error, and keeps working afterwards', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 5 });
    const firstBatch = Promise.allSettled([batching.send('t', [msg('a')]), batching.send('u', [msg('b')])]);
    await vi.advanceTimersByTimeAsync(5);
    // While it fails, a later send waits for the next batch and is not affected.
    const later = track(batching.send('t', [msg('c')]));
    const failure = new Error('broker down');
    calls[0]!.reject(failure);
    const outcomes = await firstBatch;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    for (const o of outcomes) expect(o.status === 'rejected' && o.reason).toBe(failure);

    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    expect(values(calls[1]!.batch)).toEqual([{ topic: 't', values: ['c'] }]);
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(later).toEqual({ settled: true, error: undefined });

    const again = batching.send('t', [msg('d')]);
    await vi.advanceTimersByTimeAsync(5);
    calls[2]!.resolve();
    await expect(again).resolves.toBeUndefined();
  });

  it('turns a non-Error rejection into an Error', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 1 });
    const result = batching.send('t', [msg('a')]);
    await vi.advanceTimersByTimeAsync(1);
    calls[0]!.reject('timeout');
    await expect(result).rejects.toThrow(Error);
    await expect(result).rejects.toThrow('timeout');
  });

  it('flush sends what is queued without lingering and waits for it and the batch in flight', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 10_000 });
    void batching.send('t', [msg('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(1);
    void batching.send('t', [msg('b')]);

    const flushed = track(batching.flush());
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed.settled).toBe(false);
    expect(calls).toHaveLength(2);
    expect(values(calls[1]!.batch)).toEqual([{ topic: 't', values: ['b'] }]);
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toEqual({ settled: true, error: undefined });
  });

  it('flush sends a queue with nothing in flight at once', async () => {
    const { producer, batches } = instantProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 10_000 });
    const sent = batching.send('t', [msg('a')]);
    await batching.flush();
    expect(batches).toHaveLength(1);
    await expect(sent).resolves.toBeUndefined();
  });

  it('flush resolves even when the batch it waits for fails', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer, { lingerMs: 5 });
    const sent = batching.send('t', [msg('a')]);
    sent.catch(() => {});
    const flushed = batching.flush();
    calls[0]!.reject(new Error('nope'));
    await expect(flushed).resolves.toBeUndefined();
    await expect(sent).rejects.toThrow('nope');
  });

  it('flush resolves at once when nothing is pending', async () => {
    const { producer, calls } = fakeProducer();
    const batching = new BatchingProducer(producer);
    await expect(batching.flush()).resolves.toBeUndefined();
    expect(calls).toHaveLength(0);
  });
});

describe('batching producer under backlog', () => {
  it('never sends more than maxBatchMessages in one request, even when the queue grew meanwhile', async () => {
    const sizes: number[] = [];
    let release!: () => void;
    let first = true;
    const producer = {
      sendBatch: async (req: { topicMessages: { messages: unknown[] }[] }) => {
        sizes.push(req.topicMessages.reduce((n, t) => n + t.messages.length, 0));
        if (first) {
          first = false;
          await new Promise<void>((r) => {
            release = r;
          });
        }
      },
    };
    const { BatchingProducer } = await import('@/server/infra/kafka');
    const batcher = new BatchingProducer(producer as never, { maxBatchMessages: 10, lingerMs: 1 });
    const sends = [batcher.send('t', [{ value: 'x' }])];
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 35; i++) sends.push(batcher.send('t', [{ value: String(i) }]));
    release();
    await Promise.all(sends);
    expect(sizes[0]).toBe(1);
    expect(Math.max(...sizes.slice(1))).toBeLessThanOrEqual(10);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(36);
  });
});
