import { Kafka, logLevel } from 'kafkajs';

/** Whether a Kafka broker answers at `brokers` with its cluster (one quick try, silent). */
export async function brokerAnswers(brokers: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
