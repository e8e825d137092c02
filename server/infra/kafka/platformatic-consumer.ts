import { Consumer, type Message, type MessagesStream } from '@platformatic/kafka';
import { platformaticBase } from './platformatic-options';
import type { ConsumedMessage, ConsumerRun, Headers, RunningConsumer } from './port';

type Received = Message<Buffer, Buffer, Buffer, Buffer>;
type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/** Handled offsets are committed this often, as kafkajs's autoCommitInterval does in the other adapter. */
const commitEveryMs = 1_000;
const restartAfterMs = 1_000;

function headersOf(received: Received): Headers | undefined {
  if (received.headers.size === 0) return undefined;
  const headers: Record<string, Buffer | Buffer[]> = {};
  for (const [key, value] of received.headers) {
    const name = key.toString();
    const seen = headers[name];
    headers[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return headers;
}

const consumed = (m: Received): ConsumedMessage => ({
  key: m.key ?? null,
  value: m.value ?? null,
  offset: String(m.offset),
  timestamp: String(m.timestamp),
  headers: headersOf(m),
});

/**
 * The port's consumer runner on @platformatic/kafka, with the kafkajs runner's semantics: the
 * library streams messages one by one, so the messages of one fetch (pushed in one tick) are
 * gathered per partition and handled as batches while the stream is paused; a partition's offset
 * is committed only past handled batches, once a second and on disconnect (at least once).
 * A failed batch or a broken stream restarts consumption from the committed offsets, as kafkajs
 * restarts a crashed consumer.
 */
export async function runPlatformaticConsumer(
  options: { brokers: string; clientId: string },
  run: ConsumerRun,
): Promise<RunningConsumer> {
  const commit = run.commit ?? true;
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
    ...platformaticBase(options),
    groupId: run.groupId,
    autocommit: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 10_000,
    maxWaitTime: 50,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  const consume = () =>
    consumer.consume({
      topics: run.topics,
      mode: 'committed',
      fallbackMode: run.fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
    });
  const gathered = new Map<string, Received[]>();
  /** The last handled message of each partition not committed yet (its commit() commits past it). */
  const uncommitted = new Map<string, Received>();
  let closed = false;
  let stream: Stream;
  let working: Promise<void> = Promise.resolve();

  const commitHandled = async () => {
    const last = [...uncommitted.values()];
    uncommitted.clear();
    // A partition lost in a rebalance refuses the commit; its new owner re-reads those messages.
    await Promise.all(last.map((m) => Promise.resolve(m.commit()))).catch((err: unknown) =>
      run.logger.warn({ err, groupId: run.groupId }, 'kafka offset commit refused'),
    );
  };

  const handleGathered = async () => {
    const batches = [...gathered.values()];
    gathered.clear();
    for (const batch of batches) {
      const first = batch[0]!;
      await run.handle(batch.map(consumed), { topic: first.topic, partition: first.partition });
      if (commit) uncommitted.set(`${first.topic}:${first.partition}`, batch[batch.length - 1]!);
    }
  };

  /** Replaces `failed` with a new stream, once: a failed batch and the stream's error may both ask. */
  const restart = async (failed: Stream, error: unknown) => {
    if (failed !== stream || closed) return;
    run.logger.error({ err: error, groupId: run.groupId }, 'kafka consumer crashed');
    gathered.clear();
    await failed.close().catch(() => undefined);
    while (!closed) {
      await new Promise((r) => setTimeout(r, restartAfterMs));
      if (closed) return;
      try {
        attach(await consume());
        return;
      } catch (err) {
        run.logger.error({ err, groupId: run.groupId }, 'kafka consumer could not restart');
      }
    }
  };

  const attach = (next: Stream) => {
    stream = next;
    let scheduled = false;
    next.on('data', (m: Received) => {
      const key = `${m.topic}:${m.partition}`;
      const list = gathered.get(key);
      if (list) list.push(m);
      else gathered.set(key, [m]);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        next.pause();
        working = handleGathered().then(
          () => void (closed || next.resume()),
          (error: unknown) => restart(next, error),
        );
      });
    });
    next.on('error', (error) => {
      working = working.then(() => restart(next, error));
    });
  };

  attach(await consume());
  // On a timer, not after the next batch: the last batches before the topic goes quiet must be
  // committed too, or the group's lag never reaches 0 (kafkajs commits on its idle fetches).
  const committer = commit
    ? setInterval(() => uncommitted.size > 0 && void commitHandled(), commitEveryMs)
    : undefined;
  committer?.unref();
  return {
    async disconnect() {
      closed = true;
      clearInterval(committer);
      await working;
      if (commit) await commitHandled();
      await stream.close().catch(() => undefined);
      await consumer.close();
    },
  };
}
