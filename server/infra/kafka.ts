import { Kafka, type KafkaConfig, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from './logger';

/**
 * Every topic the platform uses, with its partition count. Auto-creation is off on the broker:
 * a typo in a topic name fails loudly instead of creating a one-partition topic.
 * Keys, partitions and retention are explained in docs/decisions/0002-kafka-topics-and-keys.md.
 */
export const topicSpecs = {
  driverLocation: { name: 'driver.location', partitions: 8, retentionMs: 24 * 3_600_000 },
  driverEvents: { name: 'driver.events', partitions: 4, retentionMs: 7 * 24 * 3_600_000 },
  bookingEvents: { name: 'booking.events', partitions: 4, retentionMs: 7 * 24 * 3_600_000 },
} as const;

export type TopicKey = keyof typeof topicSpecs;
export type TopicNames = Record<TopicKey, string>;

/** Consumer groups are namespaced like topics, so stacks sharing a broker never share a group. */
export function groupId(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

export function topicNames(prefix: string): TopicNames {
  const names = {} as TopicNames;
  for (const key of Object.keys(topicSpecs) as TopicKey[]) names[key] = `${prefix}${topicSpecs[key].name}`;
  return names;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(options: { brokers: string; clientId: string; logger: Logger }): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers.split(',').map((b) => b.trim()),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...rest } = entry;
        log[levels[level] ?? 'info'](rest, message);
      },
  };
  return new Kafka(config);
}

/**
 * Creates missing topics with their intended partitions; existing ones are left alone. A broker
 * still settling new partitions can answer with a retriable error; the whole step is retried then.
 */
export async function ensureTopics(kafka: Kafka, prefix: string): Promise<TopicNames> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createMissingTopics(kafka, prefix);
    } catch (error) {
      if (attempt >= 5 || !(error as { retriable?: boolean }).retriable) throw error;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

async function createMissingTopics(kafka: Kafka, prefix: string): Promise<TopicNames> {
  const names = topicNames(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = (Object.keys(topicSpecs) as TopicKey[]).filter((key) => !existing.has(names[key]));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((key) => ({
          topic: names[key],
          numPartitions: topicSpecs[key].partitions,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: String(topicSpecs[key].retentionMs) }],
        })),
      });
    }
    return names;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Producers for every process. The Java-compatible murmur2 partitioner keeps a key on the same
 * partition whichever client writes it; acks=-1 is passed on every send (kafkajs sets it per request).
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
