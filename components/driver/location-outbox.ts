import type { LocationPing } from '@/domain/location';
import { locationLimits } from '@/domain/location';
import type { Ack, LocationBatchResult } from '@/domain/realtime-contract';

export interface OutboxStorage {
  load(key: string): string | null;
  save(key: string, value: string): void;
}

interface Persisted {
  sessionId: string;
  nextSeq: number;
  pending: LocationPing[];
}

/** Whatever the browser kept, if it is still readable; anything else starts a fresh queue. */
function readSaved(raw: string | null): Persisted | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Persisted;
    return typeof value?.sessionId === 'string' &&
      Number.isInteger(value.nextSeq) &&
      Array.isArray(value.pending)
      ? value
      : null;
  } catch {
    return null;
  }
}

/** Cap on pings kept while offline: about an hour at one ping every 4 s. */
export const maxPendingPings = 1_000;

export type SendBatch = (sessionId: string, pings: LocationPing[]) => Promise<Ack<LocationBatchResult>>;

/**
 * The driver app's durable queue of positions. Every ping gets the next sequence number of the
 * duty session and stays queued (and persisted) until the server acknowledged the batch that
 * carried it; after a reconnect or a reload the rest is sent again, and the server drops what it
 * already has as duplicates. Pure apart from the storage and send functions it is given.
 */
export class LocationOutbox {
  private state: Persisted;
  private sending = false;
  /** The server asked us to wait until then (it is behind: ADR 0019). */
  private notBefore = 0;

  constructor(
    private readonly sessionId: string,
    private readonly storage: OutboxStorage,
    private readonly key = 'od.location-outbox',
  ) {
    const saved = readSaved(storage.load(key));
    this.state = saved?.sessionId === sessionId ? saved : { sessionId, nextSeq: 1, pending: [] };
  }

  get pendingCount(): number {
    return this.state.pending.length;
  }

  get lastSeq(): number {
    return this.state.nextSeq - 1;
  }

  add(position: Omit<LocationPing, 'seq'>): LocationPing {
    const ping = { ...position, seq: this.state.nextSeq++ };
    this.state.pending.push(ping);
    if (this.state.pending.length > maxPendingPings)
      this.state.pending.splice(0, this.state.pending.length - maxPendingPings);
    this.persist();
    return ping;
  }

  /**
   * Sends queued pings, oldest first, one batch at a time. Returns the server's answers; stops at
   * the first failure (the rest stays queued for the next flush), and when the server says to
   * wait (an ack's `sendAgainInMs`, a refusal's `retryAfterMs`): flushes before then send nothing.
   */
  async flush(send: SendBatch, now: () => number = Date.now): Promise<LocationBatchResult[]> {
    if (this.sending || now() < this.notBefore) return [];
    this.sending = true;
    const results: LocationBatchResult[] = [];
    try {
      while (this.state.pending.length > 0) {
        const batch = this.state.pending.slice(0, locationLimits.maxPingsPerBatch);
        let answer: Ack<LocationBatchResult>;
        try {
          answer = await send(this.sessionId, batch);
        } catch {
          break;
        }
        // A batch the server calls invalid will never pass: drop it rather than block the queue.
        if (!answer.ok && answer.error.code !== 'INVALID_INPUT') {
          const waitMs = answer.error.retryAfterMs ?? (answer.error.retryAfterS ?? 0) * 1000;
          if (waitMs > 0) this.notBefore = now() + waitMs;
          break;
        }
        // Accepted and dropped pings are both settled: the server has decided on each of them.
        const settled = new Set(batch.map((p) => p.seq));
        this.state.pending = this.state.pending.filter((p) => !settled.has(p.seq));
        this.persist();
        if (answer.ok) results.push(answer);
        if (answer.ok && answer.sendAgainInMs) {
          this.notBefore = now() + answer.sendAgainInMs;
          break;
        }
      }
    } finally {
      this.sending = false;
    }
    return results;
  }

  private persist(): void {
    this.storage.save(this.key, JSON.stringify(this.state));
  }
}
