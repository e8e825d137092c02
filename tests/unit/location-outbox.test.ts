import { describe, expect, it, vi } from 'vitest';
import {
  LocationOutbox,
  maxPendingPings,
  type OutboxStorage,
  type SendBatch,
} from '@/components/driver/location-outbox';
import type { LocationPing } from '@/domain/location';
import { locationLimits } from '@/domain/location';
import type { Ack, LocationBatchResult } from '@/domain/realtime-contract';

class MemoryStorage implements OutboxStorage {
  readonly data = new Map<string, string>();
  load(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  save(key: string, value: string): void {
    this.data.set(key, value);
  }
}

const sessionA = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const sessionB = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const position = (n: number) => ({ at: 1_800_000_000_000 + n * 4_000, lat: 12.97 + n * 1e-5, lng: 77.59 });

const okAck = (pings: LocationPing[]): Ack<LocationBatchResult> => ({
  ok: true,
  accepted: pings.length,
  lastSeq: pings.at(-1)?.seq ?? null,
  dropped: [],
});

function fill(outbox: LocationOutbox, count: number): void {
  for (let n = 0; n < count; n++) outbox.add(position(n));
}

/** A send function that records every batch it was given and answers each with `answer`. */
function recordingSend(answer: (pings: LocationPing[], call: number) => Ack<LocationBatchResult> = okAck) {
  const batches: { sessionId: string; seqs: number[] }[] = [];
  const send: SendBatch = async (sessionId, pings) => {
    batches.push({ sessionId, seqs: pings.map((p) => p.seq) });
    return answer(pings, batches.length);
  };
  return { send, batches };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('location outbox', () => {
  it('numbers pings from 1 upwards and keeps the position it was given', () => {
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    expect(outbox.lastSeq).toBe(0);
    const first = outbox.add(position(0));
    const second = outbox.add(position(1));
    const third = outbox.add(position(2));
    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
    expect(second).toEqual({ ...position(1), seq: 2 });
    expect(outbox.lastSeq).toBe(3);
    expect(outbox.pendingCount).toBe(3);
  });

  it('persists every change so a new instance for the same session resumes where it stopped', async () => {
    const storage = new MemoryStorage();
    const before = new LocationOutbox(sessionA, storage);
    fill(before, 5);
    await before.flush(recordingSend().send);
    expect(before.pendingCount).toBe(0);
    before.add(position(5));
    before.add(position(6));

    const after = new LocationOutbox(sessionA, storage);
    expect(after.pendingCount).toBe(2);
    expect(after.lastSeq).toBe(7);
    expect(after.add(position(7)).seq).toBe(8);

    const { send: send2, batches } = recordingSend();
    await after.flush(send2);
    expect(batches).toEqual([{ sessionId: sessionA, seqs: [6, 7, 8] }]);
  });

  it('keeps unsent pings across a reload', () => {
    const storage = new MemoryStorage();
    fill(new LocationOutbox(sessionA, storage), 3);
    const reloaded = new LocationOutbox(sessionA, storage);
    expect(reloaded.pendingCount).toBe(3);
    expect(reloaded.lastSeq).toBe(3);
  });

  it('starts fresh for a different session and does not send the old session’s pings', async () => {
    const storage = new MemoryStorage();
    fill(new LocationOutbox(sessionA, storage), 4);
    const next = new LocationOutbox(sessionB, storage);
    expect(next.pendingCount).toBe(0);
    expect(next.lastSeq).toBe(0);
    expect(next.add(position(0)).seq).toBe(1);
    const { send, batches } = recordingSend();
    await next.flush(send);
    expect(batches).toEqual([{ sessionId: sessionB, seqs: [1] }]);
  });

  it('starts a fresh queue when the saved state is unreadable', () => {
    for (const junk of ['{not json', '"a string"', 'null', '{"sessionId":1}']) {
      const storage = new MemoryStorage();
      storage.save('od.location-outbox', junk);
      const outbox = new LocationOutbox(sessionA, storage);
      expect(outbox.pendingCount).toBe(0);
      expect(outbox.add(position(0)).seq).toBe(1);
    }
  });

  it('uses its own storage key, leaving other keys alone', () => {
    const storage = new MemoryStorage();
    fill(new LocationOutbox(sessionA, storage, 'key-one'), 2);
    expect(new LocationOutbox(sessionA, storage, 'key-two').pendingCount).toBe(0);
    expect(new LocationOutbox(sessionA, storage, 'key-one').pendingCount).toBe(2);
  });

  it('sends oldest first in batches of at most maxPingsPerBatch', async () => {
    const max = locationLimits.maxPingsPerBatch;
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, 2 * max + 50);
    const { send, batches } = recordingSend();
    const results = await outbox.flush(send);
    expect(batches.map((b) => b.seqs)).toEqual([
      range(1, max),
      range(max + 1, 2 * max),
      range(2 * max + 1, 2 * max + 50),
    ]);
    expect(batches.every((b) => b.sessionId === sessionA)).toBe(true);
    expect(results.map((r) => r.accepted)).toEqual([max, max, 50]);
    expect(outbox.pendingCount).toBe(0);
  });

  it('does not call send when nothing is queued', async () => {
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    const send = vi.fn<SendBatch>();
    expect(await outbox.flush(send)).toEqual([]);
    expect(send).not.toHaveBeenCalled();
  });

  it('settles accepted and dropped pings alike once the server acknowledged the batch', async () => {
    const storage = new MemoryStorage();
    const outbox = new LocationOutbox(sessionA, storage);
    fill(outbox, 4);
    const answer: Ack<LocationBatchResult> = {
      ok: true,
      accepted: 2,
      lastSeq: 4,
      dropped: [
        { seq: 1, reason: 'duplicate' },
        { seq: 3, reason: 'poor_accuracy' },
      ],
    };
    const results = await outbox.flush(async () => answer);
    expect(results).toEqual([answer]);
    expect(outbox.pendingCount).toBe(0);
    expect(new LocationOutbox(sessionA, storage).pendingCount).toBe(0);
  });

  it('keeps the batch queued and stops when the server answers UNAVAILABLE', async () => {
    const max = locationLimits.maxPingsPerBatch;
    const storage = new MemoryStorage();
    const outbox = new LocationOutbox(sessionA, storage);
    fill(outbox, max + 10);
    const { send, batches } = recordingSend(() => ({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'try later' },
    }));
    expect(await outbox.flush(send)).toEqual([]);
    expect(batches).toHaveLength(1);
    expect(outbox.pendingCount).toBe(max + 10);
    expect(new LocationOutbox(sessionA, storage).pendingCount).toBe(max + 10);

    // The next flush sends the same pings again, oldest first.
    const retry = recordingSend();
    await outbox.flush(retry.send);
    expect(retry.batches.map((b) => b.seqs)).toEqual([range(1, max), range(max + 1, max + 10)]);
    expect(outbox.pendingCount).toBe(0);
  });

  it('waits as long as a refusal’s retryAfterMs before sending again', async () => {
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, 3);
    let clock = 1_000;
    const refused = recordingSend(() => ({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'behind', retryAfterS: 1, retryAfterMs: 700 },
    }));
    await outbox.flush(refused.send, () => clock);
    const later = recordingSend();
    clock += 699;
    expect(await outbox.flush(later.send, () => clock)).toEqual([]);
    expect(later.batches).toHaveLength(0);
    clock += 1;
    await outbox.flush(later.send, () => clock);
    expect(later.batches.map((b) => b.seqs)).toEqual([range(1, 3)]);
  });

  it('after an ack asking for a pause, keeps the rest queued until the pause is over', async () => {
    const max = locationLimits.maxPingsPerBatch;
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, max + 2);
    let clock = 0;
    const slow = recordingSend((pings) => ({ ...okAck(pings), sendAgainInMs: 250 }));
    expect(await outbox.flush(slow.send, () => clock)).toHaveLength(1);
    expect(outbox.pendingCount).toBe(2);
    clock = 249;
    expect(await outbox.flush(slow.send, () => clock)).toEqual([]);
    clock = 250;
    expect(await outbox.flush(slow.send, () => clock)).toHaveLength(1);
    expect(slow.batches.map((b) => b.seqs)).toEqual([range(1, max), range(max + 1, max + 2)]);
  });

  it('keeps the batch queued and stops when send throws', async () => {
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, 3);
    const send = vi.fn<SendBatch>().mockRejectedValue(new Error('socket closed'));
    await expect(outbox.flush(send)).resolves.toEqual([]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.pendingCount).toBe(3);
  });

  it('stops after the first failure, keeping later batches and the failed one', async () => {
    const max = locationLimits.maxPingsPerBatch;
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, 3 * max);
    const { send, batches } = recordingSend((pings, call) =>
      call === 2 ? { ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } } : okAck(pings),
    );
    const results = await outbox.flush(send);
    expect(batches).toHaveLength(2);
    expect(results).toHaveLength(1);
    expect(outbox.pendingCount).toBe(2 * max);
    const retry = recordingSend();
    await outbox.flush(retry.send);
    expect(retry.batches[0]?.seqs[0]).toBe(max + 1);
  });

  it('drops a batch the server calls INVALID_INPUT and carries on with the next', async () => {
    const max = locationLimits.maxPingsPerBatch;
    const storage = new MemoryStorage();
    const outbox = new LocationOutbox(sessionA, storage);
    fill(outbox, max + 5);
    const { send, batches } = recordingSend((pings, call) =>
      call === 1
        ? { ok: false, error: { code: 'INVALID_INPUT', message: 'bad ping', field: 'pings.3.lat' } }
        : okAck(pings),
    );
    const results = await outbox.flush(send);
    expect(batches.map((b) => b.seqs)).toEqual([range(1, max), range(max + 1, max + 5)]);
    // Only the batch the server accepted is reported.
    expect(results).toEqual([{ ok: true, accepted: 5, lastSeq: max + 5, dropped: [] }]);
    expect(outbox.pendingCount).toBe(0);
    expect(new LocationOutbox(sessionA, storage).pendingCount).toBe(0);
  });

  it('does not send a ping twice when flush is called again while a flush is running', async () => {
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, 3);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: number[][] = [];
    const send: SendBatch = async (_sessionId, pings) => {
      sent.push(pings.map((p) => p.seq));
      await gate;
      return okAck(pings);
    };
    const first = outbox.flush(send);
    const second = outbox.flush(send);
    expect(await second).toEqual([]);
    release();
    expect(await first).toHaveLength(1);
    expect(sent).toEqual([[1, 2, 3]]);
    expect(outbox.pendingCount).toBe(0);

    // Once the first flush is over, flushing works again.
    outbox.add(position(3));
    const { send: later, batches } = recordingSend();
    await outbox.flush(later);
    expect(batches.map((b) => b.seqs)).toEqual([[4]]);
  });

  it('allows a new flush after one that failed by throwing', async () => {
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, 2);
    await outbox.flush(async () => {
      throw new Error('offline');
    });
    const { send, batches } = recordingSend();
    await outbox.flush(send);
    expect(batches.map((b) => b.seqs)).toEqual([[1, 2]]);
  });

  it('keeps pings added during a send queued for the next batch', async () => {
    const outbox = new LocationOutbox(sessionA, new MemoryStorage());
    fill(outbox, 2);
    const sent: number[][] = [];
    const send: SendBatch = async (_sessionId, pings) => {
      sent.push(pings.map((p) => p.seq));
      if (sent.length === 1) outbox.add(position(9));
      return okAck(pings);
    };
    await outbox.flush(send);
    expect(sent).toEqual([[1, 2], [3]]);
    expect(outbox.pendingCount).toBe(0);
  });

  it('drops the oldest pings beyond maxPendingPings but keeps numbering', async () => {
    const storage = new MemoryStorage();
    const outbox = new LocationOutbox(sessionA, storage);
    fill(outbox, maxPendingPings + 25);
    expect(outbox.pendingCount).toBe(maxPendingPings);
    expect(outbox.lastSeq).toBe(maxPendingPings + 25);
    expect(new LocationOutbox(sessionA, storage).pendingCount).toBe(maxPendingPings);

    const { send, batches } = recordingSend();
    await outbox.flush(send);
    const seqs = batches.flatMap((b) => b.seqs);
    expect(seqs).toEqual(range(26, maxPendingPings + 25));
  });
});
