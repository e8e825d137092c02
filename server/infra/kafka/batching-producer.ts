import type { EventProducer, OutgoingMessage } from './port';

interface Pending<T> {
  topic: string;
  messages: readonly T[];
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface BatchingProducerOptions<T = OutgoingMessage> {
  /** Flush once this many messages wait. */
  maxBatchMessages?: number;
  /** Flush at the latest this long after the first message arrived. */
  lingerMs?: number;
  /**
   * Reshapes one topic's messages just before sending (e.g. packs many into frames). Required
   * when the messages are not Kafka messages yet (e.g. records encoded only here, once).
   */
  pack?: (topic: string, messages: T[]) => OutgoingMessage[];
}

/**
 * Neither client behind the port lingers: every `send` is a request. This collects messages from
 * many callers into one `sendBatch` with acks=-1 and keeps exactly one request in flight, so that
 * batches grow under load and per-key order is kept even when the client retries. Each caller's promise
 * settles when the broker has acknowledged its messages (or the send finally failed, in which
 * case nothing was acknowledged and the caller must not report success).
 */
export class BatchingProducer<T = OutgoingMessage> {
  private queue: Pending<T>[] = [];
  private queuedMessages = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly maxBatch: number;
  private readonly lingerMs: number;
  private readonly pack: NonNullable<BatchingProducerOptions<T>['pack']>;
  /** Messages handed to `send` whose promise has not settled yet (queued or in flight). */
  private unsettled = 0;

  constructor(
    private readonly producer: EventProducer,
    options: BatchingProducerOptions<T> = {},
  ) {
    this.maxBatch = options.maxBatchMessages ?? 2_000;
    this.lingerMs = options.lingerMs ?? 5;
    this.pack = options.pack ?? ((_topic, messages) => messages as unknown as OutgoingMessage[]);
  }

  /** How far behind the producer is: messages accepted by `send` and not yet acknowledged or failed. */
  get pendingMessages(): number {
    return this.unsettled;
  }

  send(topic: string, messages: readonly T[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, resolve, reject });
      this.queuedMessages += messages.length;
      this.unsettled += messages.length;
      if (this.queuedMessages >= this.maxBatch) this.kick();
      else if (!this.timer) this.timer = setTimeout(() => this.kick(), this.lingerMs);
    });
  }

  /** Sends everything queued and waits for it; used on shutdown. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      this.kick();
      await this.inFlight;
    }
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inFlight || this.queue.length === 0) return;
    // At most one batch's worth per request (whole callers only): while a request is in flight the
    // queue can grow far beyond it, and one huge request risks the broker's size limit.
    let take = 0;
    let messages = 0;
    while (
      take < this.queue.length &&
      (take === 0 || messages + this.queue[take]!.messages.length <= this.maxBatch)
    ) {
      messages += this.queue[take]!.messages.length;
      take++;
    }
    const batch = this.queue.splice(0, take);
    this.queuedMessages -= messages;
    this.inFlight = this.sendNow(batch).finally(() => {
      this.inFlight = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async sendNow(batch: Pending<T>[]): Promise<void> {
    const byTopic = new Map<string, T[]>();
    for (const item of batch) {
      const list = byTopic.get(item.topic);
      if (list) list.push(...item.messages);
      else byTopic.set(item.topic, [...item.messages]);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({
          topic,
          messages: this.pack(topic, messages),
        })),
      });
      for (const item of batch) item.resolve();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const item of batch) item.reject(failure);
    } finally {
      for (const item of batch) this.unsettled -= item.messages.length;
    }
  }
}
