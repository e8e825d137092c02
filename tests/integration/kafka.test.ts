import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BatchingProducer,
  type ConsumedMessage,
  groupId,
  startConsumer,
  topicSpecs,
} from '@/server/infra/kafka';
import { createKafkajs } from '@/server/infra/kafka/kafkajs-client';
import { createHarness, type Harness, ready } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('kafka');
});
afterAll(() => h?.cleanup());

describe('Kafka (real broker)', () => {
  it('creates every topic with its intended partition count, idempotently', async () => {
    const admin = h.kafka.admin();
    await admin.connect();
    try {
      for (const [key, spec] of Object.entries(topicSpecs)) {
        const partitions = await admin.fetchTopicOffsets(h.topics[key as keyof typeof topicSpecs]);
        expect(partitions).toHaveLength(spec.partitions);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses to produce to a topic that was never created (auto-create is off)', async () => {
    // No retries: the broker's answer is what is under test, not a client's patience.
    const producer = createKafkajs({
      brokers: h.kafkaBrokers,
      clientId: `it-${h.id}`,
      logger: h.logger,
    }).producer({
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: `${h.topicPrefix}no.such.topic`, acks: -1, messages: [{ value: 'x' }] }),
      ).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });

  it('batches acks=-1 sends and a consumer group reads every message in per-key order, then commits', async () => {
    const producer = h.kafka.producer();
    await producer.connect();
    const batcher = new BatchingProducer(producer, { lingerMs: 2 });
    const keys = Array.from({ length: 20 }, (_, i) => `driver-${i}`);
    const perKey = 50;
    const sends: Promise<void>[] = [];
    for (let seq = 1; seq <= perKey; seq++) {
      for (const key of keys)
        sends.push(batcher.send(h.topics.driverLocation, [{ key, value: JSON.stringify({ key, seq }) }]));
    }
    await Promise.all(sends);
    await producer.disconnect();

    const seen = new Map<string, number[]>();
    const group = groupId(h.topicPrefix, 'it-reader');
    const consumer = await startConsumer({
      kafka: h.kafka,
      groupId: group,
      topics: [h.topics.driverLocation],
      fromBeginning: true,
      logger: h.logger,
      handle: async (messages: ConsumedMessage[]) => {
        for (const m of messages) {
          const { key, seq } = JSON.parse(m.value!.toString()) as { key: string; seq: number };
          seen.set(key, [...(seen.get(key) ?? []), seq]);
        }
      },
    });
    await vi.waitFor(
      () =>
        ready(
          'all messages consumed',
          [...seen.values()].reduce((n, s) => n + s.length, 0) === keys.length * perKey,
        ),
      { timeout: 15_000 },
    );
    await consumer.disconnect();
    for (const key of keys) expect(seen.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i + 1));

    const admin = h.kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [h.topics.driverLocation] });
    await admin.disconnect();
    const committed = offsets!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committed).toBe(keys.length * perKey);
  });
});
