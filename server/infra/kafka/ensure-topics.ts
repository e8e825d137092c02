import type { KafkaPort } from './port';
import { type TopicKey, type TopicNames, topicNames, topicSpecs } from './topics';

/**
 * Creates missing topics with their intended partitions; existing ones are left alone. A broker
 * still settling new partitions can answer with a retriable error; the whole step is retried then.
 */
export async function ensureTopics(kafka: KafkaPort, prefix: string): Promise<TopicNames> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createMissingTopics(kafka, prefix);
    } catch (error) {
      if (attempt >= 5 || !(error as { retriable?: boolean }).retriable) throw error;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

async function createMissingTopics(kafka: KafkaPort, prefix: string): Promise<TopicNames> {
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
