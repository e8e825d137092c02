import { compatibilityPartitioner, type MessageToProduce, Producer } from '@platformatic/kafka';
import { platformaticBase } from './platformatic-options';
import type { EventProducer, Headers, OutgoingMessage, TopicMessages } from './port';

type Outgoing = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

const bytes = (value: string | Buffer): Buffer => (typeof value === 'string' ? Buffer.from(value) : value);

/**
 * Header keys as distinct Buffer objects: a Map keyed by them keeps a repeated header (several
 * `traceparent`s on one location frame) as separate headers on the wire.
 */
function headerMap(headers: Headers): Map<Buffer, Buffer> {
  const map = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) map.set(Buffer.from(name), bytes(one));
  }
  return map;
}

function toRecord(topic: string, m: OutgoingMessage): Outgoing {
  const record: Outgoing = { topic };
  if (m.key !== undefined && m.key !== null) record.key = bytes(m.key);
  if (m.value !== null) record.value = bytes(m.value);
  if (m.partition !== undefined) record.partition = m.partition;
  if (m.headers) record.headers = headerMap(m.headers);
  return record;
}

/**
 * The port's producer on @platformatic/kafka: one produce request per broker for a whole batch,
 * keys partitioned like the Java client (and kafkajs's default partitioner), acks as asked (-1
 * unless told otherwise). Not idempotent, as the kafkajs producer is not.
 */
export function platformaticProducer(options: { brokers: string; clientId: string }): EventProducer {
  let producer: Producer | null = null;
  const send = (batches: TopicMessages[], acks = -1) => {
    if (!producer) throw new Error('producer not connected');
    const messages: Outgoing[] = [];
    for (const { topic, messages: list } of batches) for (const m of list) messages.push(toRecord(topic, m));
    return producer.send({ messages, acks, partitioner: compatibilityPartitioner });
  };
  return {
    async connect() {
      producer ??= new Producer({ ...platformaticBase(options), idempotent: false });
      await producer.connectToBrokers();
    },
    async disconnect() {
      const closing = producer;
      producer = null;
      await closing?.close();
    },
    send: ({ acks, ...batch }) => send([batch], acks),
    sendBatch: ({ acks, topicMessages }) => send(topicMessages, acks),
  };
}
