import { Kafka, type KafkaConfig, logLevel, Partitioners } from 'kafkajs';
import type { Logger } from '../logger';
import { runKafkajsConsumer } from './kafkajs-consumer';
import type { KafkaPort } from './port';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafkajs(options: { brokers: string; clientId: string; logger: Logger }): Kafka {
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
 * The port on kafkajs. Producers use the Java-compatible murmur2 partitioner, which keeps a key on
 * the same partition whichever client writes it; kafkajs takes acks per request, so callers pass -1.
 */
export function kafkajsPort(options: { brokers: string; clientId: string; logger: Logger }): KafkaPort {
  const kafka = createKafkajs(options);
  return {
    client: 'kafkajs',
    producer: () =>
      kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner }),
    admin: () => kafka.admin(),
    startConsumer: (run) => runKafkajsConsumer(kafka, run),
  };
}
