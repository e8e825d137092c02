import { randomUUID } from 'node:crypto';
import type { LocationRecord } from '@/domain/driver-events';
import {
  BatchingProducer,
  createKafka,
  ensureTopics,
  type KafkaClientName,
  kafkaClients,
  topicSpecs,
} from '@/server/infra/kafka';
import {
  type LocationMessage,
  packLocationFrames,
  unpackLocationFrame,
} from '@/server/infra/location-frames';
import { createLogger } from '@/server/infra/logger';
import { closedLoop, Histogram } from '../lib/ceilings/common';

/**
 * One client's turn in the kafka-clients bench, in a process of its own so that its CPU is its
 * own: produce real location frames through the realtime path's BatchingProducer (packed binary
 * frames, acks=-1) for the window, then read them all back in a consumer group, unpacking every
 * frame as the history consumer does. Argv: client, window seconds, brokers. Reports by IPC.
 */
export interface ClientRun {
  client: KafkaClientName;
  /** The whole produce phase: a warm-up of ≤ 1 s (not in the latencies), the window, the last flush. */
  produceS: number;
  frames: number;
  positions: number;
  produceCpuUs: number;
  produceP99Ms: number;
  produceP50Ms: number;
  /** From the first batch handled (the group join before it is not the client's throughput). */
  consumeS: number;
  consumed: number;
  consumeCpuUs: number;
}

/** Concurrent senders, each a socket batch of a few drivers' pings, as realtime sees them. */
const lanes = 200;
const perSend = 10;
const drivers = 20_000;

function driverPings(): LocationRecord[] {
  const now = Date.now();
  return Array.from({ length: drivers }, (_, i) => ({
    driverId: randomUUID(),
    sessionId: randomUUID(),
    seq: 0,
    at: now,
    lat: -34.9 + (i % 1000) / 1e4,
    lng: -56.16 - (i % 997) / 1e4,
    accuracyM: 8,
    speedMps: 9.5,
    headingDeg: 90,
    receivedAt: now,
    state: 'available',
    vehicleTypeId: 'car',
  }));
}

const cpuUs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

async function run(client: KafkaClientName, windowS: number, brokers: string): Promise<ClientRun> {
  const logger = createLogger('bench', 'error');
  const kafka = createKafka({ brokers, clientId: `bench-${client}`, logger, client });
  const prefix = `bench.kc.${randomUUID().slice(0, 8)}.`;
  const topics = await ensureTopics(kafka, prefix);
  const producer = kafka.producer();
  await producer.connect();
  const batcher = new BatchingProducer<LocationMessage>(producer, {
    maxBatchMessages: 8_000,
    pack: packLocationFrames(topicSpecs.driverLocation.partitions),
  });
  const pings = driverPings();
  let next = 0;
  let frames = 0;
  const latency = new Histogram();
  const produceCpu = process.cpuUsage();
  const produceStart = performance.now();
  await closedLoop({
    durationMs: windowS * 1000,
    lanes,
    latency,
    step: async () => {
      const batch: LocationMessage[] = [];
      for (let i = 0; i < perSend; i++) {
        const ping = pings[next++ % drivers]!;
        ping.seq++;
        batch.push({ key: ping.driverId, value: { ...ping } });
      }
      await batcher.send(topics.driverLocation, batch);
      return batch.length;
    },
  });
  await batcher.flush();
  const produceS = (performance.now() - produceStart) / 1000;
  const produceCpuUs = cpuUs(produceCpu);
  await producer.disconnect();

  // Every position written (warm-up included) is read back: that total is what the reader must reach.
  const admin = kafka.admin();
  await admin.connect();
  for (const p of await admin.fetchTopicOffsets(topics.driverLocation)) frames += Number(p.high);
  const positions = next;
  let consumed = 0;
  let firstBatchAt = 0;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const consumeCpu = process.cpuUsage();
  const consumer = await kafka.startConsumer({
    groupId: `${prefix}reader`,
    topics: [topics.driverLocation],
    fromBeginning: true,
    logger,
    handle: async (messages) => {
      firstBatchAt ||= performance.now();
      for (const m of messages) consumed += unpackLocationFrame(m).length;
      if (consumed >= positions) finished();
    },
  });
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
  const consumeS = (performance.now() - firstBatchAt) / 1000;
  const consumeCpuUs = cpuUs(consumeCpu);
  await consumer.disconnect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
  const summary = latency.summary();
  return {
    client,
    produceS,
    frames,
    positions,
    produceCpuUs,
    produceP99Ms: summary.p99,
    produceP50Ms: summary.p50,
    consumeS,
    consumed,
    consumeCpuUs,
  };
}

const [client, windowS, brokers] = process.argv.slice(2);
if (!kafkaClients.includes(client as KafkaClientName) || !(Number(windowS) > 0) || !brokers) {
  throw new Error(`usage: client-run.ts ${kafkaClients.join('|')} SECONDS BROKERS`);
}
run(client as KafkaClientName, Number(windowS), brokers).then(
  (result) => process.send!(result, () => process.exit(0)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
