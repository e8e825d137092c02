import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message, Partitioners } from 'kafkajs';
import { type CeilingOptions, type CeilingResult, closedLoop, defaultDurationMs, scratchId } from './common';

const batchSize = 1_000;
// As driver.location (server/infra/kafka.ts topicSpecs), so the ceiling spreads like the real topic.
const partitions = 8;

/** ~170-byte location-like values keyed by driver id, built once: the ceiling is the broker's. */
function batches(count: number): Message[][] {
  const drivers = Array.from({ length: 10_000 }, () => randomUUID());
  let n = 0;
  return Array.from({ length: count }, () =>
    Array.from({ length: batchSize }, () => {
      const key = drivers[n++ % drivers.length]!;
      const value = JSON.stringify({
        driverId: key,
        sessionId: key.slice(0, 18),
        seq: n,
        lat: 12.9716 + (n % 1000) / 1e5,
        lng: 77.5946 - (n % 997) / 1e5,
        accuracy: 8,
        ts: 1_767_225_600_000 + n,
      });
      return { key, value: Buffer.from(value) };
    }),
  );
}

/**
 * Messages per second acknowledged with acks=-1 by one kafkajs producer sending 1,000-message
 * batches one after another (one request in flight, as BatchingProducer does) to a scratch
 * topic of 8 partitions, created for the run and deleted after.
 */
export async function kafkaProducePerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const kafka = new Kafka({
    clientId: 'bench-ceiling',
    brokers: (options.kafkaBrokers ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.ERROR,
  });
  const topic = `bench.ceiling.${scratchId()}`;
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
    await producer.connect();
    const pool = batches(16);
    const bytes = pool[0]!.reduce((sum, m) => sum + (m.value as Buffer).length, 0) / batchSize;
    let next = 0;
    const { ops, seconds } = await closedLoop({
      durationMs: options.durationMs ?? defaultDurationMs,
      lanes: 1,
      step: async () => {
        const messages = pool[next++ % pool.length]!;
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
        return messages.length;
      },
    });
    return {
      perS: ops / seconds,
      note: `${batchSize} × ${Math.round(bytes)} B per sendBatch, acks=-1, 1 in flight, ${partitions} partitions`,
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
